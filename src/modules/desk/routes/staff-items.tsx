/**
 * Staff pages for pieces: the list, the editor (new and existing), and each workflow step on its own route
 * (`POST /staff/desk/items/ID/submit|approve|return|publish|schedule|unpublish`). The router checks that the
 * reader may use the desk at all (need); the service checks the piece's unit and state.
 */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { type FieldErrors, formValues } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { multiPickerState, pickerState, isPickerPost } from '../../../http/unit-picker.js';
import { pathId } from '../../../http/params.js';
import { can, scopeOf } from '../../../platform/auth/permissions.js';
import { storeUploads, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { parseItemForm } from '../service/forms.js';
import { dt } from '../i18n.js';
import { checkNewImage, keptImages, storeNewImage } from '../service/images.js';
import * as repo from '../repo.js';
import type { ItemStatus, ItemView, Kind } from '../repo.js';
import * as svc from '../service.js';
import { ItemEditor, StaffDesk, workingValues } from '../views/staff.js';
import { formId, refused } from './helpers.js';

const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished'];
const ITEM = '/staff/desk/items/:id{[0-9]+}';

type Extra = { values?: Record<string, string>; errors?: FieldErrors; notice?: string; status?: 200 };

async function editor(c: Ctx, kind: Kind, item: ItemView | null, extra: Extra = {}) {
  const db = c.get('deps').db;
  const p = staff(c);
  const editScope = scopeOf(p, 'desk.edit');
  const [verdicts, topics, versions, corrections, notes, revision, owners] = await Promise.all([
    repo.listVerdicts(db),
    repo.listTopics(db),
    item ? repo.listVersions(db, item.id) : Promise.resolve([]),
    item ? repo.listCorrections(db, item.id) : Promise.resolve([]),
    item ? repo.listReturnNotes(db, item.id) : Promise.resolve([]),
    item ? repo.getRevision(db, item.id) : Promise.resolve(undefined),
    // the top of the reader's scope: a new piece's default unit
    editScope.length ? repo.unitsWithin(db, editScope, 1) : Promise.resolve([]),
  ]);
  // the places a piece is about: chosen with the unit picker (the national import has thousands of communes)
  const values =
    extra.values ??
    (item ? workingValues(item, revision ?? null) : { owner_unit_id: owners[0] ? String(owners[0].id) : '' });
  const locale = c.get('locale') === 'en' ? 'en' : 'vi';
  const [units, owner] = await Promise.all([
    multiPickerState(db, locale, { name: 'units', values }),
    editScope.length ? pickerState(db, locale, { name: 'owner_unit_id', values, within: editScope }) : null,
  ]);
  if (extra.errors && !extra.status) c.status(422);
  return c.html(
    <ItemEditor
      ctx={pageCtx(c)}
      d={{
        kind,
        item,
        verdicts,
        topics,
        units,
        versions,
        corrections,
        notes,
        revision: revision ?? null,
        owners,
        owner,
        may: svc.itemMay(p, item, revision),
        ...extra,
      }}
    />,
  );
}

/** A poster upload replaces the poster; it is re-encoded and served from /desk/media/ID. */
async function withPoster(c: Ctx, body: Record<string, unknown>): Promise<FieldErrors | null> {
  const f = body.poster;
  if (!(f instanceof File) || f.size === 0) return null;
  const { db, blobs, config } = c.get('deps');
  try {
    const [saved] = await storeUploads(db, blobs, [f], 'image', {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxFiles: 1,
      maxPixels: config.UPLOAD_MAX_PIXELS,
    });
    body.poster_url = `/desk/media/${saved.id}`;
    return null;
  } catch (e) {
    if (e instanceof UploadError) return { poster: common.t(c.get('locale'))(e.code, e.vars) };
    throw e;
  }
}

const doneNotice = (c: Ctx) => (c.req.query('done') ? dt.t(c.get('locale'))('wf.done') : undefined);
const staffItem = (c: Ctx) => svc.staffItem(c.get('deps').db, staff(c), pathId(c));

/**
 * One workflow step on a piece: on a refused rule the editor comes back with the message; the piece's own form keeps
 * the piece's fields and the step's form keeps what was typed.
 */
function step(run: (c: Ctx, item: ItemView, body: Record<string, unknown>) => Promise<void>) {
  return async (c: Ctx) => {
    const item = await staffItem(c);
    const body = await c.req.parseBody();
    try {
      await run(c, item, body);
    } catch (e) {
      const errors = refused(c, e);
      const rev = await repo.getRevision(c.get('deps').db, item.id);
      return editor(c, item.kind, item, { values: { ...workingValues(item, rev), ...formValues(body) }, errors });
    }
    return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
  };
}

/** Search (or Enter in the search box) in the editor's unit picker, without JavaScript: the form comes back, nothing saved. */
const unitSearch = (body: Record<string, unknown>) => isPickerPost(body, ['owner_unit_id', 'units']);

/** What a search brings back: everything typed; a file chosen before it must be chosen again (nothing is stored). */
function searchAgain(c: Ctx, body: Record<string, unknown>, images: string): Extra {
  const chosen = (f: unknown) => (Array.isArray(f) ? f : [f]).some((x) => x instanceof File && x.size > 0);
  const t = dt.t(c.get('locale'));
  return {
    values: { ...formValues(body), images_json: images },
    status: 200,
    errors: {
      ...(chosen(body.poster) ? { poster: t('form.fileAgain') } : {}),
      ...(chosen(body.image_new) ? { image_new: t('form.fileAgain') } : {}),
    },
  };
}

const text = (v: unknown, max?: number) => (typeof v === 'string' ? (max ? v.slice(0, max) : v) : '');

export function staffItemRoutes(app: Hono<AppEnv>): void {
  app.get('/staff/desk', need('desk.view'), async (c) => {
    const db = c.get('deps').db;
    const s = c.req.query('status');
    const status = s && STATUSES.includes(s) ? (s as ItemStatus) : null;
    const p = staff(c);
    const paths = scopeOf(p, 'desk.view');
    const [items, counts] = await Promise.all([
      repo.listItems(db, { status, limit: 200, paths }),
      repo.countByStatus(db, paths),
    ]);
    return c.html(
      <StaffDesk
        ctx={pageCtx(c)}
        items={items}
        status={status}
        counts={Object.fromEntries(counts.map((r) => [r.status, r.n]))}
        notice={doneNotice(c)}
        mayEditPolicies={can(p, 'desk.policies')}
      />,
    );
  });

  app.get('/staff/desk/items/new', need('desk.edit'), async (c) => {
    const k = c.req.query('kind');
    const cluster = c.req.query('cluster');
    if (cluster && /^\d{1,9}$/.test(cluster) && k !== 'video' && k !== 'article') {
      // "start a fact-check from this cluster": the claim and where residents saw it, prefilled
      const values = await svc.factcheckFromCluster(c.get('deps').db, actor(c), Number(cluster));
      return editor(c, 'factcheck', null, { values });
    }
    return editor(c, k === 'video' || k === 'article' ? k : 'factcheck', null);
  });

  app.post('/staff/desk/items', need('desk.edit'), async (c) => {
    const db = c.get('deps').db;
    const locale = c.get('locale');
    const body = await c.req.parseBody({ all: true });
    const kind = (['article', 'video', 'factcheck'].includes(String(body.kind)) ? body.kind : 'article') as Kind;
    if (unitSearch(body)) return editor(c, kind, null, searchAgain(c, body, '[]'));
    const verdicts = (await repo.listVerdicts(db)).map((v) => v.code);
    const posterErr = await withPoster(c, body);
    const r = parseItemForm(body, locale, verdicts);
    const imgErr = checkNewImage(body, [], locale);
    const values = () => ({ ...formValues(body), images_json: '[]' });
    if (!r.ok || posterErr || imgErr)
      return editor(c, kind, null, {
        values: values(),
        errors: { ...(r.ok ? {} : r.errors), ...(posterErr ?? {}), ...(imgErr ?? {}) },
      });
    const added = kind === 'video' ? { image: null, errors: null } : await storeNewImage(c, body);
    if (added.errors) return editor(c, kind, null, { values: values(), errors: added.errors });
    r.data.fields.images = added.image ? [added.image] : [];
    let id: number;
    try {
      const cluster = formId(body.cluster_id);
      id = await svc.createItem(db, actor(c), r.data, { clusterId: kind === 'factcheck' ? cluster : null });
    } catch (e) {
      return editor(c, kind, null, { values: values(), errors: refused(c, e) });
    }
    return c.redirect(`/staff/desk/items/${id}?done=1`, 303);
  });

  app.get(ITEM, need('desk.view'), async (c) => {
    const item = await staffItem(c);
    return editor(c, item.kind, item, { notice: doneNotice(c) });
  });

  app.post(ITEM, need('desk.view'), async (c) => {
    const db = c.get('deps').db;
    const locale = c.get('locale');
    // checked before anything is uploaded: a reader who may not edit this piece stores nothing
    const item = await svc.staffItem(db, staff(c), pathId(c), 'desk.edit');
    const body = await c.req.parseBody({ all: true });
    body.kind = item.kind;
    if (unitSearch(body)) {
      const current = (await repo.getRevision(db, item.id))?.data.images ?? item.images ?? [];
      return editor(c, item.kind, item, searchAgain(c, body, JSON.stringify(keptImages(body, current, locale).images)));
    }
    const verdicts = (await repo.listVerdicts(db)).map((v) => v.code);
    const posterErr = await withPoster(c, body);
    const r = parseItemForm(body, locale, verdicts);
    // the images being worked on: a published piece's pending change, else the piece's own
    const current = (await repo.getRevision(db, item.id))?.data.images ?? item.images ?? [];
    const kept = keptImages(body, current, locale);
    const imgErr = checkNewImage(body, kept.images, locale);
    const values = () => ({ ...formValues(body), images_json: JSON.stringify(kept.images) });
    if (!r.ok || posterErr || kept.errors || imgErr) {
      return editor(c, item.kind, item, {
        values: values(),
        errors: { ...(r.ok ? {} : r.errors), ...(posterErr ?? {}), ...(kept.errors ?? {}), ...(imgErr ?? {}) },
      });
    }
    const added = item.kind === 'video' ? { image: null, errors: null } : await storeNewImage(c, body);
    if (added.errors) return editor(c, item.kind, item, { values: values(), errors: added.errors });
    r.data.fields.images = added.image ? [...kept.images, added.image] : kept.images;
    try {
      await svc.updateItem(db, actor(c), item.id, r.data);
    } catch (e) {
      return editor(c, item.kind, item, { values: values(), errors: refused(c, e) });
    }
    return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
  });

  app.post(
    `${ITEM}/submit`,
    need('desk.edit'),
    step((c, i) => svc.submitForReview(c.get('deps').db, actor(c), i.id)),
  );
  app.post(
    `${ITEM}/approve`,
    need('desk.approve'),
    step((c, i, b) => svc.approve(c.get('deps').db, actor(c), i.id, formId(b.version))),
  );
  app.post(
    `${ITEM}/return`,
    need('desk.approve'),
    step((c, i, b) => svc.returnToDraft(c.get('deps').db, actor(c), i.id, text(b.note))),
  );
  app.post(
    `${ITEM}/publish`,
    need('desk.publish'),
    step((c, i) => svc.publish(c.get('deps').db, actor(c), i.id, null, c.get('deps').config.baseUrl)),
  );
  app.post(
    `${ITEM}/schedule`,
    need('desk.publish'),
    step((c, i, b) => svc.schedule(c.get('deps').db, actor(c), i.id, text(b.publish_at), c.get('deps').config.baseUrl)),
  );
  app.post(
    `${ITEM}/unpublish`,
    need('desk.unpublish'),
    step((c, i, b) => svc.unpublish(c.get('deps').db, actor(c), i.id, text(b.reason, 1000))),
  );
}
