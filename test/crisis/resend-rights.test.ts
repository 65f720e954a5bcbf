/**
 * Issue 12, the permission suite's last crisis rule: re-sending a released statement to those it did not reach
 * speaks for the office again, so it is the unit's editors' (`crisis.manage`) or the incident's spokesperson's
 * action — not every reviewer or team drafter who could draft it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createUser } from '../../src/platform/auth/service.js';
import type { TestApp, TestClient } from '../helpers/app.js';
import { type City, cityApp } from './helpers.js';
import { wardStaff } from './ward-staff.js';

let t: TestApp & { city: City };
let w: Awaited<ReturnType<typeof wardStaff>>;
let statementId: number;
const drafterEmail = 'crisis-drafter-a@test.local';
const clients = new Map<string, TestClient>();

async function as(email: string): Promise<TestClient> {
  let c = clients.get(email);
  if (!c) {
    c = t.client();
    await c.signIn(email);
    clients.set(email, c);
  }
  return c;
}

beforeAll(async () => {
  t = await cityApp();
  w = await wardStaff(t.db, t.city.communeIds);
  await grantRole(
    t.db,
    await createUser(t.db, { email: drafterEmail, name: 'drafter A', password: 'demo1234' }, 'test'),
    'handler',
    w.wardA.id,
  );
  const ea = await as(w.a.editor);
  await ea.get('/staff/crisis/incidents/new');
  const open = await ea.post('/staff/crisis/incidents', {
    title: 'Mất điện diện rộng phường A',
    titleEn: '',
    type: 'infrastructure',
    severity: 'moderate',
    summary: 'Mất điện',
    summaryEn: '',
    unitId: String(w.wardA.id),
    unitIds: String(w.wardA.id),
    spokespersonName: 'Ông A',
    spokespersonTitle: '',
    spokespersonPhone: '',
    spokespersonEmail: '',
    hotlines: '',
    areaPolygon: '',
    areaCircle: '',
  });
  expect(open.status, open.text.slice(0, 300)).toBe(303);
  const incidentId = Number(open.location!.match(/incidents\/(\d+)/)![1]);
  expect(
    (await ea.post(`/staff/crisis/incidents/${incidentId}/team`, { email: drafterEmail, role: 'drafter' })).status,
  ).toBe(303);
  const ra = await as(w.a.reviewer);
  await ra.get(`/staff/crisis/incidents/${incidentId}`);
  expect(
    (await ra.post(`/staff/crisis/incidents/${incidentId}/team`, { email: w.a.handler, role: 'spokesperson' })).status,
  ).toBe(303);
  await ea.get(`/staff/crisis/statements/new?incident=${incidentId}`);
  const draft = await ea.post('/staff/crisis/statements', {
    incidentId: String(incidentId),
    unitId: '',
    kind: 'notice',
    refersTo: '',
    title: 'Lịch cấp điện trở lại',
    titleEn: '',
    body: 'Điện được cấp lại lúc 18 giờ.',
    bodyEn: '',
    listIds: '',
  });
  expect(draft.status, draft.text.slice(0, 300)).toBe(303);
  statementId = Number(draft.location!.match(/statements\/(\d+)/)![1]);
  expect((await ea.post(`/staff/crisis/statements/${statementId}/submit`, {})).status).toBe(303);
  expect((await ra.post(`/staff/crisis/statements/${statementId}/release`, {})).status).toBe(303);
  // one press address bounced
  await t.db.query(
    `INSERT INTO notifications (channel, recipient, template, ref_type, ref_id, status, attempts, last_error) VALUES ('email', 'gone@press.example.org', 'crisis.statement', 'crisis.statement', $1, 'failed', 6, '550 no such user')`,
    [String(statementId)],
  );
});
afterAll(async () => {
  await t?.close();
});

const resends = async () =>
  (
    await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'crisis.statement.resend' AND entity_id = $1`, [
      String(statementId),
    ])
  ).length;

describe('re-sending a released statement', () => {
  it('a reviewer, a team drafter and staff of another ward are refused, and see no re-send button', async () => {
    for (const email of [w.a.reviewer, drafterEmail, w.b.editor, w.b.admin, w.a.member]) {
      const c = await as(email);
      const page = await c.get(`/staff/crisis/statements/${statementId}/deliveries`);
      if (page.status === 200) {
        expect(page.text, email).toContain('gone@press.example.org');
        expect(page.text, email).not.toContain(`/staff/crisis/statements/${statementId}/resend`);
      }
      const r = await c.post(`/staff/crisis/statements/${statementId}/resend`, {});
      expect({ email, status: r.status }).toEqual({ email, status: 403 });
    }
    expect(await resends()).toBe(0);
  });

  it('the ward’s editor and the incident’s spokesperson re-send it', async () => {
    for (const email of [w.a.editor, w.a.handler]) {
      const c = await as(email);
      const page = await c.get(`/staff/crisis/statements/${statementId}/deliveries`);
      expect(page.text, email).toContain('Gửi lại cho người chưa nhận');
      const r = await c.post(`/staff/crisis/statements/${statementId}/resend`, {});
      expect({ email, status: r.status }).toEqual({ email, status: 303 });
      expect((await c.get(r.location!)).text).toContain('Đã xếp lịch gửi lại cho 1 người nhận.');
      await t.db.query(`DELETE FROM jobs WHERE type = 'notify.deliver'`);
    }
    expect(await resends()).toBe(2);
  });
});
