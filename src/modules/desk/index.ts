import { readFile } from 'node:fs/promises';
import type { AppModule } from '../../http/module.js';
import { pageCtx } from '../../http/context.js';
import { can, scopeOf } from '../../platform/auth/permissions.js';
import { seedDeskDemo } from './demo.js';
import { dt } from './i18n.js';
import { importFactchecks } from './service/import.js';
import { warmIndexes } from './service/match/sync.js';
import { deskActions } from './permissions.js';
import * as repo from './repo.js';
import { deskRoutes } from './routes/index.js';
import { publishDue, PUBLISH_JOB, upsertVerdictAudited } from './service.js';
import { claimAnsweredTemplates, claimReplyTemplates } from './jobs.js';
import { HomeSection, StaffSection } from './views/sections.js';

const matchResult = {
  type: 'object',
  required: ['id', 'title', 'verdict', 'url', 'score'],
  properties: {
    id: { type: 'string', description: 'The import id for imported fact-checks, else the desk id' },
    title: { type: 'string' },
    verdict: { type: 'string', description: 'Verdict label in the request locale' },
    url: { type: 'string', format: 'uri' },
    score: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description:
        'Confidence in [0, 1] that this fact-check answers the text (calibrated BM25F over claim, title, short answer and explanation)',
    },
    source: {
      type: 'object',
      description:
        "Only for a partner installation's fact-check: where it comes from (its confidence is scaled by the source's weight, so it ranks below ours on the same text)",
      properties: { key: { type: 'string' }, name: { type: 'string' }, url: { type: 'string', format: 'uri' } },
    },
  },
};

