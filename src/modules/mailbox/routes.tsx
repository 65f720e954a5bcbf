import { translateKey } from '../../platform/errors.js';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { projectRoot } from '../../db/paths.js';
import type { AppEnv, Ctx, Deps } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { HttpError, notFound } from '../../http/errors.js';
import { formValues, translateIssues, type FieldErrors, type FormValues } from '../../http/forms.js';
import { requireStaff } from '../../http/routes/staff.js';
import { assertCan, can, type Principal } from '../../platform/auth/permissions.js';
import { checkImages, UploadError, type CheckedImage } from '../../platform/files/files.js';
import { common } from '../../platform/i18n/common.js';
import { localDate, type Locale } from '../../platform/i18n/index.js';
import { hit } from '../../platform/ratelimit/ratelimit.js';
import { listAgencies } from '../../platform/units/repo.js';
import { mt, type MailboxKey } from './i18n.js';
import { mayOnReport } from './access.js';
import { atomFeed } from './feeds.js';
import * as repo from './repo.js';
import * as svc from './service.js';
import { MailboxError, reportSchema } from './service.js';
import { isPublic, OPEN_STATUSES } from './rules.js';
import {
  FormPage,
  HiddenReportPage,
  ListPage,
  LookupPage,
  ReportPage,
  StatusPage,
  type UnitOption,
} from './views/public.js';
import { DashboardPage, StaffReportPage } from './views/staff.js';
import { open311Routes } from './open311.js';
import { setupRoutes } from './setup-routes.js';
import { staffPagePanels, staffPracticeRoutes } from './routes/staff-redaction.js';
import { staffConsultRoutes } from './routes/staff-consult.js';
import { staffInboxRoutes } from './routes/staff-inbox.js';
import { staffNotifyRoutes } from './routes/staff-notify.js';
import { markSeen } from './service/inbox.js';
import { casePractice } from './service/consult.js';
import { publicJson } from './json.js';
import { pathId } from '../../http/params.js';
import { unitPicker } from '../../http/unit-picker.js';
import { parseId } from '../../platform/ids.js';
import { keepPhotosOnFind } from './routes/form-photos.js';
import { mapRoutes } from './routes/public-map.js';
import { photoResponse, photoSizeRoutes, PRIVATE_PHOTO, PUBLIC_PHOTO } from './routes/photo-sizes.js';
import { nearbyForForm } from './service/nearby.js';
import { mapSettings } from './views/map.js';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A catalog key from either catalog (mailbox first), translated. */
export const tr = (locale: Locale, key: string, vars: Record<string, string | number> = {}): string =>
  translateKey(mt, locale, key, vars);

const extra = (locale: Locale) => (key: string, vars: Record<string, string | number>) =>
  key in mt.vi ? mt.t(locale)(key as MailboxKey, vars) : undefined;

const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function limits(deps: Deps) {
  return {
    maxBytes: deps.config.UPLOAD_MAX_BYTES,
    maxFiles: deps.config.UPLOAD_MAX_FILES,
    maxPixels: deps.config.UPLOAD_MAX_PIXELS,
  };
}

async function unitOptions(db: Deps['db']): Promise<UnitOption[]> {
  return repo.listLeafUnits(db);
}

/** Slows floods from one address or phone; false (and a message) when the limit is reached. */
async function flood(deps: Deps, ip: string, phone: string | null): Promise<number | null> {
  if (deps.config.RATE_LIMIT_DISABLED) return null;
  const byIp = await hit(deps.db, `mailbox:ip:${ip}`, 10, 600);
  if (!byIp.allowed) return byIp.retryAfterSeconds;
  if (phone) {
    const byPhone = await hit(deps.db, `mailbox:phone:${phone}`, 5, 3600);
    if (!byPhone.allowed) return byPhone.retryAfterSeconds;
  }
  return null;
}

/** Photos added on the private page: at most 30 files an hour from one address. */
async function uploadFlood(deps: Deps, ip: string): Promise<number | null> {
  if (deps.config.RATE_LIMIT_DISABLED) return null;
  const r = await hit(deps.db, `mailbox:upload:${ip}`, 30, 3600);
  return r.allowed ? null : r.retryAfterSeconds;
}

