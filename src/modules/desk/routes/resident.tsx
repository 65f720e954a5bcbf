/** Residents ask "is this true?": the form, POST → 303 → the claim's status page (a reload never files twice). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { form, formValues, type Refused } from '../../../http/forms.js';
import { rateLimit } from '../../../http/middleware.js';
import { storeUploads, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { claimSchema } from '../forms.js';
import { dt } from '../i18n.js';
import * as repo from '../repo.js';
import { claimStatus, fileClaim, recordShown } from '../service.js';
import { ClaimFormPage, ClaimStatusPage } from '../views/claims.js';
import { noStore, unitRefs } from './helpers.js';

/** The page language asked for in the query is kept across the redirect (it is not stored otherwise). */
const langQuery = (c: Ctx, first: boolean) => {
  const l = c.req.query('lang');
  return l === 'vi' || l === 'en' ? `${first ? '?' : '&'}lang=${l}` : '';
};

const claimForm = async (c: Ctx, r: Refused) =>
  c.html(<ClaimFormPage ctx={pageCtx(c)} units={await unitRefs(c)} values={r.values} errors={r.errors} />);

export function residentRoutes(app: Hono<AppEnv>): void {
  app.get('/claims/new', noStore, async (c) => c.html(<ClaimFormPage ctx={pageCtx(c)} units={await unitRefs(c)} />));

  app.post(
    '/claims/new',
    rateLimit('desk.claim', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    noStore,
    form(claimSchema, claimForm, dt),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const { db, blobs, config } = c.get('deps');
      const locale = c.get('locale');
      const data = c.get('form');
      const body = c.get('body');
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
          if (!(e instanceof UploadError)) throw e;
          c.status(422);
          return claimForm(ctx, { values: formValues(body), errors: { screenshot: common.t(locale)(e.code, e.vars) } });
        }
      }
      const unitId = data.unit_id && (await repo.unitsByIds(db, [data.unit_id])).length ? data.unit_id : null;
      const res = await fileClaim(c.get('deps'), {
        text: data.text,
        link: data.link,
        seenWhere: data.seen_where,
        screenshotId,
        unitId,
        contactEmail: data.email,
        locale,
        source: 'public',
      });
      await recordShown(db, res);
      return c.redirect(`/claims/${res.code}?sent=1${langQuery(ctx, false)}`, 303);
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
