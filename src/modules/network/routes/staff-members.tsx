/** Leaders run their units' network: the directory, invitations, join requests, imports, groups, commendations. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { brokenForm, HttpError } from '../../../http/errors.js';
import { type FieldErrors, formValues, postedBody, submit } from '../../../http/forms.js';
import { nt } from '../i18n.js';
import { actor, need, staff } from '../../../http/guard.js';
import { unitPicker, isPickerPost } from '../../../http/unit-picker.js';
import { can, scopeOf } from '../../../platform/auth/permissions.js';
import { parseId } from '../../../platform/ids.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { ImportPage } from '../views/import.js';
import { type ManageForms, ManagePage, type ManagePickers } from '../views/manage.js';
import { commendSchema, groupSchema, importSchema, inviteSchema, membershipSchema } from '../service/forms.js';
import { id, notice, nt$ } from './common.js';

const FORMS = ['invite', 'import', 'group', 'commend'] as const;

/**
 * One unit picker per form on the page; a picker search without JavaScript (its Search button, or Enter in its search
 * box) comes back with `_form` naming its form.
 */
async function pickers(c: Ctx, f: ManageForms, searched?: { form: string; values: Record<string, string> }) {
  const p = staff(c);
  const query = c.req.query('_pick') !== undefined ? (c.req.query() as Record<string, string>) : undefined;
  const search = searched ?? (query ? { form: query._form ?? '', values: query } : undefined);
  const out = {} as ManagePickers;
  for (const form of FORMS) {
    const values = search?.form === form ? search.values : (f[form]?.values ?? {});
    out[form] = await unitPicker(c, {
      name: 'unit',
      within: scopeOf(p, form === 'commend' ? 'network.recognise' : 'network.lead'),
      values,
    });
  }
  return { out, values: search ? { [search.form]: search.values } : {} };
}

async function manageData(c: Ctx) {
  const p = staff(c);
  const scope = svc.leaderScope(p);
  const db = c.get('deps').db;
  const q = (c.req.query('q') ?? '').trim().slice(0, 100);
  const [members, requests, invites, groups, commendations] = await Promise.all([
    repo.listMembers(db, scope, q || null, 200, 0),
    repo.pendingRequestsInPaths(db, scope),
    repo.invitesInPaths(db, scope),
    repo.groupsInPaths(db, scope),
    repo.commendationsInPaths(db, scope),
  ]);
  return {
    members: members.rows,
    total: members.total,
    q,
    requests,
    invites,
    groups,
    commendations,
    may: { recognise: can(p, 'network.recognise') },
    baseUrl: c.get('deps').config.baseUrl,
  };
}

async function renderManage(
  c: Ctx,
  f: ManageForms = {},
  status: 200 | 422 = 200,
  searched?: { form: string; values: Record<string, string> },
) {
  const [d, picked] = await Promise.all([manageData(c), pickers(c, f, searched)]);
  const forms: ManageForms = { ...f };
  for (const [form, values] of Object.entries(picked.values))
    forms[form as (typeof FORMS)[number]] = { ...forms[form as (typeof FORMS)[number]], values };
  c.status(status);
  return c.html(<ManagePage ctx={pageCtx(c)} d={d} f={forms} pickers={picked.out} />);
}

/** Enter in a form's unit picker search box (JavaScript off): the page again with the matches for that form. */
const searching = (form: (typeof FORMS)[number]) => ({
  names: 'unit',
  search: (c: Ctx, values: Record<string, string>) => renderManage(c, {}, 200, { form, values }),
});

