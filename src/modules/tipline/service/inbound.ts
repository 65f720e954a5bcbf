/**
 * Webhook intake and the job that answers. The webhook only checks, drops replays and queues (the platforms want an
 * answer within seconds); the conversation runs in the `tipline.inbound` job. One person sending a storm of
 * messages is slowed alone: past the per-person limit their messages are kept (for staff) but not processed, and
 * they get one "slow down" reply per minute.
 */
import type { Deps } from '../../../http/context.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { adapters } from './channels/index.js';
import type { ChannelName, Inbound } from './channels/types.js';
import { tiplineText } from '../i18n.js';
import * as repo from '../repo.js';
import { downloadImage, handleTurn, type Prefetched } from './conversation.js';
import { ocr } from './ocr.js';
import { say, sendNow } from './outbound.js';
import { channelSettings, userHash } from './settings.js';

export const INBOUND_JOB = 'tipline.inbound';
/** Messages per person per minute that are answered; the rest are kept and answered with one "slow down". */
export const PER_USER_PER_MINUTE = 30;

const describe = (ev: Inbound) =>
  ev.kind === 'text'
    ? (ev.text ?? '')
    : ev.kind === 'payload'
      ? `[${ev.payload}]`
      : ev.kind === 'location'
        ? `[location ${ev.location?.lat},${ev.location?.lon}]`
        : `[${ev.kind}]`;

/** Takes in a verified webhook's events: replays ignored, each new event queued (or kept, past the limit). */
export async function takeIn(
  deps: Pick<Deps, 'db' | 'state'>,
  channel: ChannelName,
  events: Inbound[],
): Promise<{ queued: number; replays: number; throttled: number }> {
  let queued = 0;
  let replays = 0;
  let throttled = 0;
  for (const ev of events) {
    const hash = await userHash(deps, channel, ev.userId);
    await deps.db.tx(async (tx) => {
      if (!(await repo.claimEvent(tx, channel, ev.eventId))) {
        replays++;
        return;
      }
      const r = await hit(tx, `tipline:${channel}:${hash}`, PER_USER_PER_MINUTE, 60);
      if (r.allowed) {
        const pendingId = await repo.addPending(tx, channel, hash, ev);
        await enqueue(tx, INBOUND_JOB, { channel, ev, pendingId }, { maxAttempts: 3 });
        queued++;
        return;
      }
      throttled++;
      const user = await repo.upsertUser(tx, channel, hash, ev.userId);
      await repo.insertMessage(tx, {
        userId: user.id,
        direction: 'in',
        kind: 'throttled',
        body: describe(ev).slice(0, 2000),
      });
      // one reply per minute to someone over the limit; the rest of the minute is quiet
      if ((await hit(tx, `tipline-slow:${channel}:${hash}`, 1, 60, { fixedWindow: true })).allowed)
        await say(tx, user, '', [
          { text: tiplineText.t(user.locale)('err.slowDown', { seconds: r.retryAfterSeconds }) },
        ]);
    });
  }
  return { queued, replays, throttled };
}

/**
 * The job: the person's pending messages, oldest first, under their row lock — so two messages sent a second apart
 * are handled in order even when two workers pick them up at once (the later job then finds nothing left to do).
 * Downloads and OCR for the job's own message run before the lock.
 */
export async function runInbound(deps: Deps, channel: ChannelName, ev: Inbound, pendingId?: number): Promise<void> {
  const hash = await userHash(deps, channel, ev.userId);
  const cfg = await channelSettings(deps, channel);
  if (ev.callbackId) await adapters[channel].ack?.(cfg, ev.callbackId);
  const pre: Prefetched = {};
  const askProfile = !ev.locale && Boolean(adapters[channel].profileLocale);
  const known = askProfile || ev.kind === 'image' ? await repo.userByHash(deps.db, channel, hash) : null;
  // a person's first message: the platform's profile may say their account is in English (Messenger's locale)
  const profileLocale = askProfile && !known ? await askProfileLocale(channel, cfg, ev.userId) : null;
  if (ev.kind === 'image' && ev.image) {
    pre.image = await downloadImage(deps, channel, ev);
    // a photo for a report is stored, not read; anything else is read now, before the row lock
    if (typeof pre.image !== 'string' && known?.state?.step !== 'report.photos')
      pre.ocr = await ocr(pre.image, { maxPixels: deps.config.UPLOAD_MAX_PIXELS });
  }
  let goodbye: { user: repo.UserRow; text: string } | null = null;
  await deps.db.tx(async (tx) => {
    const fresh = await repo.upsertUser(tx, channel, hash, ev.userId);
    await repo.lockUser(tx, fresh.id);
    if (profileLocale && !fresh.state?.langFixed) await repo.updateUser(tx, fresh.id, { locale: profileLocale });
    const pending = pendingId === undefined ? [{ id: -1, event: ev }] : await repo.pendingOf(tx, channel, hash);
    for (const p of pending) {
      const e = p.event as Inbound;
      const user = (await repo.getUser(tx, fresh.id))!;
      await repo.deletePending(tx, [p.id]);
      if (e.kind === 'unfollow') {
        await repo.updateUser(tx, user.id, { blocked: true });
        continue;
      }
      const inText = e.kind === 'text' && (e.text?.length ?? 0) > 4000 ? `${e.text!.slice(0, 4000)}…` : describe(e);
      await repo.insertMessage(tx, { userId: user.id, direction: 'in', kind: e.kind, body: inText });
      const out = await handleTurn({ ...deps, db: tx }, user, e, p.id === pendingId ? pre : {});
      if (out.erase) {
        goodbye = { user, text: out.replies.map((r) => r.text).join('\n') };
        await repo.deletePending(
          tx,
          pending.map((x) => x.id),
        );
        await repo.deleteUser(tx, user.id);
        return;
      }
      const locale: Locale = out.locale ?? user.locale;
      await repo.updateUser(tx, user.id, {
        state: out.state,
        locale,
        email: out.email ?? undefined,
        phone: out.phone ?? undefined,
        consent: out.consent,
      });
      await say(tx, { id: user.id, locale }, deps.config.ORG_NAME, out.replies);
    }
  });
  const g = goodbye as { user: repo.UserRow; text: string } | null;
  if (g) await sendNow(deps, g.user, { text: g.text });
}

/** The profile's language, never failing the message: an error or a refusal leaves the default (Vietnamese). */
async function askProfileLocale(
  channel: ChannelName,
  cfg: Awaited<ReturnType<typeof channelSettings>>,
  userId: string,
): Promise<Locale | null> {
  const ask = adapters[channel].profileLocale;
  if (!ask) return null;
  try {
    return await ask(cfg, userId);
  } catch {
    return null;
  }
}
