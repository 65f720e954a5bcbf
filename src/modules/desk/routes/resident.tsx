/** Residents ask "is this true?": the form, POST → 303 → the claim's status page (a reload never files twice). */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { HttpError, notFound } from '../../../http/errors.js';
import { type FormValues, postedBody, type Refused, submit } from '../../../http/forms.js';
import { rateLimit } from '../../../http/middleware.js';
import { unitPicker, isPickerPost } from '../../../http/unit-picker.js';
import { storeUploads, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { insideRoot } from '../../../platform/units/picker.js';
import { claimSchema } from '../service/forms.js';
import { dt } from '../i18n.js';
import { claimStatus, fileClaim, recordShown } from '../service.js';
import { ClaimFormPage, ClaimStatusPage } from '../views/claims.js';
import { noStore } from './helpers.js';

/** The page language asked for in the query is kept across the redirect (it is not stored otherwise). */
const langQuery = (c: Ctx, first: boolean) => {
  const l = c.req.query('lang');
  return l === 'vi' || l === 'en' ? `${first ? '?' : '&'}lang=${l}` : '';
};

/** The form; its ward is chosen with the unit picker (wards and communes of the installation's root unit). */
const claimForm = async (c: Ctx, r: Partial<Refused> = {}) => {
  const values: FormValues = r.values ?? {};
  const picker = await unitPicker(c, { name: 'unit_id', values, leaves: true });
  return c.html(<ClaimFormPage ctx={pageCtx(c)} unitPicker={picker} values={r.values} errors={r.errors} />);
};

/**
 * "Tìm" (the ward search without JavaScript), or Enter in its search box: the form comes back with the matches and
 * everything typed; nothing is validated or filed. A chosen screenshot is not kept (nothing is stored before sending).
 */
const findUnit = async (c: Ctx, values: FormValues) => {
  const shot = (await postedBody(c)).screenshot;
  const again = shot instanceof File && shot.size > 0;
  return claimForm(c, {
    values,
    ...(again ? { errors: { screenshot: dt.t(c.get('locale'))('claim.screenshotAgain') } } : {}),
  });
};

/** A refused send: a chosen screenshot is not kept (nothing is stored before the fields pass), so it is asked again. */
const refusedClaim = async (c: Ctx, r: Refused) => {
  const shot = (await postedBody(c)).screenshot;
  if (!(shot instanceof File) || shot.size === 0 || r.errors.screenshot) return claimForm(c, r);
  return claimForm(c, { ...r, errors: { ...r.errors, screenshot: dt.t(c.get('locale'))('claim.screenshotNotSent') } });
};

const claimLimit = rateLimit('desk.claim', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE);
/** Only a sent claim counts against the limit, not a ward search. */
const sendLimit: MiddlewareHandler<AppEnv> = async (c, next) =>
  isPickerPost(await postedBody(c as unknown as Ctx), 'unit_id') ? next() : claimLimit(c, next);

/** The screenshot, stored only once the fields pass; a refused file comes back beside its field. */
async function storeScreenshot(c: Ctx, file: unknown): Promise<string | null> {
  if (!(file instanceof File) || file.size === 0) return null;
  const { db, blobs, config } = c.get('deps');
  try {
    const saved = await storeUploads(db, blobs, [file], 'image', {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxFiles: 1,
      maxPixels: config.UPLOAD_MAX_PIXELS,
    });
    return saved[0]?.id ?? null;
  } catch (e) {
    if (!(e instanceof UploadError)) throw e;
    const message = common.t(c.get('locale'))(e.code, e.vars);
    throw new HttpError(422, 'invalid', 'error.validation', {}, { screenshot: message });
  }
}

export function residentRoutes(app: Hono<AppEnv>): void {
  app.get('/claims/new', noStore, async (c) => claimForm(c as unknown as Ctx));

  app.post(
    '/claims/new',
    noStore,
    sendLimit,
    submit(
      claimSchema,
      refusedClaim,
      async (c, data) => {
        const { db } = c.get('deps');
        const screenshotId = await storeScreenshot(c, (await postedBody(c)).screenshot);
        // a hand-made request naming a unit outside the installation files the claim without a ward
        const unitId = data.unit_id && (await insideRoot(db, data.unit_id)) ? data.unit_id : null;
        const res = await fileClaim(c.get('deps'), {
          text: data.text,
          link: data.link,
          seenWhere: data.seen_where,
          screenshotId,
          unitId,
          contactEmail: data.email,
          locale: c.get('locale'),
          source: 'public',
        });
        await recordShown(db, res);
        return c.redirect(`/claims/${res.code}?sent=1${langQuery(c, false)}`, 303);
      },
      { catalog: dt, picker: { names: 'unit_id', search: findUnit } },
    ),
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