export function staffMemberRoutes(app: Hono<AppEnv>): void {
  const lead = need('network.lead');

  // a refused form keeps everything typed, the unit picker's search text too (the service returns its own fields)
  app.get('/network/manage', lead, (c) => renderManage(c, { notice: notice(c) }));
  app.post(
    '/network/manage/invites',
    lead,
    submit(
      inviteSchema,
      (c, r) => renderManage(c, { invite: r }, 422),
      async (c, input) => {
        const { url } = await svc.createInvite(c.get('deps').db, actor(c), input, c.get('deps').config.baseUrl);
        return renderManage(c, { invite: { url } });
      },
      { catalog: nt, picker: searching('invite') },
    ),
  );
  app.post('/network/manage/invites/:id/revoke', lead, async (c) => {
    await svc.revokeInvite(c.get('deps').db, actor(c), id(c, 'id'));
    return c.redirect('/network/manage', 303);
  });
  const decide = (approve: boolean) => async (c: Ctx) => {
    const { db, config } = c.get('deps');
    const name = await svc.decideRequest(db, actor(c), id(c, 'id'), approve, config.baseUrl);
    return c.redirect(`/network/manage?ok=${approve ? 'approved' : 'rejected'}&name=${encodeURIComponent(name)}`, 303);
  };
  app.post('/network/manage/requests/:id/approve', lead, decide(true));
  app.post('/network/manage/requests/:id/reject', lead, decide(false));
  app.post(
    '/network/manage/members/:id/remove',
    lead,
    submit(membershipSchema, brokenForm, async (c, input) => {
      const name = await svc.removeMember(c.get('deps').db, actor(c), id(c, 'id'), parseId(input.unit));
      return c.redirect(`/network/manage?ok=removed&name=${encodeURIComponent(name)}`, 303);
    }),
  );

  // the import is a background job; its page shows how far it got. A file chosen is not kept when the form comes back
  // (a picker search or a refusal): it is asked for again beside its field.
  const fileAgain = async (c: Ctx, key: 'mgr.fileAgain' | 'mgr.fileNotSaved'): Promise<FieldErrors> => {
    const file = (await postedBody(c)).file;
    return file instanceof File && file.size > 0 ? { file: nt$(c)(key) } : {};
  };
  const importForm = submit(
    importSchema,
    async (c, r) =>
      renderManage(c, { import: { ...r, errors: { ...r.errors, ...(await fileAgain(c, 'mgr.fileNotSaved')) } } }, 422),
    async (c, input) => {
      const file = (await postedBody(c)).file;
      let csv = input.csv;
      if (file instanceof File && file.size > 0) {
        if (file.size > 2 * 1024 * 1024) throw new HttpError(413, 'too_large', 'error.tooLarge');
        csv = await file.text();
      }
      const jobId = await svc.startImport(c.get('deps').db, actor(c), input, csv, c.get('locale'));
      return c.redirect(`/network/manage/import/${jobId}`, 303);
    },
    { catalog: nt },
  );
  app.post('/network/manage/import', lead, async (c) => {
    const body = await postedBody(c);
    // the unit picker's Search button on this file form (no JavaScript): the form comes back with the matches
    if (isPickerPost(body, 'unit')) {
      const errors = await fileAgain(c, 'mgr.fileAgain');
      return renderManage(c, { import: { errors } }, 200, { form: 'import', values: formValues(body) });
    }
    return importForm(c);
  });
  app.get('/network/manage/import/:id', lead, async (c) => {
    const jobId = id(c, 'id');
    const s = await svc.importStatus(c.get('deps').db, actor(c), jobId);
    return c.html(<ImportPage ctx={pageCtx(c)} jobId={jobId} {...s} />);
  });

  app.post(
    '/network/manage/groups',
    lead,
    submit(
      groupSchema,
      (c, r) => renderManage(c, { group: r }, 422),
      async (c, input) => {
        const name = await svc.createGroup(c.get('deps').db, actor(c), input);
        return c.redirect(`/network/manage?ok=group&name=${encodeURIComponent(name)}`, 303);
      },
      { catalog: nt, picker: searching('group') },
    ),
  );
  app.post(
    '/network/manage/recognition',
    need('network.recognise'),
    submit(
      commendSchema,
      (c, r) => renderManage(c, { commend: r }, 422),
      async (c, input) => {
        await svc.commend(c.get('deps').db, actor(c), input);
        return c.redirect('/network/manage?ok=commended', 303);
      },
      { catalog: nt, picker: searching('commend') },
    ),
  );
}
