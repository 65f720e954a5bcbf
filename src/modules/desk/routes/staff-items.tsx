/**
 * Staff pages for pieces: the list, the editor (new and existing), and each workflow step on its own route
 * (`POST /staff/desk/items/ID/submit|approve|return|publish|schedule|unpublish`). The router checks that the
 * reader may use the desk at all (need); the service checks the piece's unit and state.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { HttpError } from '../../../http/errors.js';
import {
  type FieldErrors,
  type FormValues,
  formValues,
  postedBody,
  type RenderRefused,
  submit,
} from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { multiPickerState, pickerState, isPickerPost } from '../../../http/unit-picker.js';
import { pathId } from '../../../http/params.js';
import { can, scopeOf } from '../../../platform/auth/permissions.js';
import { storeUploads, UploadError } from '../../../platform/files/files.js';
import { common } from '../../../platform/i18n/common.js';
import { dt } from '../i18n.js';
import * as repo from '../repo.js';
import type { ItemStatus, ItemView, Kind } from '../repo.js';
import * as svc from '../service.js';
import { type ItemInput, itemForm, stepText } from '../service/forms.js';
import { checkNewImage, keptImages, newImageGiven, storeNewImage } from '../service/images.js';
import { ItemEditor, StaffDesk, workingValues } from '../views/staff.js';
import { formId } from './helpers.js';

const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished'];
const ITEM = '/staff/desk/items/:id{[0-9]+}';

/** `values` replace the piece's; `typed` (a step's own fields) go over the piece's working values. */
type Extra = { values?: FormValues; typed?: FormValues; errors?: FieldErrors; notice?: string; status?: 200 };

async function editor(c: Ctx, kind: Kind, item: ItemView | null, { typed, ...extra }: Extra = {}) {
  const db = c.get('deps').db;
  const p = staff(c);
  const editScope = scopeOf(p, 'desk.edit');
  const [verdicts, topics, versions, corrections, notes, revision, owner0] = await Promise.all([
    repo.listVerdicts(db),
    repo.listTopics(db),
    item ? repo.listVersions(db, item.id) : Promise.resolve([]),
    item ? repo.listCorrections(db, item.id) : Promise.resolve([]),
    item ? repo.listReturnNotes(db, item.id) : Promise.resolve([]),
    item ? repo.getRevision(db, item.id) : Promise.resolve(undefined),
    item || extra.values ? null : svc.defaultOwnerUnit(db, p),
  ]);
  const values =
    extra.values ??
    (item
      ? { ...workingValues(item, revision ?? null), ...typed }
      : { kind, owner_unit_id: owner0 ? String(owner0) : '' });
  // the places a piece is about: chosen with the unit picker (the national import has thousands of communes)
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
        owner,
        may: svc.itemMay(p, item, revision),
        ...extra,
        values,
      }}
    />,
  );
}

/** A poster upload replaces the poster; it is re-encoded and served from /desk/media/ID. */
async function storePoster(c: Ctx, body: Record<string, unknown>): Promise<{ url?: string; errors?: FieldErrors }> {
  const f = body.poster;
  if (!(f instanceof File) || f.size === 0) return {};
  const { db, blobs, config } = c.get('deps');
  try {
    const [saved] = await storeUploads(db, blobs, [f], 'image', {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxFiles: 1,
      maxPixels: config.UPLOAD_MAX_PIXELS,
    });
    return { url: `/desk/media/${saved.id}` };
  } catch (e) {
    if (e instanceof UploadError) return { errors: { poster: common.t(c.get('locale'))(e.code, e.vars) } };
    throw e;
  }
}

const doneNotice = (c: Ctx) => (c.req.query('done') ? dt.t(c.get('locale'))('wf.done') : undefined);
const staffItem = (c: Ctx) => svc.staffItem(c.get('deps').db, staff(c), pathId(c));

/**
 * One workflow step on a piece: on a refused rule the editor comes back with the message; the piece's own form keeps
 * the piece's fields and the step's form keeps what was typed.
 */
