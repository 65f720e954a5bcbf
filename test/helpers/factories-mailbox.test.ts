/** The mailbox factories: each takes its row through the mailbox's own services, so the rules and the audit log apply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityWithCategories } from '../mailbox/helpers.js';
import { testApp, type TestApp } from './app.js';
import { testDbKind } from './db.js';
import { realUnit, type Unit } from './factories.js';
import { makeReportIn, makeTemplate, makeUnpublishedCategory, type ReportState } from './factories-mailbox.js';

describe(`mailbox test factories (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  let vyDa: Unit;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'fm');
    vyDa = await realUnit(t.db, '19777');
  });
  afterAll(async () => t?.close());

  it('a report in each state, taken there by the handler and the reviewer', async () => {
    const staff = { handler: u.staff.handler.id, reviewer: u.staff.reviewer.id };
    const expected: Record<ReportState, string> = {
      received: 'received',
      triaged: 'assigned', // the environment is routed to the Sở Nông nghiệp và Môi trường
      in_progress: 'in_progress',
      answered: 'answered',
      closed: 'closed',
    };
    for (const [state, status] of Object.entries(expected)) {
      const r = await makeReportIn(t.deps, { unit: vyDa, category: u.env, state: state as ReportState, ...staff });
      const row = await t.db.one<{ status: string; answer: string | null; outcome: string | null }>(
        `SELECT status, answer, outcome FROM mailbox_reports WHERE id = $1`,
        [r.id],
      );
      expect(row?.status, state).toBe(status);
      if (state === 'answered' || state === 'closed') expect(row?.answer).toBe('Đơn vị đã kiểm tra và xử lý xong.');
      if (state === 'closed') expect(row?.outcome).toBe('fixed');
    }
    await expect(makeReportIn(t.deps, { unit: vyDa, category: u.env, state: 'triaged' })).rejects.toThrow(/handler/);
  });

  it('a reply template kept by the reviewer, audited', async () => {
    const id = await makeTemplate(t.deps, u.staff.reviewer.id, {
      name: 'Môi trường: đã kiểm tra',
      category: u.env,
      body: 'Phản ánh {code} đã được kiểm tra.',
    });
    const row = await t.db.one<{ category_id: number; unit_id: number }>(
      `SELECT category_id, unit_id FROM mailbox_templates WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ category_id: u.env, unit_id: (await realUnit(t.db, '46')).id });
    const audit = await t.db.one<{ actor_label: string }>(
      `SELECT actor_label FROM audit_log WHERE action = 'mailbox.template.create' AND entity_id = $1`,
      [String(id)],
    );
    expect(audit?.actor_label).toBe('reviewer@fm.test');
  });

  it('a category whose reports are not for publication by default', async () => {
    const id = await makeUnpublishedCategory(t.deps, u.staff.admin.id, { code: 'an-ninh', name: 'An ninh, trật tự' });
    const cat = await t.db.one<{ not_public_default: boolean }>(
      `SELECT not_public_default FROM mailbox_categories WHERE id = $1`,
      [id],
    );
    expect(cat?.not_public_default).toBe(true);
    const r = await makeReportIn(t.deps, { unit: vyDa, category: id, state: 'received' });
    expect(
      (await t.db.one<{ not_public: boolean }>(`SELECT not_public FROM mailbox_reports WHERE id = $1`, [r.id]))
        ?.not_public,
    ).toBe(true);
  });
});