async function renderForm(
  c: Ctx,
  o: {
    values: FormValues;
    errors?: FieldErrors;
    photoIds?: string[];
    notice?: string;
    unitFilter?: UnitOption[];
    status?: 200 | 422 | 429;
    pickOne?: boolean;
  },
) {
  // the ward: wards and communes of the installation's root unit, named with their province
  let wardPicker = await unitPicker(c, { name: 'unit', values: o.values, leaves: true });
  if (o.pickOne && !wardPicker.selected && wardPicker.matches === 1) {
    wardPicker = { ...wardPicker, selected: wardPicker.options[0] };
    o.values.unit = String(wardPicker.options[0].id);
  }
  const deps = c.get('deps');
  const ctx = pageCtx(c);
  const [{ categories, units: allUnits }, retentionDays, states, nearby] = await Promise.all([
    repo.pickerLists(deps.db),
    svc.settings.retentionDays(deps.db),
    repo.uploadStates(deps.db, o.photoIds ?? []),
    nearbyForForm(deps.db, c.get('locale'), {
      ...o.values,
      unit: wardPicker.selected ? String(wardPicker.selected.id) : o.values.unit,
    }),
  ]);
  c.header('cache-control', 'private, no-store');
  return c.html(
    <FormPage
      ctx={ctx}
      categories={categories}
      units={o.unitFilter ?? allUnits}
      values={o.values}
      errors={o.errors}
      photoIds={o.photoIds ?? []}
      photoStates={Object.fromEntries(states.map((x) => [x.file_id, x.state]))}
      onceKey={o.values.once && /^[\w-]{8,64}$/.test(o.values.once) ? o.values.once : randomUUID()}
      maxPhotos={deps.config.UPLOAD_MAX_FILES}
      maxMb={Math.round(deps.config.UPLOAD_MAX_BYTES / 1048576)}
      retentionDays={retentionDays}
      notice={o.notice}
      unitMatches={o.unitFilter ? o.unitFilter.length : undefined}
      unitPicker={wardPicker}
      map={mapSettings(deps.config)}
      nearby={nearby}
    />,
    o.status ?? 200,
  );
}

async function renderStatus(
  c: Ctx,
  token: string,
  o: {
    fresh?: boolean;
    errors?: FieldErrors;
    values?: FormValues;
    done?: boolean;
    status?: 200 | 409 | 422 | 429;
  } = {},
) {
  const deps = c.get('deps');
  const view = await svc.residentReport(deps.db, token);
  if (!view) throw notFound();
  const reopenDays = await svc.settings.reopenDays(deps.db);
  const r = view.report;
  const canReopen =
    (r.status === 'answered' || r.status === 'closed') &&
    !!r.answered_at &&
    Date.now() - new Date(r.answered_at).getTime() <= reopenDays * 86400_000;
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'no-referrer');
  return c.html(
    <StatusPage
      ctx={pageCtx(c)}
      view={view}
      token={token}
      fresh={o.fresh}
      url={svc.privateUrl(deps.config.baseUrl, token)}
      reopenDays={reopenDays}
      canReopen={canReopen}
      errors={o.errors}
      values={o.values}
      done={o.done}
    />,
    o.status ?? 200,
  );
}

async function sendFile(c: Ctx, fileId: string, cache: string) {
  const deps = c.get('deps');
  const row = await deps.db.one<{ storage_key: string; mime: string; sha256: string | null }>(
    `SELECT storage_key, mime, sha256 FROM files WHERE id = $1`,
    [fileId],
  );
  if (!row) throw notFound();
  const bytes = await deps.blobs.get(row.storage_key);
  if (!bytes) throw notFound();
  return photoResponse(c, bytes, (row.sha256 ?? fileId).slice(0, 32), cache, row.mime);
}

