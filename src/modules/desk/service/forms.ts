/** Input schemas and parsers for the desk's forms and API. Messages are catalog keys. */
import { z } from 'zod';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { formValues, translateIssues } from '../../../http/forms.js';
import { common } from '../../../platform/i18n/common.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { dt, type DeskKey } from '../i18n.js';
import { isHttpUrl } from '../views/render.js';
import type { Appearance, ItemFields, Kind, Source } from '../repo.js';
import { slugify } from './text.js';

const extra = (locale: Locale) => (key: string, vars: Record<string, string | number>) =>
  key in dt.vi ? dt.t(locale)(key as DeskKey, vars) : undefined;

const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));
const optUrl = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isHttpUrl(v), 'err.url');

export const claimSchema = z.object({
  text: z.string().trim().min(10, 'err.textShort').max(4000),
  link: optUrl,
  seen_where: optText(500),
  unit_id: z
    .string()
    .optional()
    .transform((v) => (v && /^\d+$/.test(v) ? Number(v) : null)),
  email: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'err.email'),
});
export type ClaimForm = z.infer<typeof claimSchema>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

export function parseWith<S extends z.ZodType>(
  schema: S,
  body: Record<string, unknown>,
  locale: Locale,
): Parsed<z.infer<S>> {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, errors: translateIssues(r.error.issues, locale, extra(locale)), values: formValues(body) };
}

/** "Title | Publisher | 2025-01-02 | https://… or document number" per line. */
export function parseSources(text: string): { sources: Source[]; badLine: number | null } {
  const sources: Source[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    const parts = lines[i].split('|').map((p) => p.trim());
    const [title, publisher, date, ref] = parts;
    if (!title || title.length > 500 || parts.length > 4) return { sources, badLine: i + 1 };
    if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return { sources, badLine: i + 1 };
    let url: string | null = null;
    let reference: string | null = null;
    if (ref) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
        if (!isHttpUrl(ref)) return { sources, badLine: i + 1 };
        url = ref;
      } else reference = ref.slice(0, 300);
    }
    sources.push({ title, publisher: publisher || null, date: date || null, url, reference });
  }
  return { sources, badLine: null };
}

export function sourcesToText(sources: Source[]): string {
  return sources
    .map((s) =>
      [s.title, s.publisher ?? '', s.date ?? '', s.url ?? s.reference ?? ''].join(' | ').replace(/( \| )+$/, ''),
    )
    .join('\n');
}

export function parseAppearances(text: string): Appearance[] | null {
  const out: Appearance[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const i = line.lastIndexOf('|');
    const desc = (i >= 0 ? line.slice(0, i) : line).trim();
    const url = i >= 0 ? line.slice(i + 1).trim() : '';
    if (!desc || desc.length > 500) return null;
    if (url && !isHttpUrl(url)) return null;
    out.push({ description: desc, url: url || null });
  }
  return out;
}

export const appearancesToText = (a: Appearance[]) =>
  a.map((x) => (x.url ? `${x.description} | ${x.url}` : x.description)).join('\n');

const itemSchema = z.object({
  kind: z.enum(['article', 'video', 'factcheck']),
  title: z.string().trim().min(1, 'field.required').max(300),
  summary: z.string().trim().min(1, 'field.required').max(1000),
  body: z.string().trim().max(100_000).default(''),
  claim: optText(2000),
  appearances: z.string().max(10_000).default(''),
  claim_date: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), 'field.invalidDate'),
  verdict: optText(40),
  method: z.string().trim().max(10_000).default(''),
  video_url: optUrl,
  poster_url: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^\/desk\/media\/[0-9a-f-]{36}$/.test(v) || isHttpUrl(v), 'err.url'),
  transcript: optText(200_000),
  sources: z.string().max(20_000).default(''),
  topics: z.union([z.string(), z.array(z.string())]).optional(),
  units: z.union([z.string(), z.array(z.string())]).optional(),
  correction_what: optText(1000),
  correction_why: optText(1000),
  owner_unit_id: z.string().optional(),
});

export interface ItemInput {
  fields: ItemFields;
  topicIds: number[];
  unitIds: number[];
  correction: { what: string; why: string } | null;
  /** the unit the piece belongs to, as chosen in the form (checked against the actor's scope by the service) */
  ownerUnitId?: number | null;
}

const ids = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? v.split(/[\n,]/) : []).map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0);

/** Parses the editor's form; the fact-check's own rules (claim, verdict, sources) are checked here too. */
export function parseItemForm(body: Record<string, unknown>, locale: Locale, verdicts: string[]): Parsed<ItemInput> {
  const t = dt.t(locale);
  const r = parseWith(itemSchema, body, locale);
  const errors: FieldErrors = r.ok ? {} : { ...r.errors };
  const d = r.ok ? r.data : null;
  const kind = (typeof body.kind === 'string' ? body.kind : 'article') as Kind;
  const src = parseSources(typeof body.sources === 'string' ? body.sources : '');
  if (src.badLine) errors.sources = t('err.sourceLine', { n: src.badLine });
  const app = parseAppearances(typeof body.appearances === 'string' ? body.appearances : '');
  if (!app) errors.appearances = t('err.appearance');
  if (kind === 'factcheck') {
    if (!errors.claim && !(typeof body.claim === 'string' && body.claim.trim())) errors.claim = t('err.claim');
    if (!errors.verdict && !(typeof body.verdict === 'string' && verdicts.includes(body.verdict)))
      errors.verdict = t('err.verdict');
    if (!errors.sources && src.sources.length === 0) errors.sources = t('err.sourceRequired');
  }
  if (kind === 'video') {
    if (!errors.video_url && !(typeof body.video_url === 'string' && isHttpUrl(body.video_url.trim())))
      errors.video_url = t('err.videoUrl');
    if (!errors.transcript && !(typeof body.transcript === 'string' && body.transcript.trim()))
      errors.transcript = t('err.transcript');
  }
  if (kind !== 'video' && !errors.body && !(typeof body.body === 'string' && body.body.trim()))
    errors.body = common.t(locale)('field.required');
  if (Object.keys(errors).length || !d) return { ok: false, errors, values: formValues(body) };
  const fields: ItemFields = {
    kind: d.kind,
    title: d.title,
    slug: slugify(d.title),
    summary: d.summary,
    body: d.body,
    claim: d.kind === 'factcheck' ? d.claim : null,
    appearances: d.kind === 'factcheck' ? (app ?? []) : [],
    claimDate: d.kind === 'factcheck' ? d.claim_date : null,
    verdict: d.kind === 'factcheck' ? d.verdict : null,
    method: d.kind === 'factcheck' ? d.method : '',
    videoUrl: d.kind === 'video' ? d.video_url : null,
    posterUrl: d.kind === 'video' ? d.poster_url : null,
    transcript: d.kind === 'video' ? d.transcript : null,
    sources: src.sources,
  };
  const correction =
    d.correction_what || d.correction_why ? { what: d.correction_what ?? '', why: d.correction_why ?? '' } : null;
  const owner = d.owner_unit_id && /^\d{1,9}$/.test(d.owner_unit_id) ? Number(d.owner_unit_id) : null;
  return { ok: true, data: { fields, topicIds: ids(d.topics), unitIds: ids(d.units), correction, ownerUnitId: owner } };
}