/** desk: articles, videos, fact-checks, claims and matching, feeds, ClaimReview. */
export const deskModule: AppModule = {
  name: 'desk',
  routes: deskRoutes,
  jobs(deps) {
    return {
      handlers: { [PUBLISH_JOB]: async () => void (await publishDue(deps)) },
      schedules: [
        { name: 'desk.publish-sweep', jobType: PUBLISH_JOB, next: (after) => new Date(after.getTime() + 5 * 60_000) },
      ],
    };
  },
  actions: deskActions,
  templates: { ...claimAnsweredTemplates, ...claimReplyTemplates },
  async warmUp(deps) {
    // the claim-matching index, built before the first question needs it (matching answers without it meanwhile)
    const ms = await warmIndexes(deps);
    deps.log.info({ ms: Math.round(ms) }, 'claim-matching index built');
  },
  seedDemo: seedDeskDemo,
  staffMenu: [
    { href: '/staff/desk', label: { vi: dt.vi['nav.staffDesk'], en: dt.en['nav.staffDesk'] }, action: 'desk.view' },
    {
      href: '/staff/desk/claims',
      label: { vi: dt.vi['nav.staffClaims'], en: dt.en['nav.staffClaims'] },
      action: 'desk.claims',
    },
  ],
  publicNav: [
    { href: '/desk', label: { vi: dt.vi['nav.desk'], en: dt.en['nav.desk'] } },
    { href: '/claims/new', label: { vi: dt.vi['nav.claim'], en: dt.en['nav.claim'] } },
  ],
  async homeSection(c) {
    const ctx = pageCtx(c);
    const items = await repo.listPublished(c.get('deps').db, { kind: 'factcheck', limit: 3 });
    if (items.length === 0) return null;
    return HomeSection({ ctx, items });
  },
  async staffSection(c) {
    const p = c.get('principal');
    if (!can(p, 'desk.view')) return null;
    const ctx = pageCtx(c);
    const db = c.get('deps').db;
    // only what the reader's units hold
    const [waiting, items] = await Promise.all([
      repo.countWaitingClusters(db, scopeOf(p, 'desk.claims')),
      repo.countByStatus(db, scopeOf(p, 'desk.view')),
    ]);
    const review = items.find((r) => r.status === 'in_review')?.n ?? 0;
    return StaffSection({ ctx, waiting, review });
  },
  openapi: {
    paths: {
      '/api/v1/factchecks/match': {
        get: {
          summary: 'Published fact-checks matching a text (Vietnamese or English), best first',
          description:
            'Ranks every published fact-check by BM25F over its claim, title, short answer and explanation (Vietnamese syllables and syllable pairs, with and without diacritics; English words). ' +
            "`score` is a confidence in [0, 1] that the result answers the text, calibrated per language (the text's language, Vietnamese or English, is detected). " +
            "`answered` is true when the best result's score is at or above the answer threshold of that language (`thresholds.answer`: Vietnamese 0.21, English 0.72, each chosen so that " +
            'at least 90% of answered development questions were answered right; the setting MATCH_ANSWER_THRESHOLD, when set, replaces both): only then should the text be shown as "already checked". ' +
            'Otherwise results at or above `thresholds.related` are related fact-checks, never a verdict on the text; results below it are best not shown. ' +
            'A fact-check published, corrected or unpublished in any app process is reflected within a second.',
          parameters: [
            { name: 'text', in: 'query', required: true, schema: { type: 'string', maxLength: 2000 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 20, default: 5 } },
          ],
          responses: {
            '200': {
              description: 'Matches',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['answered', 'results'],
                    properties: {
                      answered: {
                        type: 'boolean',
                        description: 'The best result answers the text (score at or above thresholds.answer)',
                      },
                      results: { type: 'array', items: { $ref: '#/components/schemas/FactcheckMatch' } },
                      thresholds: {
                        type: 'object',
                        description:
                          'What applied to this text: its detected language, the answer threshold and the related threshold',
                        properties: {
                          language: { type: 'string', enum: ['vi', 'en'] },
                          answer: { type: 'number' },
                          related: { type: 'number' },
                        },
                      },
                    },
                  },
                },
              },
            },
            '422': {
              description: 'Missing or too long text',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '429': { description: 'Rate limited' },
          },
        },
      },
      '/api/v1/claims': {
        post: {
          summary: 'Ask “is this true?”: files a claim, returns a tracking code and matching fact-checks',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['text'],
                  properties: {
                    text: { type: 'string', minLength: 10, maxLength: 4000 },
                    link: { type: 'string', format: 'uri' },
                    seen_where: { type: 'string' },
                    contact_email: { type: 'string', format: 'email' },
                    unit_code: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Filed' },
            '422': {
              description: 'Invalid fields',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
      '/api/v1/claims/{code}': {
        get: {
          summary: 'Status of a claim by tracking code',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Status' }, '404': { description: 'Unknown code' } },
        },
      },
    },
    schemas: { FactcheckMatch: matchResult },
  },
  cli: {
    'desk-verdict': {
      summary:
        '--code C --label L --label-en E --rating 1..5 [--tone true|false|warn] [--position N] [--meaning M --meaning-en M]: add or change a verdict on the scale (no flags: list it)',
      async run({ deps, flags, out }) {
        const s = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string).trim() : '');
        if (!s('code')) {
          for (const v of await repo.listVerdicts(deps.db))
            out(`${v.code.padEnd(16)} ${v.rating}/5  ${v.tone.padEnd(5)} ${v.label} / ${v.label_en}`);
          return 0;
        }
        const rating = Number(s('rating'));
        const tone = s('tone') || (rating >= 5 ? 'true' : rating <= 1 ? 'false' : 'warn');
        if (
          !/^[a-z0-9-]{1,40}$/.test(s('code')) ||
          !s('label') ||
          !s('label-en') ||
          !Number.isInteger(rating) ||
          rating < 1 ||
          rating > 5 ||
          !['true', 'false', 'warn'].includes(tone)
        ) {
          out(
            'usage: npm run cli -- desk-verdict --code C --label L --label-en E --rating 1..5 [--tone true|false|warn] [--position N] [--meaning M --meaning-en M]',
          );
          return 2;
        }
        await upsertVerdictAudited(deps.db, {
          code: s('code'),
          label: s('label'),
          label_en: s('label-en'),
          rating,
          tone,
          position: Number(s('position')) || 99,
          meaning: s('meaning').slice(0, 2000),
          meaning_en: s('meaning-en').slice(0, 2000),
        });
        out(`verdict ${s('code')} saved`);
        return 0;
      },
    },
    'import-factchecks': {
      summary:
        "FILE.jsonl: import published fact-checks (id, claim, verdict, summary, body, sources, published_at, url = the fact-check's own address, appearances, correction); re-import by id updates with a correction note; exits 1 if any line is skipped",
      async run({ deps, args, out }) {
        const file = args[0];
        if (!file) {
          out('usage: npm run cli -- import-factchecks FILE.jsonl');
          return 2;
        }
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (e) {
          out(`cannot read ${file}: ${(e as Error).message}`);
          return 1;
        }
        const r = await importFactchecks(deps, text);
        for (const e of r.errors) out(`line ${e.line}: ${e.message} (skipped)`);
        out(
          `imported ${r.created} new, updated ${r.updated}, skipped ${r.errors.length}${r.unchanged ? `, unchanged ${r.unchanged}` : ''}`,
        );
        // any skipped line is a failure the operator (or a script) must see, even when others were imported
        if (r.errors.length)
          out(
            `${r.errors.length} line(s) skipped: fix them and import the file again (imported lines are updated by id)`,
          );
        return r.errors.length ? 1 : 0;
      },
    },
  },
  async figures(db, q) {
    const f = await repo.deskFigures(db, q.unitPath, q.from, q.to);
    return {
      desk: {
        articles: f.articles,
        videos: f.videos,
        factchecks: f.factchecks,
        claimsReceived: f.received,
        clusters: f.clusters,
        claimsAnswered: f.answered,
        medianHoursToAnswer: f.median === null ? null : Math.round(f.median * 10) / 10,
        claimsFromMembers: f.from_members,
      },
    };
  },
};