export function mailboxRoutes(app: Hono<AppEnv>): void {
  // ---------- assets ----------
  const assets = path.join(projectRoot(), 'src/modules/mailbox/assets');
  app.get('/mailbox/assets/:file{mailbox\\.(css|js)}', async (c) => {
    const name = c.req.param('file');
    const body = await readFile(path.join(assets, name));
    return c.body(new Uint8Array(body), 200, {
      'content-type': name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
  });

  // ---------- public ----------
  app.use('/mailbox', etag());
  app.use('/mailbox/r/*', etag());
  app.use('/mailbox/feed/*', etag());

  app.get('/mailbox', async (c) => {
    const deps = c.get('deps');
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const asCode = svc.normaliseCode(q);
    if (asCode) return c.redirect(`/mailbox/r/${asCode}`, 303); // searching a code finds that report
    const category = c.req.query('category') ?? '';
    const unit = c.req.query('unit') ?? '';
    const status = c.req.query('status') === 'open' ? 'open' : c.req.query('status') === 'answered' ? 'answered' : '';
    const page = Math.min(500, Math.max(1, Number(c.req.query('page')) || 1));
    const { categories, units } = await repo.pickerLists(deps.db);
    const u = /^\d+$/.test(unit) ? units.find((x) => x.id === Number(unit)) : undefined;
    const { rows, total } = await svc.publicList(deps.db, {
      q,
      categoryId: Number(category) || undefined,
      unitPath: u?.path,
      status,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    c.header('vary', 'Cookie');
    return c.html(
      <ListPage
        ctx={pageCtx(c)}
        rows={rows}
        total={total}
        page={page}
        pageSize={PAGE_SIZE}
        categories={categories}
        units={units}
        filter={{ q, category, unit, status }}
      />,
    );
  });

  const lookupMiss = (c: Ctx, typed: string, key: 'lookup.notFound' | 'lookup.badFormat' | 'lookup.empty') => {
    c.header('cache-control', 'no-store');
    return c.html(
      <LookupPage ctx={pageCtx(c)} code={typed} message={mt.t(c.get('locale'))(key, { code: typed })} />,
      key === 'lookup.notFound' ? 404 : 422,
    );
  };

  /** "Look up your report": any spelling of a code leads to its page; a mistyped one says so. */
  app.get('/mailbox/lookup', async (c) => {
    const typed = (c.req.query('code') ?? '').slice(0, 40).trim();
    if (!typed) return lookupMiss(c, typed, 'lookup.empty');
    const code = svc.normaliseCode(typed);
    if (!code) return lookupMiss(c, typed, 'lookup.badFormat');
    if (!(await repo.reportByCode(c.get('deps').db, code))) return lookupMiss(c, code, 'lookup.notFound');
    return c.redirect(`/mailbox/r/${code}`, 303);
  });

  app.get('/mailbox/r/:code{PA-\\d{4}-\\d{6}}', async (c) => {
    const found = await svc.lookupReport(c.get('deps').db, c.req.param('code'));
    if (!found) return lookupMiss(c, c.req.param('code'), 'lookup.notFound');
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    c.header('vary', 'Cookie');
    // a report waiting for triage changes soon: revalidate (ETag) rather than keep it a minute
    if (found.kind === 'hidden') c.header('cache-control', 'public, no-cache');
    if (found.kind === 'hidden')
      return c.html(
        <HiddenReportPage ctx={pageCtx(c)} code={found.code} status={found.status} events={found.events} />,
      );
    return c.html(<ReportPage ctx={pageCtx(c)} view={found.view} map={mapSettings(c.get('deps').config)} />);
  });

  /** A code written another way (pa-2026-97) goes to its canonical address; anything else is explained. */
  app.get('/mailbox/r/:typed', async (c) => {
    const typed = c.req.param('typed').slice(0, 40);
    const code = svc.normaliseCode(typed);
    if (code) return c.redirect(`/mailbox/r/${code}`, 301);
    return lookupMiss(c, typed, 'lookup.badFormat');
  });

  app.get('/mailbox/feed/:kind{unit|category}/:file{[\\w-]+\\.atom}', async (c) => {
    const deps = c.get('deps');
    const key = c.req.param('file').replace(/\.atom$/, '');
    const xml = await atomFeed(deps, c.req.param('kind') as 'unit' | 'category', key, c.get('locale'));
    if (!xml) throw notFound();
    return c.body(xml, 200, {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });

  /** Photos of public reports; fresh uploads not yet attached (a form coming back); staff who may see the report. */
  app.get('/mailbox/photos/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw notFound();
    const owner = await repo.photoOwner(c.get('deps').db, id);
    if (!owner || owner.state !== 'ready') throw notFound(); // an original waiting to be cleaned is never served
    if (owner.report_id && owner.status && isPublic(owner.status) && !owner.not_public)
      return sendFile(c, id, PUBLIC_PHOTO);
    if (!owner.report_id && Date.now() - new Date(owner.created_at).getTime() < 86400_000)
      return sendFile(c, id, PRIVATE_PHOTO);
    if (
      owner.report_id &&
      owner.unit_path &&
      mayOnReport(c.get('principal'), 'mailbox.view', {
        unit_path: owner.unit_path,
        agency_id: owner.agency_id,
        shared_agency_ids: owner.shared_agency_ids ?? [],
      })
    )
      return sendFile(c, id, PRIVATE_PHOTO);
    throw notFound();
  });

  // ---------- the form ----------
  app.get('/mailbox/new', async (c) => renderForm(c, { values: {} }));

  app.post('/mailbox/new', async (c) => {
    const deps = c.get('deps');
    const locale = c.get('locale');
    const body = await c.req.parseBody({ all: true });
    const values = formValues(body);
    let photoIds = arr(body.photo_ids)
      .filter((x): x is string => typeof x === 'string' && UUID.test(x))
      .slice(0, deps.config.UPLOAD_MAX_FILES);
    values.photo_ids = '';
    if (str(body.action) === 'find-unit') {
      const kept = await keepPhotosOnFind(c, body, photoIds);
      return renderForm(c, {
        values,
        photoIds: kept.photoIds,
        pickOne: true,
        errors: kept.error ? { photos: kept.error } : undefined,
      });
    }
    // Everything is checked (the form, the photos' headers, the flood limit) before a photo is stored
    // or its cleaning queued: a refused or flooding form leaves no file behind.
    const errors: FieldErrors = {};
    const files = arr(body.photos).filter((f): f is File => f instanceof File && f.size > 0);
    let checked: CheckedImage[] = [];
    if (files.length) {
      if (photoIds.length + files.length > deps.config.UPLOAD_MAX_FILES)
        errors.photos = common.t(locale)('file.tooMany', { max: deps.config.UPLOAD_MAX_FILES });
      else {
        try {
          checked = await checkImages(files, limits(deps));
        } catch (err) {
          if (!(err instanceof UploadError)) throw err;
          errors.photos = common.t(locale)(err.code, err.vars);
        }
      }
    }
    const parsed = reportSchema.safeParse(body);
    if (!parsed.success) Object.assign(errors, translateIssues(parsed.error.issues, locale, extra(locale)));
    if (Object.keys(errors).length || !parsed.success) {
      if (checked.length && !errors.photos) errors.photos = mt.t(locale)('form.photosAgain');
      return renderForm(c, { values, errors, photoIds, status: 422 });
    }
    const wait = await flood(deps, c.get('ip'), parsed.data.phone);
    if (wait) {
      c.header('retry-after', String(wait));
      return renderForm(c, {
        values,
        photoIds,
        notice: mt.t(locale)('form.rateLimited', { minutes: Math.ceil(wait / 60) }),
        status: 429,
      });
    }
    try {
      photoIds = [...photoIds, ...(await svc.storePhotos(deps, checked))];
      const created = await svc.createReport(deps, parsed.data, {
        source: 'web',
        locale,
        photoIds,
        idempotency: { scope: 'mailbox.form', key: str(body.once) },
      });
      return c.redirect(`/mailbox/s/${created.token}?new=1`, 303);
    } catch (err) {
      if (err instanceof MailboxError && err.status === 422)
        return renderForm(c, { values, errors: { [err.field]: tr(locale, err.key, err.vars) }, photoIds, status: 422 });
      throw err;
    }
  });

  // ---------- the resident's private page ----------
  app.get('/mailbox/s/:token{[\\w-]{20,64}}', async (c) =>
    renderStatus(c, c.req.param('token'), { fresh: c.req.query('new') === '1', done: c.req.query('done') === '1' }),
  );

  app.get('/mailbox/s/:token{[\\w-]{20,64}}/photos/:id', async (c) => {
    const view = await svc.residentReport(c.get('deps').db, c.req.param('token'));
    const id = c.req.param('id');
    if (!view || !view.photos.some((p) => p.file_id === id && p.state === 'ready')) throw notFound();
    return sendFile(c, id, PRIVATE_PHOTO);
  });

  app.get('/mailbox/s/:token{[\\w-]{20,64}}/export.json', async (c) => {
    const data = await svc.exportData(c.get('deps').db, c.req.param('token')).catch(() => null);
    if (!data) throw notFound();
    c.header('cache-control', 'private, no-store');
    c.header('content-disposition', `attachment; filename="${data.code}.json"`);
    return c.json(data);
  });

  app.post('/mailbox/s/:token{[\\w-]{20,64}}/:action{reply|rate|reopen|erase}', async (c) => {
    const deps = c.get('deps');
    const locale = c.get('locale');
    const token = c.req.param('token');
    const body = await c.req.parseBody({ all: true });
    const values = formValues(body);
    try {
      switch (c.req.param('action')) {
        case 'reply': {
          const files = arr(body.photos).filter((f): f is File => f instanceof File && f.size > 0);
          let checked: CheckedImage[] = [];
          if (files.length) {
            try {
              checked = await checkImages(files, limits(deps));
            } catch (err) {
              if (!(err instanceof UploadError)) throw err;
              return renderStatus(c, token, {
                errors: { photos: common.t(locale)(err.code, err.vars) },
                values,
                status: 422,
              });
            }
            const wait = await uploadFlood(deps, c.get('ip'));
            if (wait) {
              c.header('retry-after', String(wait));
              return renderStatus(c, token, {
                errors: { photos: mt.t(locale)('form.rateLimited', { minutes: Math.ceil(wait / 60) }) },
                values,
                status: 429,
              });
            }
          }
          await svc.residentReply(deps, token, str(body.body), checked);
          break;
        }
        case 'rate':
          await svc.rate(deps.db, token, Number(str(body.rating)), str(body.comment).trim() || null);
          break;
        case 'reopen':
          await svc.reopen(deps.db, token, str(body.reason));
          break;
        case 'erase':
          await svc.erase(deps.db, token);
          break;
      }
    } catch (err) {
      if (err instanceof MailboxError) {
        if (err.status === 404) throw notFound();
        return renderStatus(c, token, {
          errors: { [err.field === '_form' ? '_form' : err.field]: tr(locale, err.key, err.vars) },
          values,
          status: err.status === 409 ? 409 : 422,
        });
      }
      throw err;
    }
    return c.redirect(`/mailbox/s/${token}?done=1`, 303);
  });

  // ---------- staff ----------
  staffInboxRoutes(app); // GET /staff/mailbox (filters, pages) and POST /staff/mailbox/bulk
  staffNotifyRoutes(app); // /staff/mailbox/notifications: e-mail, digest, web push

  app.get('/staff/mailbox/dashboard', async (c) => {
    const p = requireStaff(c);
    assertCan(p, 'mailbox.dashboard');
    const deps = c.get('deps');
    const all = await deps.db.query<UnitOption & { path: string }>(
      `SELECT id, code, full_name, name_en, path::text AS path FROM units WHERE retired_at IS NULL ORDER BY depth, full_name`,
    );
    const units = all.filter((u) => can(p, 'mailbox.dashboard', u.path));
    const unit = units.find((u) => String(u.id) === c.req.query('unit')) ?? units[0];
    if (!unit) throw new HttpError(403, 'forbidden', 'error.forbidden');
    const today = new Date();
    const toS = /^\d{4}-\d{2}-\d{2}$/.test(c.req.query('to') ?? '') ? c.req.query('to')! : localDate(today); // the day in Vietnam, as the range below reads it
    const fromS = /^\d{4}-\d{2}-\d{2}$/.test(c.req.query('from') ?? '')
      ? c.req.query('from')!
      : localDate(new Date(today.getTime() - 365 * 86400_000));
    const f = await repo.figures(deps.db, {
      unitPath: unit.path,
      from: new Date(`${fromS}T00:00:00+07:00`),
      to: new Date(new Date(`${toS}T00:00:00+07:00`).getTime() + 86400_000),
    });
    const counts = await repo.inboxCounts(deps.db, { paths: [unit.path], tied: [] });
    c.header('cache-control', 'private, no-store');
    return c.html(
      <DashboardPage
        ctx={pageCtx(c)}
        f={f}
        open={counts.open}
        units={units}
        unit={String(unit.id)}
        from={fromS}
        to={toS}
      />,
    );
  });

  const staffPage = async (
    c: Ctx,
    p: Principal,
    id: number,
    o: { errors?: FieldErrors; values?: FormValues; done?: boolean; status?: 200 | 409 | 422 } = {},
  ) => {
    const deps = c.get('deps');
    const view = await svc.staffReport(deps.db, p, id).catch((err) => {
      if (err instanceof MailboxError) throw notFound();
      throw err;
    });
    const [categories, units, agencies] = await Promise.all([
      repo.listCategories(deps.db),
      unitOptions(deps.db),
      listAgencies(deps.db),
    ]);
    c.header('cache-control', 'private, no-store');
    const onLine = agencies.filter((a) => svc.onReportLine(a.unit_path, view.report.unit_path));
    const mine = await staffPagePanels(c, p, view, o); // redaction, outcome, templates (issue 15)
    const practice = await casePractice(deps.db, p, view.report);
    await markSeen(deps.db, p.userId, view.report.id);
    return c.html(
      <StaffReportPage
        ctx={pageCtx(c)}
        view={view}
        categories={categories}
        units={units}
        agencies={onLine}
        errors={o.errors}
        values={o.values}
        done={o.done}
        {...mine}
        practice={practice}
      />,
      o.status ?? 200,
    );
  };
  staffConsultRoutes(app, staffPage);

  staffPracticeRoutes(app, staffPage);
  app.get('/staff/mailbox/:id{[0-9]+}', async (c) =>
    staffPage(c, requireStaff(c), pathId(c), { done: c.req.query('done') === '1' }),
  );

  app.post(
    '/staff/mailbox/:id{[0-9]+}/:action{triage|edit|route|share|start|note|question|draft|approve|return|merge}',
    async (c) => {
      const p = requireStaff(c);
      const deps = c.get('deps');
      const locale = c.get('locale');
      const id = pathId(c);
      const body = await c.req.parseBody();
      const ip = c.get('ip');
      const s = (k: string) => str(body[k]).trim();
      try {
        switch (c.req.param('action')) {
          case 'triage': {
            const a = s('action');
            if (a !== 'accept' && a !== 'reject' && a !== 'spam')
              throw new MailboxError(422, 'field.invalidChoice', {}, 'action');
            await svc.triage(deps, p, id, a, s('reason') || null, ip);
            break;
          }
          case 'edit':
            await svc.editReport(deps, p, id, parseId(s('category')), parseId(s('unit')), ip);
            break;
          case 'route':
            await svc.route(deps, p, id, parseId(s('agency')), s('reason') || null, ip);
            break;
          case 'share':
            await svc.share(deps, p, id, parseId(s('share_agency')), ip);
            break;
          case 'start':
            await svc.startHandling(deps, p, id, ip);
            break;
          case 'note':
            await svc.addNote(deps, p, id, s('body'), 'note', ip);
            break;
          case 'question':
            await svc.addNote(deps, p, id, s('body'), 'question', ip);
            break;
          case 'draft':
            await svc.draftAnswer(deps, p, id, s('answer'), ip);
            break;
          case 'approve':
            await svc.approveAnswer(deps, p, id, s('answer') || null, ip);
            break;
          case 'return':
            await svc.returnDraft(deps, p, id, s('reason'), ip);
            break;
          case 'merge':
            await svc.merge(deps, p, id, s('into'), ip);
            break;
        }
      } catch (err) {
        if (err instanceof MailboxError) {
          if (err.status === 404) throw notFound();
          return staffPage(c, p, id, {
            errors: { [err.field]: tr(locale, err.key, err.vars) },
            values: formValues(body),
            status: err.status === 409 ? 409 : 422,
          });
        }
        throw err;
      }
      return c.redirect(`/staff/mailbox/${id}?done=1`, 303);
    },
  );

  // ---------- JSON API ----------
  const apiError = (
    c: Ctx,
    status: 404 | 422 | 429,
    code: string,
    message: string,
    fields: Record<string, string> = {},
  ) => c.json({ error: { code, message, fields } }, status);

  app.post('/api/v1/mailbox/reports', async (c) => {
    const deps = c.get('deps');
    const locale = c.get('locale');
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return apiError(c, 422, 'invalid_json', common.t(locale)('error.validation'));
    }
    if (!body || typeof body !== 'object')
      return apiError(c, 422, 'invalid_json', common.t(locale)('error.validation'));
    const norm = await normaliseRefs(deps, body);
    const parsed = reportSchema.safeParse(norm);
    if (!parsed.success)
      return apiError(
        c,
        422,
        'validation',
        common.t(locale)('error.validation'),
        translateIssues(parsed.error.issues, locale, extra(locale)),
      );
    const wait = await flood(deps, c.get('ip'), parsed.data.phone);
    if (wait) {
      c.header('retry-after', String(wait));
      return apiError(c, 429, 'rate_limited', common.t(locale)('error.rateLimited', { seconds: wait }));
    }
    try {
      const key = c.req.header('idempotency-key');
      const created = await svc.createReport(deps, parsed.data, {
        source: 'api',
        locale,
        idempotency: { scope: 'mailbox.api', key },
      });
      const r = (await repo.reportById(deps.db, created.id))!;
      if (created.replayed) c.header('idempotent-replayed', 'true');
      return c.json(
        {
          code: created.code,
          status: r.status,
          deadline_at: r.deadline_at,
          status_url: svc.privateUrl(deps.config.baseUrl, created.token),
          public_url: svc.publicUrl(deps.config.baseUrl, created.code),
        },
        created.replayed ? 200 : 201,
      );
    } catch (err) {
      if (err instanceof MailboxError && err.status === 422)
        return apiError(c, 422, 'validation', common.t(locale)('error.validation'), {
          [err.field]: tr(locale, err.key),
        });
      throw err;
    }
  });

  app.get('/api/v1/mailbox/reports', async (c) => {
    const deps = c.get('deps');
    const page = Math.min(500, Math.max(1, Number(c.req.query('page')) || 1));
    const cat = c.req.query('category') ? await repo.findCategoryByCode(deps.db, c.req.query('category')!) : undefined;
    const unit = c.req.query('unit') ? await repo.findUnitByCode(deps.db, c.req.query('unit')!) : undefined;
    const st = c.req.query('status');
    const { rows, total } = await svc.publicList(deps.db, {
      q: c.req.query('q')?.slice(0, 200),
      categoryId: cat?.id,
      unitPath: unit?.path,
      status: st === 'open' || st === 'answered' ? st : '',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      full: true,
    });
    return c.json({ total, page, items: rows.map((r) => publicJson(deps.config.baseUrl, svc.redact(r))) });
  });

  app.get('/api/v1/mailbox/reports/:code', async (c) => {
    const deps = c.get('deps');
    const view = await svc.publicReport(deps.db, c.req.param('code'));
    if (!view) return apiError(c, 404, 'not_found', common.t(c.get('locale'))('error.notFound'));
    return c.json(publicJson(deps.config.baseUrl, view.report, view));
  });

  app.get('/api/v1/mailbox/categories', async (c) => {
    const cats = await repo.listCategories(c.get('deps').db);
    return c.json(
      cats.map((x) => ({ id: x.id, code: x.code, name: x.name, name_en: x.name_en, handling_days: x.handling_days })),
    );
  });

  mapRoutes(app);
  photoSizeRoutes(app);
  open311Routes(app);
  setupRoutes(app);
}

/** API clients name the category and unit by code (a string) or by id (a number). */
export async function normaliseRefs(deps: Deps, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...body };
  if (typeof out.category === 'string') out.category = (await repo.findCategoryByCode(deps.db, out.category))?.id ?? 0;
  if (typeof out.unit === 'string') out.unit = (await repo.findUnitByCode(deps.db, out.unit))?.id ?? 0;
  for (const k of ['title', 'description', 'address', 'name', 'phone', 'email'])
    if (out[k] != null && typeof out[k] !== 'string') out[k] = String(out[k]);
  for (const k of ['lat', 'lon']) if (out[k] === null) delete out[k];
  return out;
}

export { OPEN_STATUSES };
