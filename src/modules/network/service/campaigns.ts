/** Campaigns: creating, fanning out, the member's feed, shares, following links, editing and cancelling. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan, can, ForbiddenError, inSubtree, type Actor } from '../../../platform/auth/permissions.js';
import { localDate } from '../../../platform/i18n/index.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { findUnitById } from '../../../platform/units/repo.js';
import { publishedItems, recentPublished, type PublishedItem } from '../../desk/public.js';
import { releasedStatements } from '../../crisis/public.js';
import type { NetKey } from '../i18n.js';
import {
  hashedIp,
  isBot,
  linkCode,
  parseLinkCode,
  REPEAT_WINDOW_SECONDS,
  shareUrls,
  visitFingerprint,
} from './links.js';
import * as repo from '../repo.js';
import { FormRefused, leaderScope, NetworkError, requireMember, type Values } from './common.js';
import type { CampaignCancelInput, CampaignEditInput, CampaignInput } from './forms.js';
import { audit, dateRe, vnEnd, vnStart } from './internal.js';
import { parseId } from '../../../platform/ids.js';
import { type AppState, slot } from '../../../platform/app-state.js';
import { installationSecret } from '../../../platform/secrets.js';

/** What the campaign pages and the link redirect need of the app: its database and its per-app memory. */
export type NetDeps = { db: Db; state: AppState };
const secretOf = (deps: NetDeps) => installationSecret(deps, 'network.secret');
/** Link targets looked up recently (30 s), and fingerprints this app counted recently, until their window ends. */
const TARGETS = slot('network.linkTargets', () => new Map<string, { at: number; v: repo.LinkTarget | undefined }>());
const SEEN = slot('network.recentlySeen', () => new Map<string, number>());

export interface PickItem {
  key: string;
  kind: string;
  title: string;
  url: string;
  refId: number;
}

/** What an editor may put in a campaign: recent published desk items and released statements. */
export async function contentChoices(db: Db): Promise<PickItem[]> {
  const [desk, statements] = await Promise.all([
    recentPublished(db, { limit: 30 }).catch(() => [] as PublishedItem[]),
    releasedStatements(db, { limit: 20 }).catch(() => []),
  ]);
  return [
    ...desk.map((d) => ({ key: `${d.kind}:${d.id}`, kind: d.kind, title: d.title, url: d.url, refId: d.id })),
    ...statements.map((s) => ({
      key: `statement:${s.id}`,
      kind: 'statement',
      title: `${s.number} — ${s.title}`,
      url: s.url,
      refId: s.id,
    })),
  ];
}

/**
 * A new campaign from its form (campaignSchema); the service checks what needs the database: the items chosen, the
 * page links, the units and groups in the organiser's scope and that someone is reached (FormRefused otherwise).
 */
