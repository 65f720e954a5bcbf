import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCircle, parsePolygon, renderCap } from '../../src/modules/crisis/service/cap.js';
import type { TestApp, TestClient } from '../helpers/app.js';
import { makeCityStaff } from '../helpers/factories.js';
import { crisisApp } from './helpers.js';

const XSD = readFileSync(path.resolve('src/modules/crisis/service/schema/CAP-v1.2.xsd'), 'utf8');
const SPEC_SENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

async function assertValidCap(xml: string, name: string) {
  const r = await validateXML({
    xml: [{ fileName: `${name}.xml`, contents: xml }],
    schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }],
  });
  expect(
    r.errors.map((e) => e.message),
    `${name} should be valid CAP 1.2`,
  ).toEqual([]);
  expect(r.valid).toBe(true);
  // rules that live only in the spec text
  const doc = new XMLParser({ isArray: (n) => ['info', 'area', 'polygon', 'circle', 'geocode'].includes(n) }).parse(
    xml,
  ).alert;
  expect(doc.identifier).not.toMatch(/[\s,<&]/);
  expect(doc.sender).not.toMatch(/[\s,<&]/);
  expect(doc.sent).toMatch(SPEC_SENT);
  if (doc.references) for (const ref of String(doc.references).split(' ')) expect(ref.split(',')).toHaveLength(3);
  for (const info of doc.info)
    for (const area of info.area) {
      for (const p of area.polygon ?? []) expect(parsePolygon(String(p))).not.toBeNull();
      for (const c of area.circle ?? []) expect(parseCircle(String(c))).not.toBeNull();
    }
  return doc;
}

let t: TestApp & { demo: { communeIds: number[]; provinceId: number } };
let editor: TestClient;
let reviewer: TestClient;

beforeAll(async () => {
  // the crisis demo stays: these tests are about its alerts (each validates; its closed incident stays in the index)
  t = await crisisApp();
  const staff = await makeCityStaff(t.db, 'cap');
  editor = t.client();
  await editor.signIn(staff.editor.email);
  reviewer = t.client();
  await reviewer.signIn(staff.reviewer.email);
});
afterAll(async () => {
  await t?.close();
});

