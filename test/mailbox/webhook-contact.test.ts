/**
 * Issue 16's leftover: the older report events (mailbox.received, .status, .question, .answered) sent the resident's
 * phone to every endpoint subscribed to them. The phone now goes only where mailbox.sms (the event made to carry it)
 * goes: an endpoint that names mailbox.sms or takes every event; a partner subscribed to the older events alone
 * gets the same events without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/modules/mailbox/repo.js';
import * as svc from '../../src/modules/mailbox/service.js';
import { addWebhookEndpoint } from '../../src/platform/notify/notify.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

describe(`mailbox: the resident's phone only to webhooks allowed it (${testDbKind()})`, () => {
  let t: TestApp;
  const ep: Record<string, number> = {};

  beforeAll(async () => {
    t = await testApp();
    const add = async (name: string, events: string[]) =>
      (await addWebhookEndpoint(t.db, { name, url: `https://${name}.example.org/hook`, secret: 's', events })).id;
    ep.partner = await add('partner', ['mailbox.received', 'mailbox.status']);
    ep.gateway = await add('gateway', ['mailbox.sms', 'mailbox.received']);
    ep.all = await add('all', []);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a partner subscribed to mailbox.received gets the event without the phone; the gateway and an all-events endpoint get it with', async () => {
    const { categories, units } = await repo.pickerLists(t.deps);
    const r = await svc.createReport(
      t.deps,
      {
        category: categories[0].id,
        unit: units[0].id,
        title: 'Nước thải tràn ra đường',
        description: 'Cống trước chợ bị tắc, nước thải tràn ra đường từ sáng.',
        address: null,
        lat: null,
        lon: null,
        name: 'Nguyễn Văn A',
        phone: '0905111222',
        email: null,
        show_name: false,
      },
      { source: 'web', locale: 'vi' },
    );
    const sent = await t.db.query<{ recipient: string; vars: Record<string, string> }>(
      `SELECT recipient, vars FROM notifications WHERE channel = 'webhook' AND template = 'mailbox.received'
       AND ref_id = $1`,
      [String(r.id)],
    );
    const to = (id: number) => sent.find((n) => n.recipient === String(id))?.vars;
    expect(to(ep.partner)).toMatchObject({ code: r.code, status: 'received' });
    expect(to(ep.partner)).not.toHaveProperty('phone');
    expect(JSON.stringify(to(ep.partner))).not.toContain('0905111222');
    expect(to(ep.gateway)).toMatchObject({ code: r.code, phone: '0905111222' });
    expect(to(ep.all)).toMatchObject({ code: r.code, phone: '0905111222' });
  });
});
