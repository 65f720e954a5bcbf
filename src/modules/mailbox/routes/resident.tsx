/** The resident's pages: the report form (/mailbox/new) and the private page behind the link (/mailbox/s/TOKEN). */
import { PRIVATE_NO_STORE } from '../../../http/private-by-default.js';
import { randomUUID } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Ctx, Deps } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import {
  type FieldErrors,
  type FormStatus,
  type FormValues,
  form,
  formValues,
  orRefused,
  postedBody,
} from '../../../http/forms.js';
import { unitPicker, isPickerPost } from '../../../http/unit-picker.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { type ReportInput, reportSchema } from '../service.js';
import { residentSchemas } from '../service/resident-forms.js';
import { residentMay } from '../service/may.js';
import { nearbyForForm } from '../service/nearby.js';
import { mapSettings } from '../views/map.js';
import { FormPage, StatusPage } from '../views/public.js';
import { checkPhotos, chosenFiles, keepPhotosOnFind, keptPhotoIds, uploadLimit } from './form-photos.js';
import { submit } from './forms.js';
import { PRIVATE_PHOTO, sendPhoto } from './photo-sizes.js';

const TOKEN = '/mailbox/s/:token{[\\w-]{20,64}}';
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Slows floods from one address or phone: the seconds to wait, or null. */
export async function flood(deps: Deps, ip: string, phone: string | null): Promise<number | null> {
  if (deps.config.RATE_LIMIT_DISABLED) return null;
  const byIp = await hit(deps.db, `mailbox:ip:${ip}`, 10, 600);
  if (!byIp.allowed) return byIp.retryAfterSeconds;
  if (phone) {
    const byPhone = await hit(deps.db, `mailbox:phone:${phone}`, 5, 3600);
    if (!byPhone.allowed) return byPhone.retryAfterSeconds;
  }
  return null;
}

interface FormState {
  values: FormValues;
  errors?: FieldErrors;
  photoIds?: string[];
  notice?: string;
  status?: 200 | 422 | 429;
  pickOne?: boolean;
}

async function renderForm(c: Ctx, o: FormState) {
  // the ward: wards and communes of the installation's root unit, named with their province
  let wardPicker = await unitPicker(c, { name: 'unit', values: o.values, leaves: true });
  if (o.pickOne && !wardPicker.selected && wardPicker.matches === 1) {
    wardPicker = { ...wardPicker, selected: wardPicker.options[0] };
    o.values.unit = String(wardPicker.options[0].id);
  }
  const deps = c.get('deps');
  const [{ categories, units }, retentionDays, states, nearby] = await Promise.all([
    repo.pickerLists(deps),
    svc.settings.retentionDays(deps.db),
    repo.uploadStates(deps.db, o.photoIds ?? []),
    nearbyForForm(deps.db, c.get('locale'), {
      ...o.values,
      unit: wardPicker.selected ? String(wardPicker.selected.id) : o.values.unit,
    }),
  ]);
  c.header('cache-control', PRIVATE_NO_STORE);
  return c.html(
    <FormPage
      ctx={pageCtx(c)}
      categories={categories}
      units={units}
      values={o.values}
      errors={o.errors}
      photoIds={o.photoIds ?? []}
      photoStates={Object.fromEntries(states.map((x) => [x.file_id, x.state]))}
      onceKey={o.values.once && /^[\w-]{8,64}$/.test(o.values.once) ? o.values.once : randomUUID()}
      maxPhotos={deps.config.UPLOAD_MAX_FILES}
      maxMb={Math.round(deps.config.UPLOAD_MAX_BYTES / 1048576)}
      retentionDays={retentionDays}
      notice={o.notice}
      unitPicker={wardPicker}
      map={mapSettings(deps.config)}
      nearby={nearby}
    />,
    o.status ?? 200,
  );
}

/** What the resident sent, as the form shows it again: the typed values and the photos already stored. */
function sent(c: Ctx): { body: Record<string, unknown>; values: FormValues; photoIds: string[] } {
  const body = c.get('body' as never) as Record<string, unknown>;
  const values = { ...formValues(body), photo_ids: '' };
  return { body, values, photoIds: keptPhotoIds(c, body) };
}

/**
 * "Tìm" (the ward search without JavaScript), or Enter in its search box, comes back to the form with the matches,
 * keeping the photos; nothing is validated.
 */
const findUnit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const body = await postedBody(c);
  if (!isPickerPost(body, 'unit')) return next();
  const values = { ...formValues(body), photo_ids: '' };
  const kept = await keepPhotosOnFind(c, body, keptPhotoIds(c, body));
  return renderForm(c, {
    values,
    photoIds: kept.photoIds,
    pickOne: true,
    errors: kept.error ? { photos: kept.error } : undefined,
  });
};

/**
 * A refused form (422). The photos' headers are checked too, so every problem is said at once; photos that were
 * fine must be chosen again (none is stored before the form is accepted).
 */
async function refused(c: Ctx, errors: FieldErrors) {
  const { body, values, photoIds } = sent(c);
  const photos = await checkPhotos(c, chosenFiles(body), photoIds.length);
  const all = { ...errors };
  if (photos.error) all.photos = photos.error;
  else if (photos.checked.length) all.photos = mt.t(c.get('locale'))('form.photosAgain');
  return renderForm(c, { values, errors: all, photoIds, status: 422 });
}

