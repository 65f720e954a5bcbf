/** Distribution lists and their contacts (/staff/crisis/lists). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormValues, orRefused, type Refused, submit } from '../../../http/forms.js';
import { actor, staff } from '../../../http/guard.js';
import { unitPicker } from '../../../http/unit-picker.js';
import { can, ForbiddenError, scopeOf } from '../../../platform/auth/permissions.js';
import { outboundOptions } from '../../../platform/net/outbound.js';
import { contactEditSchema, contactSchema, importSchema, listSchema } from '../service/forms.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { ContactEditPage, ListPage, ListsPage } from '../views/staff.js';
import { flashText, idParam, shownValues } from './helpers.js';

/** /staff/crisis/lists: the lists, a new list, one list, a new contact. */
export function distributionListRoutes(app: Hono<AppEnv>): void {
  const listsPage = async (c: Ctx, { values, errors }: Refused) => {
    const p = staff(c);
    if (!can(p, 'crisis.view') && !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.view');
    const db = c.get('deps').db;
    const [allLists, picker] = await Promise.all([
      repo.listLists(db),
      unitPicker(c, { name: 'unitId', within: scopeOf(p, 'crisis.manage'), valueKind: 'id', values }),
    ]);
    // lists are scoped by their owner unit
    const lists = allLists.filter((l) => can(p, 'crisis.view', l.unit_path) || can(p, 'crisis.draft', l.unit_path));
    return c.html(
      <ListsPage ctx={pageCtx(c)} lists={lists} picker={picker} values={values} errors={errors} flash={flashText(c)} />,
    );
  };

  /** A new list: the first unit one manages is chosen, as the first option of a list of units was. */
  const freshList = async (c: Ctx): Promise<FormValues> => {
    const p = staff(c);
    const first = (await repo.activeUnits(c.get('deps').db)).find((u) => can(p, 'crisis.manage', u.path));
    return { kind: 'press', unitId: first ? String(first.id) : '' };
  };

  app.get('/staff/crisis/lists', async (c) =>
    listsPage(c, { values: await shownValues(c, () => freshList(c)), errors: {} }),
  );

  app.post(
    '/staff/crisis/lists',
    submit(
      listSchema,
      listsPage,
      async (c, f) => {
        const id = await service.createList(c.get('deps').db, actor(c), f.name, f.kind, f.unitId);
        return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
      },
      { catalog: crisisText, picker: { names: 'unitId' } },
    ),
  );

  const listPage = async (
    c: Ctx,
    id: number,
    values: FormValues,
    errors: FieldErrors,
    imported?: { result?: service.ImportResult; errors?: FieldErrors },
  ) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const list = await repo.getList(db, id);
    if (!list) throw notFound();
    if (!can(p, 'crisis.view', list.unit_path) && !can(p, 'crisis.draft', list.unit_path))
      throw new ForbiddenError('crisis.view');
    const t = crisisText.t(c.get('locale'));
    const importResult = imported?.result
      ? { added: imported.result.added, skipped: imported.result.skipped.map((r) => ({ ...r, reason: t(r.reason) })) }
      : null;
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

  const refusedContact = (c: Ctx, r: Refused) => listPage(c, idParam(c), r.values, r.errors);

  app.post(
    '/staff/crisis/lists/:id{[0-9]+}/contacts',
    submit(
      contactSchema,
      refusedContact,
      async (c, f) => {
        const id = idParam(c);
        await service.addContact(c.get('deps').db, actor(c), id, f, {
          outbound: outboundOptions(c.get('deps').config),
        });
        return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
      },
      { catalog: crisisText },
    ),
  );

  const contactIds = (c: Ctx) => ({ id: idParam(c), contactId: idParam(c, 'cid') });

  const editPage = async (c: Ctx, refused?: Refused) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const { id, contactId } = contactIds(c);
    const list = await repo.getList(db, id);
    if (!list) throw notFound();
    if (!can(p, 'crisis.manage', list.unit_path)) throw new ForbiddenError('crisis.manage');
    const contact = await repo.getContact(db, id, contactId);
    if (!contact) throw notFound();
    const shown = refused?.values ?? {
      name: contact.name,
      organisation: contact.organisation,
      channel: contact.channel,
      address: contact.channel === 'webhook' ? (contact.webhook_url ?? '') : contact.address,
      locale: contact.locale,
    };
    const errors = refused?.errors ?? {};
    return c.html(<ContactEditPage ctx={pageCtx(c)} list={list} contact={contact} values={shown} errors={errors} />);
  };

  app.get('/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/edit', (c) => editPage(c));

  app.post(
    '/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/edit',
    submit(
      contactEditSchema,
      editPage,
      async (c, f) => {
        const { id, contactId } = contactIds(c);
        await service.updateContact(c.get('deps').db, actor(c), id, contactId, f, {
          outbound: outboundOptions(c.get('deps').config),
        });
        return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
      },
      { catalog: crisisText },
    ),
  );

  app.post('/staff/crisis/lists/:id{[0-9]+}/contacts/:cid{[0-9]+}/remove', async (c) => {
    const { id, contactId } = contactIds(c);
    return orRefused(
      c,
      async () => {
        await service.removeContact(c.get('deps').db, actor(c), id, contactId);
        return c.redirect(`/staff/crisis/lists/${id}?flash=removed`, 303);
      },
      (c, r) => listPage(c, id, {}, r.errors),
    );
  });

  /** The CSV import: a file or pasted text; a refusal shows the list with the error beside the CSV and what was pasted. */
  const refusedImport = (c: Ctx, r: Refused) =>
    listPage(
      c,
      idParam(c),
      { channel: 'email', locale: 'vi', csv: (r.values.csv ?? '').slice(0, 500000) },
      {},
      {
        errors: r.errors,
      },
    );

  app.post(
    '/staff/crisis/lists/:id{[0-9]+}/import',
    submit(
      importSchema,
      refusedImport,
      async (c, f) => {
        const id = idParam(c);
        const csv = f.file ? await f.file.text() : f.csv;
        const result = await service.importContacts(c.get('deps').db, actor(c), id, csv);
        return listPage(c, id, { channel: 'email', locale: 'vi' }, {}, { result });
      },
      { catalog: crisisText },
    ),
  );
}
