/**
 * Issue 12, finding 8: a webhook contact pointing at this machine or a private network is refused when saved (beside
 * the field, translated) and when sent; the delivery page no longer tells an open port from a closed one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from '../helpers/app.js';
import { actorOf } from '../helpers/factories.js';
import { type City, cityApp } from './helpers.js';
import { testConfig } from '../helpers/config.js';
import { outboundOptions } from '../../src/platform/net/outbound.js';
import * as service from '../../src/modules/crisis/service.js';
import { crisisText } from '../../src/modules/crisis/i18n.js';

let t: TestApp & { city: City };
let editor: TestClient;
let reviewer: TestClient;
let internal: http.Server;
let internalUrl = '';
let internalHits = 0;

beforeAll(async () => {
  // "an internal service" on this machine, e.g. a database admin page or the cloud metadata endpoint
  internal = http.createServer((_req, res) => {
    internalHits++;
    res.writeHead(200).end('internal secrets');
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
  t = await cityApp();
  editor = t.client();
  await editor.signIn('editor@crisis.test');
  reviewer = t.client();
  await reviewer.signIn('reviewer@crisis.test');
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => internal.close(() => r()));
});

async function newList(name: string): Promise<number> {
  const res = await editor.post('/staff/crisis/lists', { name, kind: 'custom', unitId: String(t.city.provinceId) });
  expect(res.status).toBe(303);
  return Number(res.location!.match(/lists\/(\d+)/)![1]);
}

describe('webhook contacts cannot reach internal addresses', () => {
  it('refuses loopback, private, link-local and names resolving to them when saved, in both languages, keeping what was typed', async () => {
    const list = await newList('Cổng nội bộ');
    for (const address of [
      `${internalUrl}/hook`,
      'http://localhost:6379/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/sms',
      'http://[::1]:22/',
      'http://192.168.1.1/',
      'http://0.0.0.0:5432/',
    ]) {
      const res = await editor.post(`/staff/crisis/lists/${list}/contacts`, {
        name: 'Cổng SMS',
        organisation: 'Nhà mạng',
        channel: 'webhook',
        address,
        secret: 'gateway-secret-0123456789',
        locale: 'vi',
      });
      expect(res.status, address).toBe(422);
      expect(res.text).toContain('Không được gửi tới địa chỉ nội bộ');
      expect(res.text).toContain(`value="${address.replace(/&/g, '&amp;')}"`);
    }
    await editor.get('/lang/en?next=/staff/crisis');
    const en = await editor.post(`/staff/crisis/lists/${list}/contacts`, {
      name: 'SMS',
      organisation: '',
      channel: 'webhook',
      address: `${internalUrl}/x`,
      secret: 'gateway-secret-0123456789',
      locale: 'vi',
    });
    await editor.get('/lang/vi?next=/staff/crisis');
    expect(en.status).toBe(422);
    expect(en.text).toContain('Internal addresses (this server, private or local networks) are refused');
    const page = await editor.get(`/staff/crisis/lists/${list}`);
    expect(page.text).not.toContain(internalUrl);
    expect(internalHits).toBe(0);
    expect(
      await t.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhook_endpoints WHERE url LIKE 'http://127.0.0.1%' OR url LIKE '%169.254%'`,
      ),
    ).toEqual({ n: 0 });
  });

  it('a gateway saved before this fix (or changed in the database) is not contacted when a statement is sent, and open or closed ports look the same', async () => {
    const list = await newList('Cổng cũ');
    // Two rows as the old code would have saved them: one to a listening port, one to a closed port.
    for (const [name, url] of [
      ['open', `${internalUrl}/hook`],
      ['closed', 'http://127.0.0.1:1/hook'],
    ]) {
      const ep = await t.db.one<{ id: number }>(
        `INSERT INTO webhook_endpoints (name, url, secret, events) VALUES ($1, $2, 'gateway-secret-0123456789', ARRAY['crisis.statement']) RETURNING id`,
        [name, url],
      );
      await t.db.query(`INSERT INTO crisis_contacts (list_id, name, channel, address) VALUES ($1, $2, 'webhook', $3)`, [
        list,
        name,
        String(ep!.id),
      ]);
    }
    const draft = await editor.post('/staff/crisis/statements', {
      incidentId: '',
      unitId: String(t.city.provinceId),
      kind: 'notice',
      refersTo: '',
      title: 'Thông báo thử cổng',
      titleEn: '',
      body: 'Nội dung thử.',
      bodyEn: '',
      listIds: String(list),
    });
    expect(draft.status).toBe(303);
    const id = Number(draft.location!.match(/statements\/(\d+)/)![1]);
    expect((await editor.post(`/staff/crisis/statements/${id}/submit`, {})).status).toBe(303);
    expect((await reviewer.post(`/staff/crisis/statements/${id}/release`, {})).status).toBe(303);
    await t.drainJobs();
    await t.drainJobs();
    expect(internalHits).toBe(0);
    const rows = await t.db.query<{ status: string; last_error: string; attempts: number }>(
      `SELECT status, last_error, attempts FROM notifications WHERE ref_type = 'crisis.statement' AND ref_id = $1 AND channel = 'webhook' ORDER BY id`,
      [String(id)],
    );
    expect(rows).toHaveLength(2);
    // Failed at once (no retries to time), and the two errors differ only in the address they name: no "connection refused" vs "answered 200".
    for (const r of rows) expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows.map((r) => r.last_error.replace(/\(http:\/\/127\.0\.0\.1:\d+\/hook\)/, '(URL)'))).toEqual([
      rows[0].last_error.replace(/\(http:\/\/127\.0\.0\.1:\d+\/hook\)/, '(URL)'),
      rows[0].last_error.replace(/\(http:\/\/127\.0\.0\.1:\d+\/hook\)/, '(URL)'),
    ]);
    expect(rows[0].last_error).toMatch(/^outbound\.private/);
    const page = await editor.get(`/staff/crisis/statements/${id}/deliveries`);
    expect(page.text).not.toContain('internal secrets');
    expect(page.text).not.toMatch(/ECONNREFUSED|webhook answered 200/);
  });

  it('in production a plain http gateway is refused (https only), beside the field', async () => {
    // an editor of the city
    const editorActor = await actorOf(t.db, t.city.staff.editor.id);
    const list = await newList('Cổng https');
    const production = outboundOptions(testConfig({ NODE_ENV: 'production' }));
    const err = await service
      .addContact(
        t.db,
        editorActor,
        list,
        {
          name: 'Cổng',
          organisation: '',
          channel: 'webhook',
          address: 'http://sms.example.org/hook',
          secret: 'gateway-secret-0123456789',
          locale: 'vi',
        },
        { outbound: production },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(service.CrisisError);
    expect(err.status).toBe(422);
    expect(crisisText.t('vi')(err.fields.address)).toBe('Địa chỉ webhook phải dùng https://.');
  });

  it('an operator can allow one gateway on the office network by host:port; everything else stays refused', async () => {
    t.allowOutbound(`${internalUrl}/`);
    const list = await newList('Cổng văn phòng');
    const ok = await editor.post(`/staff/crisis/lists/${list}/contacts`, {
      name: 'Cổng SMS nội bộ',
      organisation: '',
      channel: 'webhook',
      address: `${internalUrl}/hook`,
      secret: 'gateway-secret-0123456789',
      locale: 'vi',
    });
    expect(ok.status).toBe(303);
    const other = await editor.post(`/staff/crisis/lists/${list}/contacts`, {
      name: 'Khác',
      organisation: '',
      channel: 'webhook',
      address: 'http://127.0.0.1:1/hook',
      secret: 'gateway-secret-0123456789',
      locale: 'vi',
    });
    expect(other.status).toBe(422);
  });
});
