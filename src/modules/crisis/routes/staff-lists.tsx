/** Distribution lists and their contacts (/staff/crisis/lists). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../../http/forms.js';
import { requireStaff } from '../../../http/routes/staff.js';
import { can, ForbiddenError } from '../../../platform/auth/permissions.js';
import { outboundOptions } from '../../../platform/net/outbound.js';
import { contactEditSchema, contactSchema, listSchema, parseCrisisForm } from '../forms.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { ContactEditPage, ListPage, ListsPage } from '../views/staff.js';
import { actor, body, flashText, formErrors, idParam } from './helpers.js';

/** /staff/crisis/lists: the lists, a new list, one list, a new contact. */
export function distributionListRoutes(app: Hono<AppEnv>): void {
  const listsPage = async (c: Ctx, values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    if (!can(p, 'crisis.view') && !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.view');
    const db = c.get('deps').db;
    const [allLists, allUnits] = await Promise.all([repo.listLists(db), repo.activeUnits(db)]);
    // lists are scoped by their owner unit
    const lists = allLists.filter((l) => can(p, 'crisis.view', l.unit_path) || can(p, 'crisis.draft', l.unit_path));
    const units = allUnits.filter((u) => can(p, 'crisis.manage', u.path));
    c.status(status);
    return c.html(
      <ListsPage ctx={pageCtx(c)} lists={lists} units={units} values={values} errors={errors} flash={flashText(c)} />,
    );
  };

  app.get('/staff/crisis/lists', (c) => listsPage(c, { kind: 'press' }, {}));

  app.post('/staff/crisis/lists', async (c) => {
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(listSchema, b, c.get('locale'));
    if (!r.ok) return listsPage(c, r.values, r.errors, 422);
    try {
      const id = await service.createList(c.get('deps').db, a, r.data.name, r.data.kind, r.data.unitId);
      return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
    } catch (e) {
      return listsPage(c, formValues(b), formErrors(c, e), 422);
    }
  });

  const listPage = async (
    c: Ctx,
    id: number,
    values: FormValues,
    errors: FieldErrors,
    status: 200 | 422 = 200,
    imported?: { result?: service.ImportResult; errors?: FieldErrors },
  ) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const list = await repo.getList(db, id);
    if (!list) throw notFound();
    if (!can(p, 'crisis.view', list.unit_path) && !can(p, 'crisis.draft', list.unit_path))
      throw new ForbiddenError('crisis.view');
    const t = crisisText.t(c.get('locale'));
    const importResult = imported?.result
      ? { added: imported.result.added, skipped: imported.result.skipped.map((r) => ({ ...r, reason: t(r.reason) })) }
      : null;
    c.status(status);
    return c.html(
      <ListPage
        ctx={pageCtx(c)}
        list={list}
        contacts={await repo.listContacts(db, id)}
        values={values}
        errors={errors}
        flash={flashText(c) ?? (c.req.query('flash') === 'removed' ? t('lists.removed') : null)}
        canManage={can(p, 'crisis.manage', list.unit_path)}
        importResult={importResult}
        importErrors={imported?.errors ?? {}}
      />,
    );
  };

  app.get('/staff/crisis/lists/:id{[0-9]+}', (c) => listPage(c, idParam(c), { channel: 'email', locale: 'vi' }, {}));

  app.post('/staff/crisis/lists/:id{[0-9]+}/contacts', async (c) => {
    const id = idParam(c);
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(contactSchema, b, c.get('locale'));
    if (!r.ok) return listPage(c, id, r.values, r.errors, 422);
    try {
      await service.addContact(c.get('deps').db, a, id, r.data, { outbound: outboundOptions(c.get('deps').config) });
      return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
    } catch (e) {
      return listPage(c, id, formValues(b), formErrors(c, e), 422);
    }
  });

  const contactIds = (c: Ctx) => ({ id: idParam(c), contactId: idParam(c, 'cid') });

  const editPage = async (c: Ctx, values: FormValues | null, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const { id, contactId } = contactIds(c);
    const list = await repo.getList(db, id);
    if (!list) throw notFound();
    if (!can(p, 'crisis.manage', list.unit_path)) throw new ForbiddenError('crisis.manage');
    const contact = await repo.getContact(db, id, contactId);
    if (!contact) throw notFound();
    const shown = values ?? {
      name: contact.name,
      organisation: contact.organisation,
      channel: contact.channel,
      address: contact.channel === 'webhook' ? (contact.webhook_url ?? '') : contact.address,
      locale: contact.locale,
    };
    c.status(status);
    return c.html(<ContactEditPage ctx={pageCtx(c)} list={list} contact={contact} values={shown} errors={errors} />);
  };

  app.get('/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/edit', (c) => editPage(c, null, {}));

  app.post('/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/edit', async (c) => {
    const { id, contactId } = contactIds(c);
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(contactEditSchema, b, c.get('locale'));
    if (!r.ok) return editPage(c, r.values, r.errors, 422);
    try {
      await service.updateContact(c.get('deps').db, a, id, contactId, r.data, {
        outbound: outboundOptions(c.get('deps').config),
      });
      return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
    } catch (e) {
      return editPage(c, formValues(b), formErrors(c, e), 422);
    }
  });

  app.post('/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/remove', async (c) => {
    const { id, contactId } = contactIds(c);
    try {
      await service.removeContact(c.get('deps').db, actor(c), id, contactId);
    } catch (e) {
      return listPage(c, id, {}, formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/lists/${id}?flash=removed`, 303);
  });

  app.post('/staff/crisis/lists/:id{[0-9]+}/import', async (c) => {
    const id = idParam(c);
    const a = actor(c);
    const b = await body(c);
    const file = b.file instanceof File && b.file.size > 0 ? b.file : null;
    const t = crisisText.t(c.get('locale'));
    if (file && file.size > 2_000_000)
      return listPage(c, id, { channel: 'email', locale: 'vi' }, {}, 422, { errors: { csv: t('err.csvTooLong') } });
    const csv = file ? await file.text() : typeof b.csv === 'string' ? b.csv : '';
    try {
      const result = await service.importContacts(c.get('deps').db, a, id, csv);
      return listPage(c, id, { channel: 'email', locale: 'vi' }, {}, 200, { result });
    } catch (e) {
      return listPage(c, id, { channel: 'email', locale: 'vi', csv: file ? '' : csv.slice(0, 500000) }, {}, 422, {
        errors: formErrors(c, e),
      });
    }
  });
}