async function release(incidentId: number, title: string, body: string, kind = 'notice', refersTo = '') {
  const res = await editor.post('/staff/crisis/statements', {
    incidentId: String(incidentId),
    kind,
    refersTo,
    title,
    body,
  });
  expect(res.status).toBe(303);
  const id = Number(/statements\/(\d+)/.exec(res.location!)![1]);
  await editor.post(`/staff/crisis/statements/${id}/submit`, {});
  expect((await reviewer.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
  return id;
}

describe('CAP 1.2 alerts', () => {
  it('the schema shipped with the module is the OASIS one', () => {
    expect(XSD).toContain('urn:oasis:names:tc:emergency:cap:1.2');
  });

  it('every demo alert validates, with info in vi and en, area polygon/circle and the units codes', async () => {
    const ids = (await t.db.query<{ id: number }>(`SELECT id FROM crisis_alerts ORDER BY id`)).map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const types = new Set<string>();
    for (const id of ids) {
      const res = await t.client().get(`/alerts/${id}.cap.xml`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/cap+xml');
      const doc = await assertValidCap(res.text, `alert-${id}`);
      types.add(doc.msgType);
      expect(doc.info.map((i: { language: string }) => i.language)).toEqual(['vi-VN', 'en-US']);
      const area = doc.info[0].area[0];
      expect(area.geocode.length).toBeGreaterThan(0);
      expect(area.geocode[0].valueName).toBe('VN-ADMIN-2025');
    }
    expect([...types].sort()).toEqual(['Alert', 'Cancel', 'Update']);
    const flood = await t.db.one<{ id: number }>(
      `SELECT a.id FROM crisis_alerts a JOIN crisis_incidents i ON i.id = a.incident_id WHERE i.title LIKE 'Mưa lớn%' ORDER BY a.id LIMIT 1`,
    );
    const doc = await assertValidCap((await t.client().get(`/alerts/${flood!.id}.cap.xml`)).text, 'flood');
    expect(doc.info[0].area[0].polygon[0]).toBe('16.50,107.55 16.50,107.66 16.42,107.66 16.42,107.55 16.50,107.55');
    expect(doc.info[0].area[0].circle[0]).toBe('16.46,107.60 8');
    expect(doc.info[0].area[0].geocode.map((g: { value: number | string }) => String(g.value)).sort()).toEqual([
      '19789',
      '19945',
    ]);
    expect(doc.info[1].headline).toBe('Notice on the floods and evacuation points');
    expect(doc.info[1].event).toBe('Natural disaster');
  });

  it('updates reference the earlier alerts; closing issues a Cancel; the Atom index lists only active ones', async () => {
    const open = await editor.post('/staff/crisis/incidents', {
      title: 'Dịch sốt xuất huyết <tăng> & lan rộng',
      type: 'health',
      severity: 'moderate',
      summary: 'Số ca mắc tăng.',
      unitId: String(t.demo.provinceId),
      unitIds: [String(t.demo.communeIds[3])],
      spokespersonName: 'Bác sĩ Y',
      hotlines: 'Y tế: 115',
      publicAlert: '1',
      areaPolygon: '',
      areaCircle: '',
    });
    const incidentId = Number(/incidents\/(\d+)/.exec(open.location!)![1]);
    const first = await release(incidentId, 'Khuyến cáo phòng chống sốt xuất huyết', 'Diệt lăng quăng, ngủ màn.');
    await release(incidentId, 'Cập nhật số ca mắc', 'Đã ghi nhận 42 ca.', 'update', String(first));
    const alerts = await t.db.query<{ id: number; identifier: string; msg_type: string }>(
      `SELECT id, identifier, msg_type FROM crisis_alerts WHERE incident_id = $1 ORDER BY id`,
      [incidentId],
    );
    expect(alerts.map((a) => a.msg_type)).toEqual(['Alert', 'Update']);
    const upd = await assertValidCap((await t.client().get(`/alerts/${alerts[1].id}.cap.xml`)).text, 'update');
    expect(String(upd.references)).toContain(alerts[0].identifier);
    expect(upd.info[0].headline).toBe('Cập nhật số ca mắc');
    expect(upd.info[0].category).toBe('Health');
    expect(upd.info[0].area[0].areaDesc).toBe('Phường An Cựu');

    const feed = await t.client().get('/alerts.atom');
    expect(feed.headers.get('content-type')).toContain('application/atom+xml');
    const atom = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'entry' }).parse(feed.text).feed;
    const links: string[] = atom.entry.map((e: { link: { '@_href': string } }) => e.link['@_href']);
    expect(links).toContain(`http://test.local/alerts/${alerts[1].id}.cap.xml`);
    expect(links).not.toContain(`http://test.local/alerts/${alerts[0].id}.cap.xml`);
    for (const l of links) expect((await t.client().get(new URL(l).pathname)).status).toBe(200);
    // the demo incident closed just now stays in the index with its closing (Cancel) message, for feed readers
    const powerEntry = atom.entry.find((e: { title: string }) => String(e.title).includes('Mất điện'));
    expect(String(powerEntry.summary)).toMatch(/^Cancel: /);

    await editor.post(`/staff/crisis/incidents/${incidentId}/status`, { status: 'closed' });
    const cancel = await t.db.one<{ id: number; identifier: string }>(
      `SELECT id, identifier FROM crisis_alerts WHERE incident_id = $1 AND msg_type = 'Cancel'`,
      [incidentId],
    );
    const doc = await assertValidCap((await t.client().get(`/alerts/${cancel!.id}.cap.xml`)).text, 'cancel');
    expect(String(doc.references).split(' ')).toHaveLength(2);
    expect(doc.info[0].urgency).toBe('Past');
    const after = await t.client().get('/alerts.atom');
    expect(after.text).not.toContain(`/alerts/${alerts[1].id}.cap.xml`);
  });

  it('staff choose category, certainty, instruction and validity; the closing message stays in the feed for a set time', async () => {
    await editor.get('/staff/crisis/incidents/new');
    const form = {
      title: 'Sạt lở đất tại xã Phú Vinh',
      type: 'natural',
      severity: 'severe',
      summary: 'Sạt lở taluy dương.',
      unitId: String(t.demo.provinceId),
      unitIds: [String(t.demo.communeIds[5])],
      spokespersonName: 'Ông Địa',
      hotlines: '',
      publicAlert: '1',
      areaPolygon: '',
      areaCircle: '',
      capCategory: 'Geo',
      capCertainty: 'Likely',
      alertInstruction: 'Không đi qua đèo Phú Vinh; di dời khỏi chân taluy.',
      alertInstructionEn: 'Do not use the Phu Vinh pass; move away from the slope.',
      alertExpiresHours: '0',
    };
    const bad = await editor.post('/staff/crisis/incidents', form);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Nhập số giờ từ 1 đến 720.');
    expect(bad.text).toContain('Không đi qua đèo Phú Vinh; di dời khỏi chân taluy.');
    const open = await editor.post('/staff/crisis/incidents', { ...form, alertExpiresHours: '6' });
    expect(open.status).toBe(303);
    const incidentId = Number(/incidents\/(\d+)/.exec(open.location!)![1]);
    await release(incidentId, 'Cảnh báo sạt lở', 'Nguy cơ sạt lở tiếp diễn.');
    const alert = (await t.db.one<{ id: number; sent_at: Date }>(
      `SELECT id, sent_at FROM crisis_alerts WHERE incident_id = $1`,
      [incidentId],
    ))!;
    const doc = await assertValidCap((await t.client().get(`/alerts/${alert.id}.cap.xml`)).text, 'landslide');
    expect(doc.info.map((i: { category: string }) => i.category)).toEqual(['Geo', 'Geo']);
    expect(doc.info[0].certainty).toBe('Likely');
    expect(doc.info[0].instruction).toBe('Không đi qua đèo Phú Vinh; di dời khỏi chân taluy.');
    expect(doc.info[1].instruction).toBe('Do not use the Phu Vinh pass; move away from the slope.');
    const hours = (new Date(doc.info[0].expires).getTime() - new Date(doc.sent).getTime()) / 3600_000;
    expect(hours).toBe(6);
    // the edit form shows the choices again
    const edit = await editor.get(`/staff/crisis/incidents/${incidentId}/edit`);
    expect(edit.text).toMatch(/<option value="Geo" selected/);
    // a type without a choice gets the fitting category: infrastructure → Infra
    // closing: the Cancel stays listed in /alerts.atom for CLOSED_ALERT_KEEP_HOURS, then leaves
    await editor.post(`/staff/crisis/incidents/${incidentId}/status`, { status: 'closed' });
    const cancel = (await t.db.one<{ id: number }>(
      `SELECT id FROM crisis_alerts WHERE incident_id = $1 AND msg_type = 'Cancel'`,
      [incidentId],
    ))!;
    const cdoc = await assertValidCap((await t.client().get(`/alerts/${cancel.id}.cap.xml`)).text, 'landslide-cancel');
    expect(cdoc.msgType).toBe('Cancel');
    expect(cdoc.info[0].instruction).toContain('Sự cố đã kết thúc.');
    expect(cdoc.info[0].expires).toBeTruthy();
    const feed = await t.client().get('/alerts.atom');
    expect(feed.text).toContain(`/alerts/${cancel.id}.cap.xml`);
    expect(feed.text).toMatch(/<summary[^>]*>Cancel: /);
    await t.db.query(`UPDATE crisis_incidents SET closed_at = now() - interval '49 hours' WHERE id = $1`, [incidentId]);
    expect((await t.client().get('/alerts.atom')).text).not.toContain(`/alerts/${cancel.id}.cap.xml`);
  });

  it('escapes text and validates messages built directly', async () => {
    const xml = renderCap({
      identifier: 'x.1',
      sender: 'a@b',
      sent: new Date('2026-01-02T03:04:05.678Z'),
      msgType: 'Alert',
      references: '',
      info: [
        {
          language: 'vi-VN',
          category: 'Other',
          event: 'A & B <c>',
          urgency: 'Unknown',
          severity: 'Unknown',
          certainty: 'Unknown',
          senderName: 'S',
          headline: 'H',
          description: 'D\u0001',
          web: 'http://x',
          contact: 'c',
        },
      ],
      area: { areaDesc: 'Khu vực', geocodes: [] },
    });
    expect(xml).toContain('<sent>2026-01-02T10:04:05+07:00</sent>');
    expect(xml).toContain('A &amp; B &lt;c&gt;');
    await assertValidCap(xml, 'direct');
  });

  it('bad polygons and circles are refused beside the field', async () => {
    const res = await editor.post('/staff/crisis/incidents', {
      title: 'X',
      type: 'other',
      severity: 'minor',
      unitId: String(t.demo.provinceId),
      unitIds: [String(t.demo.communeIds[0])],
      spokespersonName: 'Y',
      areaPolygon: '16.5,107.5 16.6,107.6 16.7,107.7 16.8,107.8',
      areaCircle: '95,107 5',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('điểm cuối trùng điểm đầu');
    expect(res.text).toContain('Hình tròn phải có dạng');
    expect(res.text).toContain('value="95,107 5"');
  });
});
