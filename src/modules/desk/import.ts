/** `import-factchecks FILE.jsonl`: an existing archive as published fact-checks; re-import by id updates. */
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { invalidateHomePage } from '../../http/routes/home.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { isHttpUrl } from './render.js';
import * as repo from './repo.js';
import type { ItemFields, Source } from './repo.js';
import { fold, slugify } from './text.js';

const sourceSchema = z.union([
  z.string().trim().min(1).max(500).transform((s): Source => (isHttpUrl(s) ? { title: s, url: s } : { title: s })),
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
});

export interface ImportReport {
  created: number;
  updated: number;
  errors: { line: number; message: string }[];
}

export async function importFactchecks(db: Db, text: string, actorLabel = 'cli'): Promise<ImportReport> {
  const verdicts = await repo.listVerdicts(db);
  const findVerdict = (v: string) => {
    const f = fold(v).trim();
    return verdicts.find((x) => x.code === f || fold(x.label) === f || fold(x.label_en) === f || x.code === f.replace(/\s+/g, '-'))?.code;
  };
  const report: ImportReport = { created: 0, updated: 0, errors: [] };
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
      report.errors.push({ line: n + 1, message: `verdict: unknown value "${d.verdict}" (known: ${verdicts.map((v) => v.label).join(', ')})` });
      continue;
    }
    const badSource = d.sources.find((s) => s.url && !isHttpUrl(s.url));
    if (badSource || (d.url && !isHttpUrl(d.url))) {
      report.errors.push({ line: n + 1, message: 'links must be http:// or https://' });
      continue;
    }
    const title = d.title || d.claim.slice(0, 200);
    const fields: ItemFields = {
      kind: 'factcheck', title, slug: slugify(title), summary: d.summary, body: d.body, claim: d.claim,
      appearances: d.url ? [{ description: d.url, url: d.url }] : [], claimDate: null, verdict, method: '', videoUrl: null, posterUrl: null, transcript: null,
      sources: d.sources.map((s) => ({ title: s.title, publisher: s.publisher ?? null, date: s.date ?? null, url: s.url ?? null, reference: s.reference ?? null })),
    };
    const publishedAt = new Date(d.published_at);
    await db.tx(async (tx) => {
      const existing = await repo.getItemByExternalId(tx, d.id);
      if (existing) {
        const version = existing.version + 1;
        await repo.updateItemFields(tx, existing.id, fields, version);
        await repo.setStatus(tx, existing.id, 'published', { publishedAt, updatedPublicAt: new Date() });
        await repo.insertVersion(tx, existing.id, version, fields, null, 'import');
        await recordAudit(tx, { actorLabel, action: 'desk.item.import-update', entityType: 'desk.item', entityId: existing.id, data: { externalId: d.id } });
        report.updated++;
      } else {
        const id = await repo.insertItem(tx, fields, { authorId: null, externalId: d.id, status: 'published', publishedAt, createdAt: publishedAt });
        await repo.insertVersion(tx, id, 1, fields, null, 'import');
        await recordAudit(tx, { actorLabel, action: 'desk.item.import', entityType: 'desk.item', entityId: id, data: { externalId: d.id } });
        report.created++;
      }
    });
  }
  if (report.created + report.updated) invalidateHomePage();
  return report;
}