export async function createCampaign(
  db: Db,
  a: Actor,
  input: CampaignInput,
): Promise<{ id: number; audience: number }> {
  const scope = leaderScope(a.principal, 'network.campaign');
  const { items, units, groups } = input;
  const errors: Partial<Record<string, NetKey | 'field.invalidChoice'>> = {};
  // items: chosen published content, then page links
  const chosen: { kind: string; refId: number | null; title: string; url: string }[] = [];
  const choices = new Map((await contentChoices(db)).map((c) => [c.key, c]));
  const deskIds = items
    .filter((k) => /^(article|video|factcheck):\d+$/.test(k))
    .map((k) => parseId(k.split(':')[1]))
    .filter((id): id is number => id !== null);
  const known = new Map(
    (await publishedItems(db, deskIds).catch(() => [] as PublishedItem[])).map((d) => [`${d.kind}:${d.id}`, d]),
  );
  for (const k of items) {
    const c =
      choices.get(k) ??
      (known.get(k)
        ? { kind: known.get(k)!.kind, title: known.get(k)!.title, url: known.get(k)!.url, refId: known.get(k)!.id }
        : undefined);
    if (!c) {
      errors.items = 'field.invalidChoice';
      continue;
    }
    chosen.push({ kind: c.kind, refId: c.refId, title: c.title.slice(0, 300), url: c.url });
  }
  for (const l of input.links)
    chosen.push({ kind: 'link', refId: null, title: (l.title || l.path).slice(0, 300), url: l.path });
  // targets: units and groups inside the editor's scope
  const unitIds: number[] = [];
  for (const u of units) {
    const unitId = parseId(u);
    const unit = unitId ? await findUnitById(db, unitId) : undefined;
    if (!unit || !scope.some((s) => inSubtree(unit.path, s))) {
      errors.units = 'err.unitScope';
      continue;
    }
    unitIds.push(unit.id);
  }
  const groupIds: number[] = [];
  for (const g of groups) {
    const groupId = parseId(g);
    const grp = groupId ? await repo.findGroup(db, groupId) : undefined;
    if (!grp || !scope.some((s) => inSubtree(grp.path, s))) {
      errors.units = 'err.unitScope';
      continue;
    }
    groupIds.push(grp.id);
  }
  if (Object.keys(errors).length) throw new FormRefused(errors);
  // only "is anyone reached?" here: the fan-out job counts and notifies, so a large audience never holds the request
  if (!(await repo.audienceExists(db, unitIds, groupIds))) throw new FormRefused({ units: 'err.emptyAudience' });
  const audience = 0;
  const ownerUnit = unitIds.length ? unitIds[0] : (await repo.findGroup(db, groupIds[0]))!.unit_id;
  const startsAt = vnStart(input.starts);
  const id = await db.tx(async (tx) => {
    const id = await repo.insertCampaign(tx, {
      title: input.title,
      message: input.message,
      unitId: ownerUnit,
      createdBy: a.principal.userId,
      startsAt,
      endsAt: vnEnd(input.ends),
      audience,
    });
    // each item's suggested caption: the one written for the campaign, else the item's own title
    await repo.insertItems(
      tx,
      id,
      chosen.map((c) => ({ ...c, caption: input.caption || c.title })),
    );
    await repo.insertTargets(tx, id, unitIds, groupIds);
    await enqueue(tx, 'network.fanout', { campaignId: id }, { runAt: startsAt, uniqueKey: `network.fanout:${id}` });
    await recordAudit(
      tx,
      audit(a, 'network.campaign.create', 'network_campaign', id, ownerUnit, {
        audience,
        items: chosen.length,
        units: unitIds,
        groups: groupIds,
      }),
    );
    return id;
  });
  return { id, audience };
}

export const FANOUT_BATCH = 5000;

/** The fan-out job: recipients in one INSERT … SELECT, then notifications and delivery jobs in batches. */
export async function fanout(
  db: Db,
  campaignId: number,
  baseUrl: string,
  batch = FANOUT_BATCH,
): Promise<{ users: number; messages: number }> {
  const c = await repo.findCampaign(db, campaignId);
  if (!c || c.status !== 'launched') return { users: 0, messages: 0 };
  await repo.insertRecipients(db, campaignId);
  const vars = { title: c.title, message: c.message, url: `${baseUrl}/network/campaigns/${campaignId}` };
  let users = 0;
  let messages = 0;
  let after = 0; // keyset: each batch starts past the last member of the one before
  for (;;) {
    const r = await db.tx((tx) => repo.queueNotificationBatch(tx, campaignId, batch, vars, after));
    users += r.users;
    messages += r.messages;
    if (r.users < batch || r.last == null) break;
    after = r.last;
  }
  await repo.finishFanout(db, campaignId);
  return { users, messages };
}

