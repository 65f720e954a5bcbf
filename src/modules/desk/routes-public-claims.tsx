/** Residents ask "is this true?": the form, POST → 303 → the claim's status page (a reload never files twice). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { formValues, type FieldErrors } from '../../http/forms.js';
import { rateLimit } from '../../http/middleware.js';
import { storeUploads, UploadError } from '../../platform/files/files.js';
import { common } from '../../platform/i18n/common.js';
import { claimStatus, recordShown } from './claim-status.js';
import { claimSchema, parseWith } from './forms.js';
import * as repo from './repo.js';
import * as svc from './service.js';
import { ClaimFormPage, ClaimStatusPage } from './views/claims.js';
import type { UnitRef } from './views/public.js';

async function unitRefs(c: Ctx): Promise<UnitRef[]> {
  return (await repo.unitsForPicker(c.get('deps').db)).map((u) => ({
    id: u.id,
    code: u.code,
    full_name: u.full_name,
    name_en: u.name_en,
  }));
}

/** The page language asked for in the query is kept across the redirect (it is not stored otherwise). */
const langQuery = (c: Ctx, first: boolean) => {
  const l = c.req.query('lang');
  return l === 'vi' || l === 'en' ? `${first ? '?' : '&'}lang=${l}` : '';
};

export function publicClaimRoutes(app: Hono<AppEnv>): void {
  app.get('/claims/new', async (c) => {
    c.header('cache-control', 'private, no-store');
    return c.html(<ClaimFormPage ctx={pageCtx(c)} units={await unitRefs(c)} />);
  });

  app.post(
    '/claims/new',
    rateLimit('desk.claim', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    async (c) => {
      const { db, blobs, config } = c.get('deps');
      const ctx = pageCtx(c);
      c.header('cache-control', 'private, no-store');
      const body = await c.req.parseBody({ all: true });
      const r = parseWith(claimSchema, body, ctx.locale);
      const fail = async (errors: FieldErrors) => {
        c.status(422);
        return c.html(<ClaimFormPage ctx={ctx} units={await unitRefs(c)} values={formValues(body)} errors={errors} />);
      };
      if (!r.ok) return fail(r.errors);
      let screenshotId: string | null = null;
      const file = body.screenshot;
      if (file instanceof File && file.size > 0) {
        try {
          const saved = await storeUploads(db, blobs, [file], 'image', {
            maxBytes: config.UPLOAD_MAX_BYTES,
            maxFiles: 1,
            maxPixels: config.UPLOAD_MAX_PIXELS,
          });
          screenshotId = saved[0]?.id ?? null;
        } catch (e) {
          if (e instanceof UploadError) return fail({ screenshot: common.t(ctx.locale)(e.code, e.vars) });
          throw e;
        }
      }
      const unitId = r.data.unit_id && (await repo.unitsByIds(db, [r.data.unit_id])).length ? r.data.unit_id : null;
      const res = await svc.fileClaim(db, {
        text: r.data.text,
        link: r.data.link,
        seenWhere: r.data.seen_where,
        screenshotId,
        unitId,
        contactEmail: r.data.email,
        locale: ctx.locale,
        source: 'public',
      });
      await recordShown(db, res);
      return c.redirect(`/claims/${res.code}?sent=1${langQuery(c, false)}`, 303);
    },
  );

  app.get('/claims/:code{KC-[A-Z0-9]{7}}', async (c) => {
    const { db, config } = c.get('deps');
    const s = await claimStatus(db, c.req.param('code'), config.CLAIM_REPLY_DAYS);
    if (!s) throw notFound();
    c.header('cache-control', 'private, no-cache');
    c.header('referrer-policy', 'no-referrer');
    return c.html(
      <ClaimStatusPage ctx={pageCtx(c)} s={s} sent={c.req.query('sent') === '1'} replyDays={config.CLAIM_REPLY_DAYS} />,
    );
  });
}
