/**
 * What happens off-line: in-person training sessions (participants counted by unit), awards with their decision,
 * and the reach a member declares for the groups they post into. Leaders record the first two; members the third.
 */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import { common } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { parseId } from '../../../platform/ids.js';
import { nt } from '../i18n.js';
import * as prepo from '../practice-repo.js';
import { leaderScope, requireMember, type Errors, type Outcome } from './common.js';
import { audit, dateRe, unitInScope } from './internal.js';

export const AWARD_TYPES = ['certificate', 'merit', 'medal', 'other'] as const;
export const AWARD_LEVELS = ['commune', 'province', 'ministry', 'national'] as const;
export const PLATFORMS = ['zalo', 'facebook', 'telegram', 'other'] as const;

const validDate = (d: string) => dateRe.test(d) && !Number.isNaN(new Date(`${d}T00:00:00+07:00`).getTime());

/** `Phường Vỹ Dạ: 25` (or a unit code) per line → units of the leader's scope and counts; errors name the line. */
async function participantsFrom(
  db: Db,
  scope: string[],
  text: string,
  locale: Locale,
): Promise<{ list: { unitId: number; n: number }[]; error?: string }> {
  const t = nt.t(locale);
  const list = new Map<number, number>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*[:,;\t]\s*(\d{1,6})$/.exec(line);
    if (!m) return { list: [], error: t('prac.lineFormat', { line: i + 1 }) };
    const found = await prepo.unitsNamed(db, scope, m[1].trim());
    if (found.length !== 1)
      return { list: [], error: t('prac.lineUnit', { line: i + 1, name: m[1].trim().slice(0, 80) }) };
    const n = Number(m[2]);
    if (n <= 0) return { list: [], error: t('prac.lineFormat', { line: i + 1 }) };
    list.set(found[0].id, (list.get(found[0].id) ?? 0) + n);
  }
  return { list: [...list].map(([unitId, n]) => ({ unitId, n })) };
}

export async function recordSession(
  db: Db,
  p: Principal,
  form: Record<string, string>,
  locale: Locale,
): Promise<Outcome<number>> {
  const scope = leaderScope(p, 'network.train');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values = {
    unit: form.unit ?? '',
    unit_q: form.unit_q ?? '',
    held_on: (form.held_on ?? '').trim(),
    place: (form.place ?? '').trim(),
    topic: (form.topic ?? '').trim(),
    participants: form.participants ?? '',
  };
  const errors: Errors = {};
  const unit = await unitInScope(db, p, 'network.train', parseId(values.unit));
  if (!unit) errors.unit = t('err.unitScope');
  if (!validDate(values.held_on)) errors.held_on = tc('field.invalidDate');
  if (!values.place) errors.place = tc('field.required');
  else if (values.place.length > 200) errors.place = tc('field.tooLong', { max: 200 });
  if (!values.topic) errors.topic = tc('field.required');
  else if (values.topic.length > 200) errors.topic = tc('field.tooLong', { max: 200 });
  const parts = await participantsFrom(db, scope, values.participants, locale);
  if (parts.error) errors.participants = parts.error;
  else if (parts.list.length === 0) errors.participants = t('prac.noParticipants');
  if (Object.keys(errors).length || !unit) return { ok: false, errors, values };
  const id = await db.tx(async (tx) => {
    const id = await prepo.insertSession(tx, {
      unitId: unit.id,
      heldOn: values.held_on,
      place: values.place,
      topic: values.topic,
      createdBy: p.userId,
      participants: parts.list,
    });
    await recordAudit(
      tx,
      audit(p, 'network.session.create', 'network_training_session', id, unit.id, {
        heldOn: values.held_on,
        participants: parts.list.reduce((a, b) => a + b.n, 0),
      }),
    );
    return id;
  });
  return { ok: true, value: id };
}

export async function recordAward(
  db: Db,
  p: Principal,
  form: Record<string, string>,
  locale: Locale,
): Promise<Outcome<number>> {
  leaderScope(p, 'network.recognise');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values = {
    unit: form.unit ?? '',
    unit_q: form.unit_q ?? '',
    recipient: (form.recipient ?? '').trim(),
    award_type: form.award_type ?? '',
    level: form.level ?? '',
    decision_number: (form.decision_number ?? '').trim(),
    decided_on: (form.decided_on ?? '').trim(),
  };
  const errors: Errors = {};
  const unit = await unitInScope(db, p, 'network.recognise', parseId(values.unit));
  if (!unit) errors.unit = t('err.unitScope');
  if (!values.recipient) errors.recipient = tc('field.required');
  else if (values.recipient.length > 200) errors.recipient = tc('field.tooLong', { max: 200 });
  if (!(AWARD_TYPES as readonly string[]).includes(values.award_type)) errors.award_type = tc('field.invalidChoice');
  if (!(AWARD_LEVELS as readonly string[]).includes(values.level)) errors.level = tc('field.invalidChoice');
  if (!values.decision_number) errors.decision_number = tc('field.required');
  else if (values.decision_number.length > 60) errors.decision_number = tc('field.tooLong', { max: 60 });
  if (!validDate(values.decided_on)) errors.decided_on = tc('field.invalidDate');
  if (Object.keys(errors).length || !unit) return { ok: false, errors, values };
  const id = await db.tx(async (tx) => {
    const id = await prepo.insertAward(tx, {
      unitId: unit.id,
      recipient: values.recipient,
      type: values.award_type,
      level: values.level,
      decision: values.decision_number,
      decidedOn: values.decided_on,
      createdBy: p.userId,
    });
    await recordAudit(
      tx,
      audit(p, 'network.award.create', 'network_award', id, unit.id, {
        type: values.award_type,
        level: values.level,
        decision: values.decision_number,
      }),
    );
    return id;
  });
  return { ok: true, value: id };
}

export async function practiceLists(db: Db, p: Principal) {
  const scope = leaderScope(p, 'network.lead');
  const [sessions, awards] = await Promise.all([prepo.sessionsInPaths(db, scope), prepo.awardsInPaths(db, scope)]);
  return { sessions, awards, scope };
}

/** A member says how many people a group they post into reaches (a group, never a person's account). */
export async function declareReach(
  db: Db,
  p: Principal,
  form: Record<string, string>,
  locale: Locale,
): Promise<Outcome<number>> {
  const m = requireMember(p);
  const tc = common.t(locale);
  const values = {
    group_name: (form.group_name ?? '').trim(),
    platform: form.platform ?? '',
    reach: (form.reach ?? '').trim(),
  };
  const errors: Errors = {};
  if (!values.group_name) errors.group_name = tc('field.required');
  else if (values.group_name.length > 150) errors.group_name = tc('field.tooLong', { max: 150 });
  if (!(PLATFORMS as readonly string[]).includes(values.platform)) errors.platform = tc('field.invalidChoice');
  if (!/^\d{1,8}$/.test(values.reach)) errors.reach = nt.t(locale)('reach.number');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const id = await db.tx(async (tx) => {
    const id = await prepo.upsertReach(tx, {
      userId: p.userId,
      unitId: m.unitId,
      group: values.group_name,
      platform: values.platform,
      reach: Number(values.reach),
    });
    await recordAudit(
      tx,
      audit(p, 'network.reach.declare', 'network_group_reach', id, m.unitId, {
        platform: values.platform,
        reach: Number(values.reach),
      }),
    );
    return id;
  });
  return { ok: true, value: id };
}

export const myReach = (db: Db, p: Principal) => prepo.reachOf(db, requireMember(p).p.userId);
