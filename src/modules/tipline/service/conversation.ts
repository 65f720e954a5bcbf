/**
 * The conversation: one step per incoming message. Forward something to check, send a report (a guided form),
 * follow a code, subscribe to alerts for a ward, stop everything, see or delete one's data; anything that fits
 * nothing gets the menu. Buttons send payloads ('#report', '#cat:3'); typed words work too (Zalo shows few buttons).
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../../http/context.js';
import { formatDateTime, type Locale, type Translate } from '../../../platform/i18n/index.js';
import { AppError } from '../../../platform/errors.js';
import * as mailbox from '../../mailbox/public.js';
import { adapters } from './channels/index.js';
import { TooLargeError } from './channels/http.js';
import type { Button, Inbound } from './channels/types.js';
import { tiplineText, type TiplineKey } from '../i18n.js';
import * as repo from '../repo.js';
import { claimAnswer, matchClaim, submitClaim } from './desk.js';
import { ocr, type OcrResult } from './ocr.js';
import type { Say } from './outbound.js';
import { channelSettings } from './settings.js';

export const MAX_TEXT = 4000;
const CODE_RE = /\b(PA-\d{4}-\d{1,9}|KC-[A-HJ-NP-Z2-9]{7})\b/i;

export interface TurnResult {
  replies: Say[];
  state: repo.ConversationState;
  locale?: Locale;
  email?: string | null;
  phone?: string | null;
  consent?: boolean;
  /** delete everything about this person once the goodbye is sent */
  erase?: boolean;
  stopAll?: boolean;
}

/** Work done before the person's row is locked (downloads and OCR take seconds; nobody else should wait for them). */
export interface Prefetched {
  image?: Buffer | TiplineKey;
  ocr?: OcrResult;
}

interface Turn {
  pre: Prefetched;
  deps: Deps;
  user: repo.UserRow;
  ev: Inbound;
  locale: Locale;
  t: Translate<TiplineKey>;
  out: TurnResult;
}

export const newToken = () => randomBytes(18).toString('base64url');
export const statusUrl = (baseUrl: string, token: string) => `${baseUrl}/tipline/s/${token}`;