export function campaignState(
  c: { status: string; starts_at: Date; ends_at: Date },
  now = Date.now(),
): 'active' | 'scheduled' | 'ended' | 'cancelled' {
  if (c.status === 'cancelled') return 'cancelled';
  if (new Date(c.ends_at).getTime() <= now) return 'ended';
  if (new Date(c.starts_at).getTime() > now) return 'scheduled';
  return 'active';
}

export interface FeedItem {
  id: number;
  kind: string;
  title: string;
  url: string;
  publicUrl: string;
  link: string;
  share: ReturnType<typeof shareUrls>;
  shared: string[] /** the text to paste: the suggested caption, then the member's own link */;
  caption: string;
}

async function withLinks(
  deps: NetDeps,
  items: repo.ItemRow[],
  userId: number,
  baseUrl: string,
  shares: { item_id: number; channel: string }[] = [],
): Promise<FeedItem[]> {
  const secret = await secretOf(deps);
  return items.map((i) => {
    const link = `${baseUrl}/s/${linkCode(secret, i.id, userId)}`;
    return {
      id: i.id,
      kind: i.kind,
      title: i.title,
      url: i.url,
      publicUrl: i.url.startsWith('/') ? baseUrl + i.url : i.url,
      link,
      share: shareUrls(link, i.title),
      shared: shares.filter((s) => s.item_id === i.id).map((s) => s.channel),
      caption: `${i.caption ?? i.title}\n${link}`,
    };
  });
}

export async function memberCampaigns(deps: NetDeps, a: Actor, baseUrl: string) {
  requireMember(a.principal);
  const db = deps.db;
  const campaigns = await repo.activeCampaignsFor(db, a.principal.userId);
  const items = await repo.itemsOfMany(
    db,
    campaigns.map((c) => c.id),
  );
  const out = [];
  for (const c of campaigns)
    out.push({
      ...c,
      items: await withLinks(
        deps,
        items.filter((i) => i.campaign_id === c.id),
        a.principal.userId,
        baseUrl,
      ),
    });
  return out;
}

export async function openCampaign(deps: NetDeps, a: Actor, id: number, baseUrl: string) {
  const m = requireMember(a.principal);
  const db = deps.db;
  const c = (await repo.activeCampaignsFor(db, a.principal.userId)).find((x) => x.id === id);
  if (!c)
    throw (await repo.findCampaign(db, id))?.status === 'cancelled'
      ? new NetworkError(410, 'camp.withdrawn')
      : new NetworkError(404, 'feed.noCampaigns');
  const unitId =
    (await repo.findCampaign(db, id)) &&
    (
      await db.one<{ unit_id: number }>(
        `SELECT unit_id FROM network_recipients WHERE campaign_id = $1 AND user_id = $2`,
        [id, a.principal.userId],
      )
    )?.unit_id;
  await repo.markOpened(db, id, a.principal.userId, unitId ?? m.unitId);
  const shares = await repo.sharesOf(db, id, a.principal.userId);
  return { campaign: c, items: await withLinks(deps, await repo.itemsOf(db, id), a.principal.userId, baseUrl, shares) };
}

export const CHANNELS = ['facebook', 'zalo', 'x', 'other'] as const;

export async function reportShare(
  db: Db,
  a: Actor,
  campaignId: number,
  itemId: number,
  channel: string,
): Promise<boolean> {
  const m = requireMember(a.principal);
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new NetworkError(422, 'camp.channel');
  const c = (await repo.activeCampaignsFor(db, a.principal.userId)).find((x) => x.id === campaignId);
  const item = c ? (await repo.itemsOf(db, campaignId)).find((i) => i.id === itemId) : undefined;
  if (!c || !item) throw new NetworkError(404, 'feed.noCampaigns');
  const unitId =
    (
      await db.one<{ unit_id: number }>(
        `SELECT unit_id FROM network_recipients WHERE campaign_id = $1 AND user_id = $2`,
        [campaignId, a.principal.userId],
      )
    )?.unit_id ?? m.unitId;
  return db.tx(async (tx) => {
    await repo.markOpened(tx, campaignId, a.principal.userId, unitId);
    return repo.insertShare(tx, { campaignId, itemId, userId: a.principal.userId, unitId, channel });
  });
}