function step<S extends z.ZodType>(schema: S, run: (c: Ctx, item: ItemView, data: z.infer<S>) => Promise<void>) {
  return async (c: Ctx) => {
    const item = await staffItem(c);
    const again: RenderRefused = (c, r) => editor(c, item.kind, item, { typed: r.values, errors: r.errors });
    return submit(
      schema,
      again,
      async (c, data) => {
        await run(c, item, data);
        return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
      },
      { catalog: dt },
    )(c);
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

/**
 * Saves the editor (a new piece, or a change to `item`) through submit(): the fields are checked by the editor's
 * schema and the files beside them, and a refusal of either or of the service brings the editor back with 422, the
 * messages beside the fields and everything typed; a file not stored is asked for again beside its field.
 */
async function saveItem(
  c: Ctx,
  kind: Kind,
  item: ItemView | null,
  save: (c: Ctx, input: ItemInput, body: Record<string, unknown>) => Promise<Response>,
) {
  const { db } = c.get('deps');
  const locale = c.get('locale');
  const body = await postedBody(c);
  // the images being worked on: a published piece's pending change, else the piece's own
  const current = item ? ((await repo.getRevision(db, item.id))?.data.images ?? item.images ?? []) : [];
  const kept = item ? keptImages(body, current, locale) : { images: [], errors: null };
  const images = JSON.stringify(kept.images);
  if (unitSearch(body)) return editor(c, kind, item, searchAgain(c, { ...body, ...(item ? { kind } : {}) }, images));
  const poster = await storePoster(c, body);
  // an existing piece keeps its kind whatever is posted; a stored poster replaces the posted address
  const set: FormValues = { ...(item ? { kind } : {}), ...(poster.url ? { poster_url: poster.url } : {}) };
  const fileErrors: FieldErrors = { ...poster.errors, ...kept.errors, ...checkNewImage(body, kept.images, locale) };
  const again: RenderRefused = (c, r) => {
    const errors = { ...r.errors, ...fileErrors };
    if (newImageGiven(body) && !errors.image_new) errors.image_new = dt.t(c.get('locale'))('form.fileNotSaved');
    return editor(c, kind, item, { values: { ...r.values, ...set, images_json: images }, errors });
  };
  const verdicts = (await repo.listVerdicts(db)).map((v) => v.code);
  return submit(
    itemForm(verdicts, set),
    again,
    async (c, input) => {
      if (Object.keys(fileErrors).length) throw refusedFiles(fileErrors);
      const added = kind === 'video' ? { image: null, errors: null } : await storeNewImage(c, body);
      if (added.errors) throw refusedFiles(added.errors);
      input.fields.images = added.image ? [...kept.images, added.image] : kept.images;
      return save(c, input, body);
    },
    { catalog: dt },
  )(c);
}

/** Files refused while the fields passed: the editor comes back (422) with these messages beside the files. */
const refusedFiles = (texts: FieldErrors) => new HttpError(422, 'invalid', 'error.validation', {}, texts);

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
    const posted = (await postedBody(c)).kind;
    const kind = (['article', 'video', 'factcheck'].includes(String(posted)) ? posted : 'article') as Kind;
    return saveItem(c, kind, null, async (c, input, body) => {
      const cluster = kind === 'factcheck' ? formId(body.cluster_id) : null;
      const id = await svc.createItem(c.get('deps').db, actor(c), input, { clusterId: cluster });
      return c.redirect(`/staff/desk/items/${id}?done=1`, 303);
    });
  });

  app.get(ITEM, need('desk.view'), async (c) => {
    const item = await staffItem(c);
    return editor(c, item.kind, item, { notice: doneNotice(c) });
  });

  app.post(ITEM, need('desk.view'), async (c) => {
    // checked before anything is uploaded: a reader who may not edit this piece stores nothing
    const item = await svc.staffItem(c.get('deps').db, staff(c), pathId(c), 'desk.edit');
    return saveItem(c, item.kind, item, async (c, input) => {
      await svc.updateItem(c.get('deps').db, actor(c), item.id, input);
      return c.redirect(`/staff/desk/items/${item.id}?done=1`, 303);
    });
  });

  const nothing = z.object({});
  app.post(
    `${ITEM}/submit`,
    need('desk.edit'),
    step(nothing, (c, i) => svc.submitForReview(c.get('deps').db, actor(c), i.id)),
  );
  app.post(
    `${ITEM}/approve`,
    need('desk.approve'),
    step(z.object({ version: z.unknown().optional().transform(formId) }), (c, i, f) =>
      svc.approve(c.get('deps'), actor(c), i.id, f.version),
    ),
  );
  app.post(
    `${ITEM}/return`,
    need('desk.approve'),
    step(z.object({ note: stepText() }), (c, i, f) => svc.returnToDraft(c.get('deps').db, actor(c), i.id, f.note)),
  );
  app.post(
    `${ITEM}/publish`,
    need('desk.publish'),
    step(nothing, (c, i) => svc.publish(c.get('deps'), actor(c), i.id, null)),
  );
  app.post(
    `${ITEM}/schedule`,
    need('desk.publish'),
    step(z.object({ publish_at: stepText() }), (c, i, f) => svc.schedule(c.get('deps'), actor(c), i.id, f.publish_at)),
  );
  app.post(
    `${ITEM}/unpublish`,
    need('desk.unpublish'),
    step(z.object({ reason: stepText(1000) }), (c, i, f) => svc.unpublish(c.get('deps'), actor(c), i.id, f.reason)),
  );
}
