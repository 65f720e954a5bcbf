/**
 * What happens off-line: in-person training sessions (participants counted by unit), awards with their decision,
 * and the reach a member declares for the groups they post into. Leaders record the first two; members the third.
 */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { parseId } from '../../../platform/ids.js';
import * as prepo from '../repo/practice.js';
import { FormRefused, leaderScope, requireMember } from './common.js';
import type { AwardInput, ReachInput, SessionInput } from './forms.js';
import { audit, unitInScope } from './internal.js';

export const AWARD_TYPES = ['certificate', 'merit', 'medal', 'other'] as const;
export const AWARD_LEVELS = ['commune', 'province', 'ministry', 'national'] as const;
export const PLATFORMS = ['zalo', 'facebook', 'telegram', 'other'] as const;

/** `Phường Vỹ Dạ: 25` (or a unit code) per line → units of the leader's scope and counts; a refusal names the line. */
async function participantsFrom(db: Db, scope: string[], text: string): Promise<{ unitId: number; n: number }[]> {
  const list = new Map<number, number>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*[:,;\t]\s*(\d{1,6})$/.exec(line);
    if (!m) throw new FormRefused({ participants: 'prac.lineFormat' }, { line: i + 1 });
    const found = await prepo.unitsNamed(db, scope, m[1].trim());
    if (found.length !== 1)
      throw new FormRefused({ participants: 'prac.lineUnit' }, { line: i + 1, name: m[1].trim().slice(0, 80) });
    const n = Number(m[2]);
    if (n <= 0) throw new FormRefused({ participants: 'prac.lineFormat' }, { line: i + 1 });
    list.set(found[0].id, (list.get(found[0].id) ?? 0) + n);
  }
  if (list.size === 0) throw new FormRefused({ participants: 'prac.noParticipants' });
  return [...list].map(([unitId, n]) => ({ unitId, n }));
}

export async function recordSession(db: Db, a: Actor, input: SessionInput): Promise<number> {
  const scope = leaderScope(a.principal, 'network.train');
  const unit = await unitInScope(db, a, 'network.train', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  const participants = await participantsFrom(db, scope, input.participants);
  return db.tx(async (tx) => {
    const id = await prepo.insertSession(tx, {
      unitId: unit.id,
      heldOn: input.held_on,
      place: input.place,
      topic: input.topic,
      createdBy: a.principal.userId,
      participants,
    });
    await recordAudit(
      tx,
      audit(a, 'network.session.create', 'network_training_session', id, unit.id, {
        heldOn: input.held_on,
        participants: participants.reduce((sum, p) => sum + p.n, 0),
      }),
    );
    return id;
  });
}

export async function recordAward(db: Db, a: Actor, input: AwardInput): Promise<number> {
  leaderScope(a.principal, 'network.recognise');
  const unit = await unitInScope(db, a, 'network.recognise', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  return db.tx(async (tx) => {
    const id = await prepo.insertAward(tx, {
      unitId: unit.id,
      recipient: input.recipient,
      type: input.award_type,
      level: input.level,
      decision: input.decision_number,
      decidedOn: input.decided_on,
      createdBy: a.principal.userId,
    });
    await recordAudit(
      tx,
      audit(a, 'network.award.create', 'network_award', id, unit.id, {
        type: input.award_type,
        level: input.level,
        decision: input.decision_number,
      }),
    );
    return id;
  });
}

export async function practiceLists(db: Db, a: Actor) {
  const scope = leaderScope(a.principal, 'network.lead');
  const [sessions, awards] = await Promise.all([prepo.sessionsInPaths(db, scope), prepo.awardsInPaths(db, scope)]);
  return { sessions, awards, scope };
}

/** A member says how many people a group they post into reaches (a group, never a person's account). */
export async function declareReach(db: Db, a: Actor, input: ReachInput): Promise<number> {
  const m = requireMember(a.principal);
  return db.tx(async (tx) => {
    const id = await prepo.upsertReach(tx, {
      userId: a.principal.userId,
      unitId: m.unitId,
      group: input.group_name,
      platform: input.platform,
      reach: input.reach,
    });
    await recordAudit(
      tx,
      audit(a, 'network.reach.declare', 'network_group_reach', id, m.unitId, {
        platform: input.platform,
        reach: input.reach,
      }),
    );
    return id;
  });
}

export const myReach = (db: Db, a: Actor) => prepo.reachOf(db, requireMember(a.principal).p.userId);
