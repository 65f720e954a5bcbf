/** Routes of the mailbox's set-up pages (thin: parse, call setup.ts, render). */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../http/forms.js';
import { pathId } from '../../http/params.js';
import { requireStaff } from '../../http/routes/staff.js';
import { assertCan, scopeOf, type Principal } from '../../platform/auth/permissions.js';
import { common, type CommonKey } from '../../platform/i18n/common.js';
import type { Locale } from '../../platform/i18n/index.js';
import { listSubtree } from '../../platform/units/repo.js';
import { st, type SetupKey } from './i18n-setup.js';
import { mt, type MailboxKey } from './i18n.js';
import * as repo from './repo.js';
import * as setup from './setup.js';
import * as setupRepo from './setup-repo.js';
import {
  AgenciesPage,
  AgencyForm,
  CategoriesPage,
  CategoryForm,
  HolidaysPage,
  RoutesPage,
  SettingsPage,
  SETUP,
  SetupIndex,
} from './views/setup.js';

function say(locale: Locale, key: string): string {
  if (key in st.vi) return st.t(locale)(key as SetupKey);
  if (key in mt.vi) return mt.t(locale)(key as MailboxKey);
  if (key in common.vi) return common.t(locale)(key as CommonKey);
  return common.t(locale)('error.validation');
}
const translate = (locale: Locale, errors: Record<string, string>): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, say(locale, v)]));

function admin(c: Ctx): Principal {
  const p = requireStaff(c);
  assertCan(p, 'mailbox.setup');
  c.header('cache-control', 'private, no-store');
  return p;
}

const actor = (c: Ctx, p: Principal): setup.Actor => ({ principal: p, ip: c.get('ip') });

/** Units an admin may set up: the subtrees of its admin grants. */
async function unitsOf(c: Ctx, p: Principal) {
  const db = c.get('deps').db;
  const seen = new Set<string>();
  const out: { code: string; full_name: string; path: string }[] = [];
  for (const path of scopeOf(p, 'mailbox.setup'))
    for (const u of await listSubtree(db, path))
      if (!seen.has(u.code)) {
        seen.add(u.code);
        out.push(u);
      }
  return out;
}

async function agenciesOf(c: Ctx, p: Principal) {
  const scope = scopeOf(p, 'mailbox.setup');
  return (await setupRepo.listAgencies(c.get('deps').db)).filter((a) =>
    scope.some((s) => a.unit_path === s || a.unit_path.startsWith(`${s}.`)),
  );
}

const saved = (c: Ctx) => (c.req.query('saved') === '1' ? st.t(c.get('locale'))('setup.saved') : undefined);