/** Lower-case, without diacritics (đ → d), single spaces. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const WORDS: Record<string, string[]> = {
  '#menu': [
    'menu',
    'help',
    'tro giup',
    'giup',
    'huong dan',
    '/start',
    '/help',
    'start',
    'bat dau',
    'hi',
    'hello',
    'xin chao',
    'chao',
  ],
  '#cancel': ['huy', 'cancel', 'thoi'],
  '#stop': ['stop', 'dung lai', 'huy dang ky', 'unsubscribe', '/stop'],
  '#check': ['kiem chung', 'check', 'tin nay dung khong', 'is this true'],
  '#report': ['phan anh', 'gui phan anh', 'report', 'kien nghi'],
  '#follow': ['theo doi', 'follow', 'tra cuu'],
  '#sub': ['canh bao', 'nhan canh bao', 'alerts', 'subscribe', 'dang ky'],
  '#data': ['du lieu', 'du lieu cua toi', 'my data', 'data'],
  '#delete': ['xoa du lieu', 'xoa', 'delete', 'delete my data'],
  '#lang': ['english', 'tieng viet', 'tieng anh'],
  '#yes': ['co', 'dong y', 'yes', 'ok', 'y'],
  '#no': ['khong', 'no', 'n'],
  '#skip': ['bo qua', 'skip'],
  '#done': ['xong', 'done', 'het'],
};

/** The payload a message carries: a button's, or a typed word that means one. */
function payloadOf(ev: Inbound): string | null {
  if (ev.kind === 'payload') return ev.payload ?? null;
  if (ev.kind !== 'text' || !ev.text) return null;
  const raw = ev.text.trim();
  if (/^#[a-z]+(:\d+)?$/.test(raw)) return raw;
  const f = fold(raw).replace(/[.!?]+$/, '');
  if (f.length > 25) return null;
  for (const [p, words] of Object.entries(WORDS)) if (words.includes(f)) return p;
  return null;
}

function menu(x: Turn): Say {
  const b = (k: TiplineKey, payload: string): Button => ({ title: x.t(k), payload });
  return {
    text: x.t('menu.intro', { org: x.deps.config.ORG_NAME }),
    buttons: [
      b('btn.check', '#check'),
      b('btn.report', '#report'),
      b('btn.follow', '#follow'),
      b('btn.subscribe', '#sub'),
      b('btn.stopAll', '#stop'),
      b('btn.data', '#data'),
      b('btn.lang', '#lang'),
    ],
  };
}

const reply = (x: Turn, text: string, buttons?: Button[], caseId?: number) =>
  x.out.replies.push({ text, buttons, caseId });
const cancelBtn = (x: Turn): Button => ({ title: x.t('btn.cancel'), payload: '#cancel' });

export async function handleTurn(
  deps: Deps,
  user: repo.UserRow,
  ev: Inbound,
  pre: Prefetched = {},
): Promise<TurnResult> {
  const state: repo.ConversationState = { ...(user.state ?? {}) };
  let locale: Locale = user.locale;
  if (ev.locale && !state.langFixed && ev.locale !== locale) locale = ev.locale;
  const x: Turn = { pre, deps, user, ev, locale, t: tiplineText.t(locale), out: { replies: [], state, locale } };
  await step(x);
  return x.out;
}

async function step(x: Turn): Promise<void> {
  const { ev } = x;
  const st = x.out.state;
  if (ev.kind === 'unfollow') return;
  if (ev.kind === 'follow') return void reply(x, menu(x).text, menu(x).buttons);
  const p = payloadOf(ev);
  // commands that work at any step
  if (p === '#menu') return reset(x, () => void x.out.replies.push(menu(x)));
  if (p === '#cancel')
    return reset(x, () =>
      reply(x, x.t(st.step?.startsWith('report') ? 'report.cancelled' : 'check.notFiled'), menu(x).buttons),
    );
  if (p === '#stop') return stopAll(x);
  if (p === '#stopalerts') {
    await repo.unsubscribe(x.deps.db, x.user.id, null);
    return void reply(x, x.t('sub.stoppedAll'));
  }
  if (p === '#lang') {
    x.out.locale = x.locale === 'vi' ? 'en' : 'vi';
    x.t = tiplineText.t(x.out.locale);
    st.langFixed = true;
    x.locale = x.out.locale;
    reply(x, x.t('lang.set'));
    return void x.out.replies.push(menu(x));
  }
  if (p === '#data') return dataSummary(x);
  if (p === '#delete') {
    x.out.state = { ...st, step: 'delete.confirm' };
    return void reply(x, x.t('data.deleteConfirm'), [
      { title: x.t('btn.delete'), payload: '#yes' },
      { title: x.t('btn.cancel'), payload: '#cancel' },
    ]);
  }
  if (p?.startsWith('#unsub:')) return unsubscribeOne(x, Number(p.slice(7)));

  switch (st.step) {
    case 'delete.confirm':
      if (p === '#yes') {
        x.out.erase = true;
        return void reply(x, x.t('data.deleted'));
      }
      break;
    case 'check.consent':
      if (p === '#yes' || p === '#no') return consent(x, p === '#yes');
      break;
    case 'check.wait':
      if (ev.kind === 'text' && !p) return check(x, ev.text ?? '');
      if (ev.kind === 'image') return checkImage(x);
      break;
    case 'report.category':
    case 'report.unit':
    case 'report.description':
    case 'report.photos':
    case 'report.location':
    case 'report.contact':
      return reportStep(x, p);
    case 'follow':
      if (ev.kind === 'text' && !p) return follow(x, ev.text ?? '');
      break;
    case 'sub.unit':
      if ((ev.kind === 'text' && !p) || p?.startsWith('#unit:')) return subscribeStep(x, p);
      break;
  }

  // idle, or a message that leaves the current step
  x.out.state = { langFixed: st.langFixed };
  if (p === '#check') {
    x.out.state.step = 'check.wait';
    return void reply(x, x.t('check.ask'), [cancelBtn(x)]);
  }
  if (p === '#report') return startReport(x);
  if (p === '#follow') {
    x.out.state.step = 'follow';
    return void reply(x, x.t('follow.ask'), [cancelBtn(x)]);
  }
  if (p === '#sub') {
    x.out.state.step = 'sub.unit';
    return void reply(x, x.t('sub.ask'), [cancelBtn(x)]);
  }
  if (ev.kind === 'image') return checkImage(x);
  if (ev.kind === 'unsupported') {
    reply(x, x.t('err.unsupported'));
    return void x.out.replies.push(menu(x));
  }
  if (ev.kind === 'text' && !p && ev.text) {
    const code = ev.text.match(CODE_RE);
    if (code && ev.text.trim().length <= 40) return follow(x, code[1]!);
    if (looksLikeClaim(ev.text)) return check(x, ev.text);
  }
  x.out.replies.push(menu(x));
}

/** A forwarded rumour: a link, or a sentence long enough to be checked. Short chit-chat gets the menu. */
export function looksLikeClaim(text: string): boolean {
  const s = text.trim();
  return /https?:\/\/\S+/i.test(s) || s.split(/\s+/).length >= 5;
}

function reset(x: Turn, then: () => void): void {
  x.out.state = { langFixed: x.out.state.langFixed };
  then();
}

// ---------- "is this true?" ----------

async function check(x: Turn, raw: string): Promise<void> {
  let text = raw.normalize('NFC').trim();
  if (text.length > MAX_TEXT) {
    text = text.slice(0, MAX_TEXT);
    reply(x, x.t('check.truncated', { n: MAX_TEXT.toLocaleString('vi-VN') }));
  }
  const m = await matchClaim(x.deps, text, x.locale);
  if (m.answered) {
    const best = m.results[0]!;
    const c = await repo.insertCase(x.deps.db, {
      userId: x.user.id,
      channel: x.user.channel,
      kind: 'check',
      code: null,
      token: newToken(),
      status: 'answered',
      instant: true,
    });
    x.out.state = { langFixed: x.out.state.langFixed };
    return void reply(
      x,
      x
        .t('check.answered', {
          verdict: best.verdictLabel ?? best.verdict ?? '',
          title: best.title,
          summary: best.summary ?? '',
          url: absolute(x, best.url),
        })
        .replace(/\n\n+/g, '\n'),
      undefined,
      c.id,
    );
  }
  x.out.state = { langFixed: x.out.state.langFixed, step: 'check.consent', claim: { text } };
  // below the answer threshold: titles and links only, never a verdict on what the person sent
  if (m.related.length)
    reply(x, x.t('check.related', { list: m.related.map((r) => `• ${r.title} — ${absolute(x, r.url)}`).join('\n') }));
  reply(x, x.t('check.consent'), [
    { title: x.t('btn.yes'), payload: '#yes' },
    { title: x.t('btn.no'), payload: '#no' },
  ]);
}

const absolute = (x: Turn, url: string) => (/^https?:\/\//.test(url) ? url : `${x.deps.config.baseUrl}${url}`);

async function consent(x: Turn, yes: boolean): Promise<void> {
  const claim = x.out.state.claim;
  x.out.state = { langFixed: x.out.state.langFixed };
  if (!yes || !claim) return void reply(x, x.t('check.notFiled'), menu(x).buttons);
  const link = claim.text.match(/https?:\/\/\S+/i)?.[0] ?? null;
  const filed = await submitClaim(x.deps, { text: claim.text, link, seenWhere: x.user.channel, source: 'api' });
  const token = newToken();
  const c = await repo.insertCase(x.deps.db, {
    userId: x.user.id,
    channel: x.user.channel,
    kind: 'check',
    code: filed.code,
    token,
  });
  x.out.consent = true;
  reply(x, x.t('check.filed', { code: filed.code, url: statusUrl(x.deps.config.baseUrl, token) }), undefined, c.id);
  // the cluster may already be answered (someone asked the same before): answered on the next watch run
}

async function fetchImage(x: Turn): Promise<Buffer | TiplineKey> {
  if (x.pre.image) return x.pre.image;
  return downloadImage(x.deps, x.user.channel, x.ev);
}

export async function downloadImage(
  deps: Deps,
  channel: repo.UserRow['channel'],
  ev: Inbound,
): Promise<Buffer | TiplineKey> {
  const x = { deps, user: { channel } };
  const img = ev.image!;
  const max = x.deps.config.UPLOAD_MAX_BYTES;
  if (img.size && img.size > max) return 'err.imageTooLarge';
  const cfg = await channelSettings(x.deps, x.user.channel);
  try {
    return await adapters[x.user.channel].download(cfg, img.ref, max);
  } catch (err) {
    if (err instanceof TooLargeError) return 'err.imageTooLarge';
    throw err;
  }
}

const mb = (x: Turn) => Math.round(x.deps.config.UPLOAD_MAX_BYTES / 1024 / 1024);

async function checkImage(x: Turn): Promise<void> {
  const bytes = await fetchImage(x);
  if (typeof bytes === 'string') return void reply(x, x.t(bytes, { mb: mb(x) }));
  const r = x.pre.ocr ?? (await ocr(bytes, { maxPixels: x.deps.config.UPLOAD_MAX_PIXELS }));
  if (!r.ok) {
    if (r.error === 'failed') throw new Error('OCR failed');
    return void reply(x, x.t(r.error === 'tooManyPixels' ? 'err.imageTooLarge' : 'err.notImage', { mb: mb(x) }));
  }
  const text = [x.ev.text, r.text].filter(Boolean).join('\n').trim();
  if (text.replace(/\W/g, '').length < 3) return void reply(x, x.t('check.ocrEmpty'));
  reply(x, x.t('check.ocrRead', { text: text.length > 300 ? `${text.slice(0, 300)}…` : text }));
  await check(x, text);
}

// ---------- a report to the mailbox ----------

async function startReport(x: Turn): Promise<void> {
  const { categories } = await mailbox.reportPickers(x.deps);
  x.out.state = {
    langFixed: x.out.state.langFixed,
    step: 'report.category',
    report: { photos: [] },
    choices: categories.map((c) => c.id),
  };
  const name = (c: { name: string; nameEn: string }) => (x.locale === 'en' ? c.nameEn || c.name : c.name);
  reply(x, x.t('report.category', { list: categories.map((c, i) => `${i + 1}. ${name(c)}`).join('\n') }), [
    ...categories.slice(0, 10).map((c) => ({ title: name(c), payload: `#cat:${c.id}` })),
    cancelBtn(x),
  ]);
}

/** Wards and communes whose name matches what was typed, with or without diacritics ("Phường" optional). */
export function matchUnits<U extends { name: string; fullName: string; nameEn: string | null }>(
  units: U[],
  q: string,
): U[] {
  const strip = (s: string) =>
    fold(s)
      .replace(/^(phuong|xa|thi tran|ward|commune|p\.|x\.)\s+/, '')
      .replace(/\s+(ward|commune)$/, '')
      .trim();
  const want = strip(q);
  if (!want) return [];
  const exact = units.filter(
    (u) => strip(u.name) === want || strip(u.fullName) === want || (u.nameEn && strip(u.nameEn) === want),
  );
  if (exact.length) return exact;
  return units.filter((u) => strip(u.name).includes(want) || strip(u.fullName).includes(want));
}

async function reportStep(x: Turn, p: string | null): Promise<void> {
  const st = x.out.state;
  const r = (st.report ??= { photos: [] });
  const ev = x.ev;
  switch (st.step) {
    case 'report.category': {
      const choices = st.choices ?? [];
      const id = p?.startsWith('#cat:')
        ? Number(p.slice(5))
        : ev.kind === 'text' && /^\d{1,2}$/.test(ev.text?.trim() ?? '')
          ? choices[Number(ev.text!.trim()) - 1]
          : undefined;
      if (!id || !choices.includes(id)) return startReport(x);
      r.category = id;
      st.step = 'report.unit';
      return void reply(x, x.t('report.unit'), [cancelBtn(x)]);
    }
    case 'report.unit': {
      const { units } = await mailbox.reportPickers(x.deps);
      const picked = p?.startsWith('#unit:')
        ? units.filter((u) => u.id === Number(p.slice(6)))
        : ev.kind === 'text'
          ? matchUnits(units, ev.text ?? '')
          : [];
      if (picked.length === 1) {
        r.unit = picked[0]!.id;
        st.step = 'report.description';
        return void reply(x, x.t('report.description'), [cancelBtn(x)]);
      }
      if (picked.length > 1)
        return void reply(
          x,
          x.t('report.unitAmbiguous'),
          picked.slice(0, 10).map((u) => ({ title: u.fullName, payload: `#unit:${u.id}` })),
        );
      return void reply(
        x,
        x.t('report.unitUnknown', { q: (ev.text ?? '').slice(0, 60), list: units.map((u) => u.fullName).join(', ') }),
      );
    }
    case 'report.description': {
      const text = ev.kind === 'text' && !p ? (ev.text ?? '').trim() : '';
      if (text.length < 10) return void reply(x, x.t('report.descriptionShort'), [cancelBtn(x)]);
      r.description = text.slice(0, 5000);
      st.step = 'report.photos';
      return void reply(x, x.t('report.photos', { n: x.deps.config.UPLOAD_MAX_FILES }), [
        { title: x.t('btn.done'), payload: '#done' },
      ]);
    }
    case 'report.photos': {
      const max = x.deps.config.UPLOAD_MAX_FILES;
      if (ev.kind === 'image') {
        if ((r.photos?.length ?? 0) >= max)
          return void reply(x, x.t('report.photoLimit', { max }), [{ title: x.t('btn.done'), payload: '#done' }]);
        const bytes = await fetchImage(x);
        if (typeof bytes === 'string')
          return void reply(x, x.t(bytes, { mb: mb(x) }), [{ title: x.t('btn.done'), payload: '#done' }]);
        const ok = await mailbox.acceptReportPhoto(x.deps, new File([new Uint8Array(bytes)], 'photo.jpg'));
        if (!ok.ok)
          return void reply(
            x,
            x.t(ok.error === 'file.tooLarge' ? 'err.imageTooLarge' : 'err.notImage', { mb: mb(x) }),
            [{ title: x.t('btn.done'), payload: '#done' }],
          );
        r.photos = [...(r.photos ?? []), ok.fileId];
        return void reply(x, x.t('report.photoAdded', { n: r.photos.length, max }), [
          { title: x.t('btn.done'), payload: '#done' },
        ]);
      }
      if (p === '#done' || p === '#skip') {
        st.step = 'report.location';
        return void reply(x, x.t('report.location'), [{ title: x.t('btn.skip'), payload: '#skip' }]);
      }
      return void reply(x, x.t('report.photos', { n: max }), [{ title: x.t('btn.done'), payload: '#done' }]);
    }
    case 'report.location': {
      if (
        ev.kind === 'location' &&
        ev.location &&
        Math.abs(ev.location.lat) <= 90 &&
        Math.abs(ev.location.lon) <= 180
      ) {
        r.lat = ev.location.lat;
        r.lon = ev.location.lon;
      } else if (p !== '#skip') {
        return void reply(x, x.t('report.location'), [{ title: x.t('btn.skip'), payload: '#skip' }]);
      }
      st.step = 'report.contact';
      return void reply(x, x.t('report.contact'), [{ title: x.t('btn.skip'), payload: '#skip' }]);
    }
    case 'report.contact': {
      let email: string | null = null;
      let phone: string | null = null;
      if (p !== '#skip') {
        const v = ev.kind === 'text' ? (ev.text ?? '').trim() : '';
        if (/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(v) && v.length <= 200) email = v.toLowerCase();
        else if (/^\+?[\d\s.\-()]{8,20}$/.test(v)) phone = v.replace(/[\s.\-()]/g, '');
        else return void reply(x, x.t('report.contactBad'), [{ title: x.t('btn.skip'), payload: '#skip' }]);
        if (email) x.out.email = email;
        if (phone) x.out.phone = phone;
      }
      return submit(x, email, phone);
    }
  }
}

async function submit(x: Turn, email: string | null, phone: string | null): Promise<void> {
  const r = x.out.state.report!;
  let res: mailbox.Filed;
  try {
    res = await mailbox.submitReport(
      x.deps,
      {
        category: r.category!,
        unit: r.unit!,
        description: r.description ?? '',
        lat: r.lat ?? null,
        lon: r.lon ?? null,
        email,
        phone,
      },
      { locale: x.locale, idempotencyKey: `tipline:${x.user.channel}:${x.ev.eventId}`, photoIds: r.photos ?? [] },
    );
  } catch (e) {
    const refused = e instanceof AppError ? Object.values(e.fieldMessages(x.locale)) : [];
    if (!refused.length) throw e;
    return void reply(x, x.t('report.failed', { error: refused.join(' ') }), [
      { title: x.t('btn.skip'), payload: '#skip' },
      cancelBtn(x),
    ]);
  }
  x.out.state = { langFixed: x.out.state.langFixed };
  x.out.consent = true;
  const c = await repo.insertCase(x.deps.db, {
    userId: x.user.id,
    channel: x.user.channel,
    kind: 'report',
    code: res.code,
    token: newToken(),
    lastSeen: 'received',
    unitId: r.unit,
  });
  reply(
    x,
    x.t('report.filed', { code: res.code, deadline: formatDateTime(x.locale, res.deadline), url: res.privateUrl }),
    undefined,
    c.id,
  );
}

// ---------- following a code ----------

export function statusLabel(t: Translate<TiplineKey>, status: string): string {
  const key = `status.${status}` as TiplineKey;
  return tiplineText.vi[key] ? t(key) : status;
}

async function follow(x: Turn, raw: string): Promise<void> {
  const code = raw.trim().toUpperCase().match(CODE_RE)?.[1];
  x.out.state = { langFixed: x.out.state.langFixed };
  if (!code) return void reply(x, x.t('follow.unknown', { code: raw.trim().slice(0, 40) }), menu(x).buttons);
  const db = x.deps.db;
  let status: string;
  let answer: Say | null = null;
  if (code.startsWith('KC-')) {
    const a = await claimAnswer(db, code);
    if (!a) return void reply(x, x.t('follow.unknown', { code }));
    status = a.factcheck ? 'answered' : a.status;
    if (a.factcheck)
      answer = {
        text: x.t('check.later', {
          code,
          verdict: a.factcheck.verdictLabel ?? '',
          title: a.factcheck.title,
          url: absolute(x, a.factcheck.url),
        }),
      };
  } else {
    const r = await mailbox.reportStatus(db, x.deps.config.baseUrl, code);
    if (!r) return void reply(x, x.t('follow.unknown', { code }));
    status = r.status;
    if (r.answer) answer = { text: x.t('report.answer', { code, answer: r.answer, url: r.publicUrl }) };
  }
  const existing = await repo.openCaseWithCode(db, x.user.id, code);
  const c =
    existing ??
    (await repo.insertCase(db, {
      userId: x.user.id,
      channel: x.user.channel,
      kind: 'follow',
      code,
      token: newToken(),
      lastSeen: status,
      status: answer ? 'answered' : 'open',
    }));
  x.out.consent = true;
  reply(x, x.t('follow.ok', { code, status: statusLabel(x.t, status) }), undefined, c.id);
  if (answer) x.out.replies.push({ ...answer, caseId: c.id });
}

// ---------- alerts ----------

async function subscribeStep(x: Turn, p: string | null): Promise<void> {
  const { units } = await mailbox.reportPickers(x.deps);
  const picked = p?.startsWith('#unit:')
    ? units.filter((u) => u.id === Number(p.slice(6)))
    : matchUnits(units, x.ev.text ?? '');
  if (picked.length > 1)
    return void reply(
      x,
      x.t('report.unitAmbiguous'),
      picked.slice(0, 10).map((u) => ({ title: u.fullName, payload: `#unit:${u.id}` })),
    );
  if (picked.length === 0)
    return void reply(
      x,
      x.t('report.unitUnknown', { q: (x.ev.text ?? '').slice(0, 60), list: units.map((u) => u.fullName).join(', ') }),
    );
  const u = picked[0]!;
  await repo.subscribe(x.deps.db, x.user.id, u.id);
  x.out.state = { langFixed: x.out.state.langFixed };
  x.out.consent = true;
  reply(x, x.t('sub.ok', { unit: u.fullName }), [
    { title: x.t('btn.stop', { unit: u.name }), payload: `#unsub:${u.id}` },
  ]);
}

async function unsubscribeOne(x: Turn, unitId: number): Promise<void> {
  const subs = await repo.subscriptionsOf(x.deps.db, x.user.id);
  const s = subs.find((r) => r.unit_id === unitId);
  await repo.unsubscribe(x.deps.db, x.user.id, Number.isSafeInteger(unitId) ? unitId : -1);
  reply(x, x.t('sub.stopped', { unit: s?.name ?? '' }));
}

async function stopAll(x: Turn): Promise<void> {
  await repo.unsubscribe(x.deps.db, x.user.id, null);
  await repo.closeCasesOfUser(x.deps.db, x.user.id);
  x.out.state = { langFixed: x.out.state.langFixed };
  x.out.stopAll = true;
  reply(x, x.t('stop.all'));
}

// ---------- one's data ----------

async function dataSummary(x: Turn): Promise<void> {
  const db = x.deps.db;
  const [cases, n] = await Promise.all([repo.casesOfUser(db, x.user.id), repo.counts(db, x.user.id)]);
  const codes =
    cases
      .map((c) => c.code)
      .filter(Boolean)
      .join(', ') || x.t('none');
  const contact = [x.user.email, x.user.phone].filter(Boolean).join(', ') || x.t('none');
  reply(
    x,
    x.t('data.summary', {
      channel: x.user.channel,
      locale: x.locale,
      cases: cases.length,
      codes,
      subs: n.subs,
      messages: n.messages,
      contact,
    }),
    [
      { title: x.t('btn.delete'), payload: '#delete' },
      { title: x.t('btn.cancel'), payload: '#menu' },
    ],
  );
}