export type LinkOutcome =
  | { kind: 'redirect'; url: string; counted: boolean }
  | { kind: 'ended'; url: string }
  | { kind: 'withdrawn' };

/** A short link that was altered, made up, or points at nothing (any more): 404. */
export class InvalidLink extends NetworkError {
  constructor() {
    super(404, 'link.invalid');
  }
}

/** Drops this app's cached link targets of a campaign, so an edit or a cancellation applies to its links at once. */
function forgetCampaignLinks(state: AppState, campaignId: number): void {
  const targets = state.get(TARGETS);
  for (const [k, e] of targets) if (e.v?.campaign_id === campaignId) targets.delete(k);
}

/**
 * A visit to /s/CODE: checks the signature, counts one click for the member's unit unless it is a bot or a repeat.
 * A bad code or a link to nothing throws InvalidLink.
 */
export async function followLink(
  deps: NetDeps,
  code: string,
  visitor: { ip: string; userAgent: string | undefined },
  opts: { rateLimit: boolean },
): Promise<LinkOutcome> {
  const db = deps.db;
  const targetCache = deps.state.get(TARGETS);
  const recentlySeen = deps.state.get(SEEN);
  const secret = await secretOf(deps);
  const ids = parseLinkCode(secret, code);
  if (!ids) throw new InvalidLink();
  const key = `${ids.itemId}:${ids.userId}`;
  let cached = targetCache.get(key);
  if (!cached || Date.now() - cached.at > 30_000) {
    cached = { at: Date.now(), v: await repo.linkTarget(db, ids.itemId, ids.userId) };
    if (targetCache.size > 20_000) targetCache.clear();
    targetCache.set(key, cached);
  }
  const target = cached.v;
  if (!target) throw new InvalidLink();
  const state = campaignState(target);
  if (state === 'cancelled') return { kind: 'withdrawn' };
  if (state === 'ended') return { kind: 'ended', url: target.url };
  let counted = false;
  if (state === 'active' && target.unit_id && !isBot(visitor.userAgent)) {
    let allowed = true;
    if (opts.rateLimit) allowed = (await hit(db, `network.click:${hashedIp(secret, visitor.ip)}`, 60, 60)).allowed;
    if (allowed) {
      const fp = visitFingerprint(secret, visitor.ip, visitor.userAgent ?? '', code);
      // a repeat this process has already seen skips the database; the table decides across processes
      const seenUntil = recentlySeen.get(fp);
      if (seenUntil && seenUntil > Date.now()) return { kind: 'redirect', url: target.url, counted: false };
      counted = await repo.countClick(db, fp, REPEAT_WINDOW_SECONDS, {
        campaignId: target.campaign_id,
        itemId: target.item_id,
        userId: ids.userId,
        unitId: target.unit_id,
      });
      if (recentlySeen.size > 50_000) recentlySeen.clear();
      recentlySeen.set(fp, Date.now() + REPEAT_WINDOW_SECONDS * 1000);
    }
  }
  return { kind: 'redirect', url: target.url, counted };
}

