/**
 * `import-factchecks FILE.jsonl`: an existing archive as published fact-checks; re-import by id updates. `url` is the
 * fact-check's own canonical address (its page in the archive), never where the claim appeared (`appearances`).
 * A re-import that changes a published piece leaves a public correction note; nothing changes silently.
 */
import { z } from 'zod';
import type { Deps } from '../../../http/context.js';
import { publicContentChanged } from '../../../platform/public-content.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { isHttpUrl } from '../views/render.js';
import * as repo from '../repo.js';
import type { ItemFields, Source } from '../repo.js';
import { fold, slugify } from './text.js';

const sourceSchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .max(500)
    .transform((s): Source => (isHttpUrl(s) ? { title: s, url: s } : { title: s })),
  z.object({
    title: z.string().trim().min(1).max(500),
    publisher: z.string().trim().max(300).optional().nullable(),
    date: z.string().trim().max(40).optional().nullable(),
    url: z.string().trim().max(2000).optional().nullable(),
    reference: z.string().trim().max(300).optional().nullable(),
  }),
]);

const lineSchema = z.object({
  id: z.union([z.string().trim().min(1).max(200), z.number().int()]).transform(String),
  claim: z.string().trim().min(1).max(4000),
  verdict: z.string().trim().min(1).max(100),
  summary: z.string().trim().min(1).max(2000),
  body: z.string().max(200_000).default(''),
  sources: z.array(sourceSchema).min(1, 'at least one source'),
  published_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  url: z.string().trim().max(2000).optional().nullable(),
  title: z.string().trim().max(300).optional(),
  /** where the claim appeared: "description" or { description, url } */
  appearances: z
    .array(
      z.union([
        z
          .string()
          .trim()
          .min(1)
          .max(500)
          .transform((d) => ({ description: d, url: null as string | null })),
        z.object({
          description: z.string().trim().min(1).max(500),
          url: z.string().trim().max(2000).optional().nullable(),
        }),
      ]),
    )
    .max(50)
    .optional(),
  /** why a re-import changes a published piece (shown in its correction note) */
  correction: z.string().trim().max(1000).optional(),
});

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
}

export async function importFactchecks(
  deps: Pick<Deps, 'db' | 'state'>,
  text: string,
  actorLabel = 'cli',
): Promise<ImportReport> {
  const { db } = deps;
  const verdicts = await repo.listVerdicts(db);
  const findVerdict = (v: string) => {
    const f = fold(v).trim();
    return verdicts.find(
      (x) => x.code === f || fold(x.label) === f || fold(x.label_en) === f || x.code === f.replace(/\s+/g, '-'),
    )?.code;
  };
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      report.errors.push({ line: n + 1, message: 'not valid JSON' });
      continue;
    }
    const r = lineSchema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0];
      report.errors.push({ line: n + 1, message: `${i.path.join('.') || 'line'}: ${i.message}` });
      continue;
    }
    const d = r.data;
    const verdict = findVerdict(d.verdict);
    if (!verdict) {
      report.errors.push({
        line: n + 1,
        message: `verdict: unknown value "${d.verdict}" (known: ${verdicts.map((v) => v.label).join(', ')})`,
      });
      continue;
    }
    const badSource = d.sources.find((s) => s.url && !isHttpUrl(s.url));
    const badAppearance = d.appearances?.find((a) => a.url && !isHttpUrl(a.url));
    if (badSource || badAppearance || (d.url && !isHttpUrl(d.url))) {
      report.errors.push({ line: n + 1, message: 'links must be http:// or https://' });
      continue;
    }
    const title = d.title || d.claim.slice(0, 200);
    const fields: ItemFields = {
      kind: 'factcheck',
      title,
      slug: slugify(title),
      summary: d.summary,
      body: d.body,
      claim: d.claim,
      appearances: (d.appearances ?? []).map((a) => ({ description: a.description, url: a.url ?? null })),
      claimDate: null,
      verdict,
      method: '',
      videoUrl: null,
      posterUrl: null,
      transcript: null,
      sources: d.sources.map((s) => ({
        title: s.title,
        publisher: s.publisher ?? null,
        date: s.date ?? null,
        url: s.url ?? null,
        reference: s.reference ?? null,
      })),
    };
    const publishedAt = new Date(d.published_at);
    await db.tx(async (tx) => {
      const existing = await repo.getItemByExternalId(tx, d.id);
      if (existing) {
        const changed = contentChanged(existing, fields);
        if (!changed && (existing.canonical_url ?? null) === (d.url ?? null)) {
          report.unchanged++;
          return;
        }
        const version = (await repo.maxVersion(tx, existing.id)) + 1;
        await repo.updateItemFields(tx, existing.id, fields, version);
        await repo.setCanonicalUrl(tx, existing.id, d.url ?? null);
        let correction: { what: string; why: string } | null = null;
        if (changed && existing.status === 'published') {
          correction = {
            what: correctionWhat(existing.verdict, verdict, verdicts),
            why: d.correction || 'Cập nhật từ kho lưu trữ bài kiểm chứng (nhập lại).',
          };
          await repo.insertCorrection(tx, existing.id, version, correction.what, correction.why, null);
        }
        await repo.setStatus(tx, existing.id, existing.status === 'unpublished' ? 'unpublished' : 'published', {
          publishedAt: existing.published_at ?? publishedAt,
          updatedPublicAt: new Date(),
        });
        await repo.insertVersion(
          tx,
          existing.id,
          version,
          fields,
          null,
          correction ? `import: ${correction.what} — ${correction.why}` : 'import',
        );
        await recordAudit(tx, {
          actorLabel,
          action: 'desk.item.import-update',
          entityType: 'desk.item',
          entityId: existing.id,
          data: { externalId: d.id, version, from: existing.verdict, to: verdict, correction },
        });
        report.updated++;
      } else {
        const id = await repo.insertItem(tx, fields, {
          authorId: null,
          externalId: d.id,
          status: 'published',
          publishedAt,
          createdAt: publishedAt,
        });
        await repo.setCanonicalUrl(tx, id, d.url ?? null);
        await repo.insertVersion(tx, id, 1, fields, null, 'import');
        await recordAudit(tx, {
          actorLabel,
          action: 'desk.item.import',
          entityType: 'desk.item',
          entityId: id,
          data: { externalId: d.id },
        });
        report.created++;
      }
    });
  }
  if (report.created + report.updated) publicContentChanged(deps);
  return report;
}

/** JSON with keys sorted (jsonb keeps its own key order), nulls and missing keys alike. */
const canon = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canon).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.entries(v)
          .filter(([, x]) => x !== null && x !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`)
          .join(',')}}`
      : JSON.stringify(v ?? null);
const same = (a: unknown, b: unknown) => canon(a) === canon(b);

/** Did the re-imported line change what readers see (claim, verdict, title, summary, body, sources, appearances)? */
function contentChanged(old: repo.ItemRow, f: ItemFields): boolean {
  return (
    old.claim !== f.claim ||
    old.verdict !== f.verdict ||
    old.title !== f.title ||
    old.summary !== f.summary ||
    old.body !== f.body ||
    !same(old.sources, f.sources) ||
    !same(old.appearances, f.appearances)
  );
}

function correctionWhat(from: string | null, to: string, verdicts: repo.VerdictRow[]): string {
  if (from === to) return 'Nội dung bài được cập nhật.';
  const label = (code: string | null) => verdicts.find((v) => v.code === code)?.label ?? code ?? '—';
  return `Kết luận đổi từ “${label(from)}” thành “${label(to)}”.`;
}
