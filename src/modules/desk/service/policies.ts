/** The installation's policy pages and the verdict scale. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCanForInstallation } from '../../../platform/auth/installation.js';
import { type Actor, assertCan, type Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { audit } from './shared.js';

/** The policy pages are the whole installation's: only an admin of the root unit edits them (not a ward's admin). */
export async function assertPolicyEditor(db: Db, who: Principal | null | undefined): Promise<void> {
  await assertCanForInstallation(db, who, 'desk.policies');
}

export async function savePolicy(
  db: Db,
  a: Actor,
  p: { slug: string; title: string; titleEn: string; body: string; bodyEn: string },
): Promise<void> {
  assertCan(a.principal, 'desk.policies');
  await assertPolicyEditor(db, a.principal);
  await db.tx(async (tx) => {
    await repo.upsertPolicy(tx, p, a.principal.userId);
    await audit(tx, a, 'desk.policy.update', 'desk.policy', p.slug, { title: p.title });
  });
}

/** The verdict scale is configurable (CLI `desk-verdict`); every change is audited. */
export async function upsertVerdictAudited(db: Db, v: repo.VerdictRow): Promise<void> {
  await db.tx(async (tx) => {
    await repo.upsertVerdict(tx, v);
    await recordAudit(tx, {
      actorLabel: 'cli',
      action: 'desk.verdict.save',
      entityType: 'desk.verdict',
      entityId: v.code,
      data: { ...v },
    });
  });
}
