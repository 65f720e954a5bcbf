/** Network services take the one actor shape ({principal, ip}): the audit log says from where a leader acted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, realCity } from '../helpers/factories.js';

describe(`network: the actor's address in the audit log (${testDbKind()})`, () => {
  let t: TestApp;
  let vyDa = 0;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    vyDa = (await realCity(t.db))['19777'].id;
    await makeCityStaff(t.db, 'actor');
  });
  afterAll(() => t?.close());

  it('a new group is audited with the address of the leader who made it', async () => {
    const c = t.client(); // the test client's address is 203.0.113.9
    await c.signIn('editor@actor.test');
    await c.get('/network/manage');
    const r = await c.post('/network/manage/groups', { unit: String(vyDa), name: 'Nhóm địa chỉ' });
    expect(r.status).toBe(303);
    const row = await t.db.one<{ ip: string | null; actor_label: string }>(
      `SELECT ip, actor_label FROM audit_log WHERE action = 'network.group.create' AND data->>'name' = 'Nhóm địa chỉ'`,
    );
    expect(row).toEqual({ ip: '203.0.113.9', actor_label: 'editor@actor.test' });
  });

  it('a unit outside the scope is refused beside its field, with the name kept', async () => {
    const c = t.client();
    await c.signIn('editor@actor.test');
    await c.get('/network/manage');
    const r = await c.post('/network/manage/groups', { unit: '999999', name: 'Nhóm ngoài phạm vi' });
    expect(r.status).toBe(422);
    expect(r.text).toContain('Bạn không phụ trách đơn vị này.');
    expect(r.text).toContain('value="Nhóm ngoài phạm vi"');
  });
});
