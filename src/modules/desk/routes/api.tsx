/** The desk's JSON API: fact-check matching, filing a claim, a claim's status. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../http/context.js';
import { HttpError, notFound } from '../../../http/errors.js';
import type { FieldErrors } from '../../../http/forms.js';
import { rateLimit } from '../../../http/middleware.js';
import { parseWith } from '../service/forms.js';
import { dt } from '../i18n.js';
import { matchClaimText } from '../service/match/answer.js';
import { isHttpUrl } from '../views/render.js';
import * as repo from '../repo.js';
import { fileClaim, itemPath, recordShown } from '../service.js';

export function apiRoutes(app: Hono<AppEnv>): void {
  const matchQuery = z.object({
    text: z.string().trim().min(1, 'field.required').max(2000),
    limit: z.coerce.number().int().min(1).max(20).default(5),
  });
  app.get(
    '/api/v1/factchecks/match',
    rateLimit('desk.match', (d) => d.config.RATE_LIMIT_PER_MINUTE),
    async (c) => {
      const { db } = c.get('deps');
      const locale = c.get('locale');
      const r = parseWith(
        matchQuery,
        { text: c.req.query('text') ?? '', limit: c.req.query('limit') ?? undefined },
        locale,
      );
      if (!r.ok) throw new HttpError(422, 'validation', 'error.validation', {}, r.errors);
      const answer = await matchClaimText(c.get('deps'), r.data.text, {
        limit: r.data.limit,
        locale: locale === 'en' ? 'en' : 'vi',
      });
      // short: a fact-check published or unpublished in any process shows here within a second
      c.header('cache-control', 'public, max-age=1');
      return c.json(answer);
    },
  );

  const apiClaim = z.object({
    text: z.string().trim().min(10, 'err.textShort').max(4000),
    link: z.string().trim().max(2000).optional().nullable(),
    seen_where: z.string().trim().max(500).optional().nullable(),
    contact_email: z.string().trim().max(254).optional().nullable(),
    unit_code: z.string().max(40).optional().nullable(),
  });
  app.post(
    '/api/v1/claims',
    rateLimit('desk.claim', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    async (c) => {
      const { db, config } = c.get('deps');
      const locale = c.get('locale');
      const json = await c.req.json().catch(() => null);
      const r = parseWith(apiClaim, json ?? {}, locale);
      const fields: FieldErrors = r.ok ? {} : r.errors;
      if (r.ok && r.data.link && !isHttpUrl(r.data.link)) fields.link = dt.t(locale)('err.url');
      if (r.ok && r.data.contact_email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.data.contact_email))
        fields.contact_email = dt.t(locale)('err.email');
      if (!r.ok || Object.keys(fields).length) throw new HttpError(422, 'validation', 'error.validation', {}, fields);
      const unit = r.data.unit_code ? await repo.unitByCode(db, r.data.unit_code) : undefined;
      const res = await fileClaim(c.get('deps'), {
        text: r.data.text,
        link: r.data.link ?? null,
        seenWhere: r.data.seen_where ?? null,
        contactEmail: r.data.contact_email ?? null,
        unitId: unit?.id ?? null,
        locale,
        source: 'api',
      });
      await recordShown(db, res);
      return c.json(
        {
          code: res.code,
          url: `${config.baseUrl}/claims/${res.code}`,
          answered: res.answered,
          matches: res.matches.map((i) => ({
            id: i.external_id ?? String(i.id),
            title: i.title,
            verdict: i.verdict_label,
            url: `${config.baseUrl}${itemPath(i)}`,
            score: res.scores.get(i.id) ?? null,
          })),
        },
        201,
      );
    },
  );

  app.get('/api/v1/claims/:code', async (c) => {
    const { db, config } = c.get('deps');
    const claim = await repo.getClaimByCode(db, c.req.param('code'));
    if (!claim) throw notFound();
    const cluster = (await repo.getCluster(db, claim.cluster_id))!;
    const answered = cluster.factcheck_id && cluster.factcheck_status === 'published' && cluster.factcheck_slug;
    return c.json({
      code: claim.code,
      status: cluster.status,
      reason: cluster.status === 'not_checkable' ? cluster.reason : null,
      replies: (await repo.clusterReplies(db, cluster.id)).map((r) => ({
        text: r.body,
        at: new Date(r.created_at).toISOString(),
      })),
      answer: answered
        ? {
            id: cluster.factcheck_id,
            title: cluster.factcheck_title,
            url: `${config.baseUrl}/factchecks/${cluster.factcheck_id}-${cluster.factcheck_slug}`,
          }
        : null,
    });
  });
}