export async function campaignDetail(db: Db, a: Actor, id: number) {
  const scope = leaderScope(a.principal, 'network.lead');
  const c = await repo.findCampaign(db, id);
  if (!c) throw new NetworkError(404, 'cm.none');
  const rows = await repo.campaignFiguresByUnit(db, id, scope);
  const targets = await repo.targetsOf(db, id);
  const visible = scope.some((s) => inSubtree(c.unit_path, s)) || rows.length > 0;
  if (!visible) throw new ForbiddenError('network.lead');
  const notify = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications WHERE ref_type = 'network.campaign' AND ref_id = $1 GROUP BY status`,
    [String(id)],
  );
  return {
    campaign: c,
    items: await repo.itemsOf(db, id),
    targets,
    rows,
    notify: Object.fromEntries(notify.map((r) => [r.status, r.n])) as Record<string, number>,
    canOrganise: can(a.principal, 'network.campaign', c.unit_path),
  };
}

/** The campaign, if the principal organises it: network.campaign on the unit that owns it (where it was launched from). */
export async function organisedCampaign(db: Db, a: Actor, id: number) {
  leaderScope(a.principal, 'network.campaign');
  const c = await repo.findCampaign(db, id);
  if (!c) throw new NetworkError(404, 'cm.none');
  assertCan(a.principal, 'network.campaign', c.unit_path);
  return c;
}

/** The last day of a campaign, as the date the form shows (ends_at is the midnight after it, Vietnam time). */
export const lastDay = (endsAt: Date) => localDate(new Date(new Date(endsAt).getTime() - 1));

export const campaignValues = (c: repo.CampaignRow): Values => ({
  title: c.title,
  message: c.message,
  ends: lastDay(c.ends_at),
});

/**
 * The end date against the campaign: not before its start, not already over. The edit form shows these beside the
 * field together with the schema's own messages, as one refusal.
 */
export function campaignEndRules(c: { starts_at: Date }, ends: string): { ends?: NetKey } {
  if (!dateRe.test(ends) || Number.isNaN(vnStart(ends).getTime())) return {};
  if (ends < localDate(new Date(c.starts_at))) return { ends: 'err.endsBeforeStart' };
  if (vnEnd(ends).getTime() <= Date.now()) return { ends: 'err.endsPast' };
  return {};
}

export async function editCampaign(deps: NetDeps, a: Actor, id: number, input: CampaignEditInput): Promise<void> {
  const db = deps.db;
  const c = await organisedCampaign(db, a, id);
  const state = campaignState(c);
  if (state === 'ended' || state === 'cancelled') throw new NetworkError(409, 'cm.err.notEditable');
  const refused = campaignEndRules(c, input.ends);
  if (refused.ends) throw new FormRefused(refused);
  const before = campaignValues(c);
  const changed = (['title', 'message', 'ends'] as const).filter((k) => before[k] !== input[k]);
  if (changed.length === 0) return;
  await db.tx(async (tx) => {
    if (
      !(await repo.updateCampaign(tx, id, {
        title: input.title,
        message: input.message,
        endsAt: vnEnd(input.ends),
        by: a.principal.userId,
      }))
    )
      throw new NetworkError(409, 'cm.err.notEditable');
    await recordAudit(
      tx,
      audit(a, 'network.campaign.update', 'network_campaign', id, c.unit_id, {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, input[k]])),
      }),
    );
  });
  forgetCampaignLinks(deps.state, id);
}

export async function cancelCampaign(deps: NetDeps, a: Actor, id: number, input: CampaignCancelInput): Promise<void> {
  const db = deps.db;
  const c = await organisedCampaign(db, a, id);
  if (c.status === 'cancelled') throw new NetworkError(409, 'cm.err.alreadyCancelled');
  await db.tx(async (tx) => {
    const clicks = (await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM network_clicks WHERE campaign_id = $1`,
      [id],
    ))!.n;
    const stopped = await repo.cancelCampaign(tx, id, a.principal.userId, input.reason);
    if (stopped == null) throw new NetworkError(409, 'cm.err.alreadyCancelled');
    await recordAudit(
      tx,
      audit(a, 'network.campaign.cancel', 'network_campaign', id, c.unit_id, {
        reason: input.reason,
        was: campaignState(c),
        clicksKept: clicks,
        notificationsStopped: stopped,
      }),
    );
  });
  forgetCampaignLinks(deps.state, id);
}

export const per100 = (clicks: number, reached: number) =>
  reached > 0 ? Math.round((clicks / reached) * 1000) / 10 : null;