export function setupRoutes(app: Hono<AppEnv>): void {
  app.get(SETUP, async (c) => {
    const p = admin(c);
    const db = c.get('deps').db;
    const [agencies, categories, rules, holidays] = await Promise.all([
      agenciesOf(c, p),
      setupRepo.listAllCategories(db),
      setupRepo.listRules(db),
      setupRepo.holidaysOfYear(db, new Date().getUTCFullYear()),
    ]);
    return c.html(
      <SetupIndex
        ctx={pageCtx(c)}
        counts={{
          agencies: agencies.length,
          categories: categories.length,
          routes: rules.length,
          holidays: holidays.length,
        }}
      />,
    );
  });

  // ---------- agencies ----------
  app.get(`${SETUP}/agencies`, async (c) =>
    c.html(<AgenciesPage ctx={pageCtx(c)} agencies={await agenciesOf(c, admin(c))} notice={saved(c)} />),
  );

  const agencyForm = async (
    c: Ctx,
    p: Principal,
    id: number | null,
    o: { values?: FormValues; errors?: FieldErrors; status?: 200 | 422 } = {},
  ) => {
    const agency = id ? (await agenciesOf(c, p)).find((a) => a.id === id) : undefined;
    if (id && !agency) throw notFound();
    return c.html(
      <AgencyForm ctx={pageCtx(c)} agency={agency} units={await unitsOf(c, p)} values={o.values} errors={o.errors} />,
      o.status ?? 200,
    );
  };
  app.get(`${SETUP}/agencies/new`, async (c) => agencyForm(c, admin(c), null));
  app.get(`${SETUP}/agencies/:id{[0-9]+}`, async (c) => agencyForm(c, admin(c), pathId(c)));
  app.post(`${SETUP}/agencies/:id{[0-9]+|new}`, async (c) => {
    const p = admin(c);
    const id = c.req.param('id') === 'new' ? null : pathId(c);
    if (id && !(await agenciesOf(c, p)).some((a) => a.id === id)) throw notFound();
    const body = await c.req.parseBody();
    const values = formValues(body);
    const r = await setup.saveAgency(c.get('deps').db, actor(c, p), id, { ...values, active: values.active ?? '' });
    if (!r.ok) return agencyForm(c, p, id, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/agencies?saved=1`, 303);
  });

  // ---------- categories ----------
  app.get(`${SETUP}/categories`, async (c) => {
    admin(c);
    return c.html(
      <CategoriesPage
        ctx={pageCtx(c)}
        categories={await setupRepo.listAllCategories(c.get('deps').db)}
        notice={saved(c)}
      />,
    );
  });
  const categoryForm = async (
    c: Ctx,
    id: number | null,
    o: { values?: FormValues; errors?: FieldErrors; status?: 200 | 422 } = {},
  ) => {
    const category = id ? await setupRepo.categoryById(c.get('deps').db, id) : undefined;
    if (id && !category) throw notFound();
    return c.html(
      <CategoryForm ctx={pageCtx(c)} category={category} values={o.values} errors={o.errors} />,
      o.status ?? 200,
    );
  };
  app.get(`${SETUP}/categories/new`, async (c) => (admin(c), categoryForm(c, null)));
  app.get(`${SETUP}/categories/:id{[0-9]+}`, async (c) => (admin(c), categoryForm(c, pathId(c))));
  app.post(`${SETUP}/categories/:id{[0-9]+|new}`, async (c) => {
    const p = admin(c);
    const id = c.req.param('id') === 'new' ? null : pathId(c);
    const values = formValues(await c.req.parseBody());
    const r = await setup.saveCategory(c.get('deps').db, actor(c, p), id, {
      ...values,
      active: values.active ?? '',
      not_public_default: values.not_public_default ?? '',
    });
    if (!r.ok) return categoryForm(c, id, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/categories?saved=1`, 303);
  });

  // ---------- routing rules ----------
  const routesPage = async (
    c: Ctx,
    p: Principal,
    o: { values?: FormValues; errors?: FieldErrors; status?: 200 | 422 } = {},
  ) => {
    const db = c.get('deps').db;
    const units = await unitsOf(c, p);
    const paths = new Set(units.map((u) => u.path));
    const rules = (await setupRepo.listRules(db)).filter((r) => paths.has(r.unit_path));
    return c.html(
      <RoutesPage
        ctx={pageCtx(c)}
        rules={rules}
        categories={await repo.listCategories(db)}
        units={units}
        agencies={await setupRepo.listAgencies(db)}
        values={o.values}
        errors={o.errors}
        notice={saved(c)}
      />,
      o.status ?? 200,
    );
  };
  app.get(`${SETUP}/routes`, async (c) => routesPage(c, admin(c)));
  app.post(`${SETUP}/routes`, async (c) => {
    const p = admin(c);
    const values = formValues(await c.req.parseBody());
    const r = await setup.saveRule(c.get('deps').db, actor(c, p), {
      unit: values.unit,
      agency: values.agency,
      category: values.category || null,
    });
    if (!r.ok) return routesPage(c, p, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/routes?saved=1`, 303);
  });
  app.post(`${SETUP}/routes/:id{[0-9]+}/delete`, async (c) => {
    const p = admin(c);
    const r = await setup.deleteRule(c.get('deps').db, actor(c, p), pathId(c));
    if (!r.ok) throw notFound();
    return c.redirect(`${SETUP}/routes?saved=1`, 303);
  });

  // ---------- holidays ----------
  const yearOf = (v: string | undefined) =>
    v && /^\d{4}$/.test(v.trim()) && Number(v) >= 1990 && Number(v) <= 2200 ? Number(v) : new Date().getUTCFullYear();
  const holidaysPage = async (
    c: Ctx,
    year: number,
    o: { values?: FormValues; errors?: FieldErrors; notice?: string; status?: 200 | 422 } = {},
  ) =>
    c.html(
      <HolidaysPage
        ctx={pageCtx(c)}
        year={year}
        holidays={await setupRepo.holidaysOfYear(c.get('deps').db, year)}
        values={o.values}
        errors={o.errors}
        notice={o.notice ?? saved(c)}
      />,
      o.status ?? 200,
    );
  app.get(`${SETUP}/holidays`, async (c) => (admin(c), holidaysPage(c, yearOf(c.req.query('year')))));
  app.post(`${SETUP}/holidays`, async (c) => {
    const p = admin(c);
    const values = formValues(await c.req.parseBody());
    const r = await setup.addHoliday(c.get('deps').db, actor(c, p), values.day ?? '', values.name ?? '');
    if (!r.ok)
      return holidaysPage(c, yearOf(values.day?.slice(0, 4)), {
        values,
        errors: translate(c.get('locale'), r.errors),
        status: 422,
      });
    return c.redirect(`${SETUP}/holidays?year=${values.day!.trim().slice(0, 4)}&saved=1`, 303);
  });
  app.post(`${SETUP}/holidays/remove`, async (c) => {
    const p = admin(c);
    const values = formValues(await c.req.parseBody());
    const r = await setup.removeHoliday(c.get('deps').db, actor(c, p), values.day ?? '');
    if (!r.ok)
      return holidaysPage(c, yearOf(values.year), { errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/holidays?year=${yearOf(values.year)}&saved=1`, 303);
  });
  app.post(`${SETUP}/holidays/load`, async (c) => {
    const p = admin(c);
    const values = formValues(await c.req.parseBody());
    const year = yearOf(values.year);
    const r = await setup.loadYear(c.get('deps').db, actor(c, p), year);
    if (!r.ok) return holidaysPage(c, year, { errors: translate(c.get('locale'), r.errors), status: 422 });
    return holidaysPage(c, year, {
      notice: st.t(c.get('locale'))('setup.holiday.loaded', { n: r.added?.length ?? 0 }),
    });
  });

  // ---------- settings ----------
  app.get(
    `${SETUP}/settings`,
    async (c) => (
      admin(c),
      c.html(<SettingsPage ctx={pageCtx(c)} current={await setup.readSettings(c.get('deps').db)} notice={saved(c)} />)
    ),
  );
  app.post(`${SETUP}/settings`, async (c) => {
    const p = admin(c);
    const db = c.get('deps').db;
    const values = formValues(await c.req.parseBody());
    const r = await setup.saveSettings(db, actor(c, p), {
      reopenDays: values.reopenDays ?? '',
      retentionDays: values.retentionDays ?? '',
    });
    if (!r.ok)
      return c.html(
        <SettingsPage
          ctx={pageCtx(c)}
          current={await setup.readSettings(db)}
          values={values}
          errors={translate(c.get('locale'), r.errors)}
        />,
        422,
      );
    return c.redirect(`${SETUP}/settings?saved=1`, 303);
  });
}
