/** Input schemas and parsers for the desk's forms and API. Messages are catalog keys. */
import { z } from 'zod';
import { type FormResult, parseForm } from '../../../http/forms.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { dt, type DeskKey } from '../i18n.js';
import { isHttpUrl } from '../views/render.js';
import type { Appearance, ItemFields, Source } from '../repo.js';
import { slugify } from './text.js';
import { parseId } from '../../../platform/ids.js';

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

/** A body read outside form()/submit() (the API, factories): the shared parseForm with the desk's messages. */
export const parseWith = <S extends z.ZodType>(schema: S, body: Record<string, unknown>, locale: Locale) =>
  parseForm(schema, body, locale, extra(locale));

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

const str = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');

/**
 * The editor's form as one schema, for form()/submit(): the fields and a fact-check's or a video's own rules (claim, a
 * verdict of the scale, sources; link and transcript), every refusal at once. `set` replaces posted fields (an
 * existing piece's kind, a poster stored with this post).
 */
export function itemForm(verdicts: string[], set: Record<string, unknown> = {}) {
  return z.record(z.string(), z.unknown()).transform((posted, ctx): ItemInput => {
    const body = { ...posted, ...set };
    const refused = new Set<string>();
    const refuse = (field: string, message: string, params?: Record<string, number>) => {
      refused.add(field);
      ctx.addIssue({ code: 'custom', path: [field], message, input: body[field], ...(params ? { params } : {}) });
    };
    // a bad source line or appearance is said rather than the field's length
    const src = parseSources(str(body, 'sources'));
    if (src.badLine) refuse('sources', 'err.sourceLine', { n: src.badLine });
    const app = parseAppearances(str(body, 'appearances'));
    if (!app) refuse('appearances', 'err.appearance');
    const r = itemSchema.safeParse(body);
    for (const issue of r.success ? [] : r.error.issues) {
      refused.add(String(issue.path[0]));
      ctx.addIssue({ ...issue });
    }
    const kind = typeof body.kind === 'string' ? body.kind : 'article';
    if (kind === 'factcheck') {
      if (!refused.has('claim') && !str(body, 'claim').trim()) refuse('claim', 'err.claim');
      if (!refused.has('verdict') && !(typeof body.verdict === 'string' && verdicts.includes(body.verdict)))
        refuse('verdict', 'err.verdict');
      if (!refused.has('sources') && src.sources.length === 0) refuse('sources', 'err.sourceRequired');
    }
    if (kind === 'video') {
      if (!refused.has('video_url') && !isHttpUrl(str(body, 'video_url').trim())) refuse('video_url', 'err.videoUrl');
      if (!refused.has('transcript') && !str(body, 'transcript').trim()) refuse('transcript', 'err.transcript');
    }
    if (kind !== 'video' && !refused.has('body') && !str(body, 'body').trim()) refuse('body', 'field.required');
    if (!r.success || refused.size) return z.NEVER;
    const d = r.data;
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
    return { fields, topicIds: ids(d.topics), unitIds: ids(d.units), correction, ownerUnitId: owner };
  });
}

/** The editor's form parsed outside a request (tests, factories): the same schema and messages as the route. */
export function parseItemForm(
  body: Record<string, unknown>,
  locale: Locale,
  verdicts: string[],
): FormResult<ItemInput> {
  return parseWith(itemForm(verdicts), body, locale);
}

// ---------- the workflow steps on a piece and on a cluster (their rules are the service's) ----------

/** A step's text field as it was read before the schemas: any text (the service checks it), cut to `max`. */
export const stepText = (max?: number) =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? (max ? v.slice(0, max) : v) : ''));

const formId = /^\d{1,9}$/;

export const CLUSTER_STATUSES = ['new', 'answered_existing', 'checking', 'answered', 'not_checkable'];

export const clusterStatusForm = z.object({
  status: z.string('field.invalidChoice').refine((s) => CLUSTER_STATUSES.includes(s), 'field.invalidChoice'),
  factcheck_id: z
    .unknown()
    .optional()
    .transform((v) => (/^\d+$/.test(String(v ?? '')) ? Number(v) : null)),
  reason: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v.slice(0, 1000) : null)),
});
export const clusterMergeForm = z.object({
  from: z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      const from = String(v ?? '').trim();
      if (formId.test(from)) return parseId(from) ?? 0;
      ctx.addIssue({ code: 'custom', message: 'err.cluster', input: v });
      return z.NEVER;
    }),
});
export const clusterAssignForm = z.object({
  assignee_id: z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      const assignee = String(v ?? '');
      if (!assignee) return null;
      if (formId.test(assignee)) return Number(assignee);
      ctx.addIssue({ code: 'custom', message: 'err.assignee', input: v });
      return z.NEVER;
    }),
  priority: z
    .unknown()
    .optional()
    .transform((v) => String(v ?? '')),
});
export const clusterReplyForm = z.object({ reply: stepText(10_000) });