async function renderStatus(
  c: Ctx,
  token: string,
  o: {
    fresh?: boolean;
    errors?: FieldErrors;
    values?: FormValues;
    done?: boolean;
    status?: FormStatus | 429;
  } = {},
) {
  const deps = c.get('deps');
  const view = await svc.residentReport(deps.db, token);
  if (!view) throw notFound();
  const reopenDays = await svc.settings.reopenDays(deps.db);
  c.header('cache-control', PRIVATE_NO_STORE);
  c.header('referrer-policy', 'no-referrer');
  return c.html(
    <StatusPage
      ctx={pageCtx(c)}
      view={view}
      token={token}
      fresh={o.fresh}
      url={svc.privateUrl(deps.config.baseUrl, token)}
      reopenDays={reopenDays}
      may={residentMay(view, reopenDays)}
      errors={o.errors}
      values={o.values}
      done={o.done}
    />,
    o.status ?? 200,
  );
}

/**
 * A form of the private page: done, back to the page; refused (by the schema or the service), the page again with
 * the message beside its field and what was typed; a report the link does not find is the not-found page.
 */
function residentForm<K extends keyof typeof residentSchemas>(
  app: Hono<AppEnv>,
  action: K,
  act: (c: Ctx, data: z.infer<(typeof residentSchemas)[K]>, body: Record<string, unknown>) => Promise<unknown>,
) {
  app.post(
    `${TOKEN}/${action}`,
    submit(
      residentSchemas[action],
      (c, r, status) => renderStatus(c, c.req.param('token') ?? '', { ...r, status }),
      async (c, data) => {
        const refusal = await act(c, data as z.infer<(typeof residentSchemas)[K]>, await postedBody(c));
        if (refusal instanceof Response) return refusal;
        return c.redirect(`/mailbox/s/${c.req.param('token')}?done=1`, 303);
      },
    ),
  );
}

export function residentRoutes(app: Hono<AppEnv>): void {
  app.get('/mailbox/new', async (c) => renderForm(c, { values: {} }));

  // Everything is checked (the form, the photos' headers, the flood limit) before a photo is stored
  // or its cleaning queued: a refused or flooding form leaves no file behind.
  app.post(
    '/mailbox/new',
    findUnit,
    form(reportSchema, (c, r) => refused(c, r.errors), mt),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const deps = c.get('deps');
      const locale = c.get('locale');
      const data = c.get('form') as ReportInput;
      const { body, values, photoIds } = sent(ctx);
      const photos = await checkPhotos(ctx, chosenFiles(body), photoIds.length);
      if (photos.error) return renderForm(ctx, { values, errors: { photos: photos.error }, photoIds, status: 422 });
      const wait = await flood(deps, c.get('ip'), data.phone);
      if (wait) {
        c.header('retry-after', String(wait));
        const notice = mt.t(locale)('form.rateLimited', { minutes: Math.ceil(wait / 60) });
        return renderForm(ctx, { values, photoIds, notice, status: 429 });
      }
      // a refusal of the service (the category or the ward): the form again with what was typed
      return orRefused(
        ctx,
        async () => {
          const created = await svc.createReport(deps, data, {
            source: 'web',
            locale,
            photoIds: [...photoIds, ...(await svc.storePhotos(deps, photos.checked))],
            idempotency: { scope: 'mailbox.form', key: str(body.once) },
          });
          return c.redirect(`/mailbox/s/${created.token}?new=1`, 303);
        },
        (c, r) => renderForm(c, { values, errors: r.errors, photoIds, status: 422 }),
      );
    },
  );

  app.get(TOKEN, async (c) =>
    renderStatus(c, c.req.param('token'), { fresh: c.req.query('new') === '1', done: c.req.query('done') === '1' }),
  );

  app.get(`${TOKEN}/photos/:id`, async (c) => {
    const view = await svc.residentReport(c.get('deps').db, c.req.param('token'));
    const id = c.req.param('id');
    if (!view || !view.photos.some((p) => p.file_id === id && p.state === 'ready')) throw notFound();
    return sendPhoto(c, id, PRIVATE_PHOTO);
  });

  app.get(`${TOKEN}/export.json`, async (c) => {
    const data = await svc.exportData(c.get('deps').db, c.req.param('token')).catch(() => null);
    if (!data) throw notFound();
    c.header('cache-control', PRIVATE_NO_STORE);
    c.header('content-disposition', `attachment; filename="${data.code}.json"`);
    return c.json(data);
  });

  /** An answer to a staff question, or more information, with photos (checked, then limited, before storage). */
  residentForm(app, 'reply', async (c, data, body) => {
    const token = c.req.param('token') ?? '';
    const values = formValues(body);
    const photos = await checkPhotos(c, chosenFiles(body));
    if (photos.error) return renderStatus(c, token, { errors: { photos: photos.error }, values, status: 422 });
    if (photos.checked.length) {
      const limited = await uploadLimit(c);
      if (limited) {
        c.header('retry-after', String(limited.wait));
        return renderStatus(c, token, { errors: { photos: limited.message }, values, status: 429 });
      }
    }
    await svc.residentReply(c.get('deps'), token, data.body, photos.checked);
  });
  residentForm(app, 'rate', (c, data) =>
    svc.rate(c.get('deps'), c.req.param('token') ?? '', Number(data.rating), data.comment.trim() || null),
  );
  residentForm(app, 'reopen', (c, data) => svc.reopen(c.get('deps'), c.req.param('token') ?? '', data.reason));
  residentForm(app, 'erase', (c) => svc.erase(c.get('deps'), c.req.param('token') ?? ''));
}
