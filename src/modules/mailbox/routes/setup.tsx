/** The mailbox's set-up pages, for its admins (thin: validate, call setup.ts, render). */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormValues, form, formValues } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import { enterSearches, unitPicker } from '../../../http/unit-picker.js';
import { type Principal, scopeOf } from '../../../platform/auth/permissions.js';
import { translateKey } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { listSubtree } from '../../../platform/units/repo.js';
import { st } from '../i18n-setup.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import * as setup from '../service/setup.js';
import * as setupRepo from '../repo/setup.js';
import {
  AgenciesPage,
  AgencyForm,
  CategoriesPage,
  CategoryForm,
  HolidaysPage,
  RoutesPage,
  SETUP,
  SettingsPage,
  SetupIndex,
} from '../views/setup.js';

/** A key of the set-up catalog, else the mailbox's, else the common one. */
const say = (locale: Locale, key: string) =>
  key in st.vi ? translateKey(st, locale, key) : translateKey(mt, locale, key);
const translate = (locale: Locale, errors: Record<string, string>): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, say(locale, v)]));

/** Every set-up page: an admin of the mailbox somewhere; never cached. */
const admin: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('cache-control', 'private, no-store');
  await next();
};

/** Installation-wide lists (categories, holidays, settings): the top unit's admins, before anything is validated. */
const top: MiddlewareHandler<AppEnv> = async (c, next) => {
  await setup.assertTop(c.get('deps').db, actor(c));
  await next();
};

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
const newOrId = (c: Ctx) => (c.req.param('id') === 'new' ? null : pathId(c));
const sent = (c: Ctx) => formValues(c.get('body' as never) as Record<string, unknown>);

type Shown = { values?: FormValues; errors?: FieldErrors; status?: 200 | 422 };

async function agencyForm(c: Ctx, id: number | null, o: Shown = {}) {
  const p = staff(c);
  const agency = id ? (await agenciesOf(c, p)).find((a) => a.id === id) : undefined;
  if (id && !agency) throw notFound();
  return c.html(
    <AgencyForm ctx={pageCtx(c)} agency={agency} units={await unitsOf(c, p)} values={o.values} errors={o.errors} />,
    o.status ?? 200,
  );
}

async function categoryForm(c: Ctx, id: number | null, o: Shown = {}) {
  const category = id ? await setupRepo.categoryById(c.get('deps').db, id) : undefined;
  if (id && !category) throw notFound();
  return c.html(
    <CategoryForm ctx={pageCtx(c)} category={category} values={o.values} errors={o.errors} />,
    o.status ?? 200,
  );
}

/** The routing rules of the admin's units and the form adding one, whose unit is chosen with the unit picker. */
async function routesPage(c: Ctx, o: Shown = {}) {
  const p = staff(c);
  const db = c.get('deps').db;
  const within = scopeOf(p, 'mailbox.setup');
  const paths = new Set((await unitsOf(c, p)).map((u) => u.path));
  const [rules, categories, agencies, picker] = await Promise.all([
    setupRepo.listRules(db),
    repo.listCategories(db),
    setupRepo.listAgencies(db),
    unitPicker(c, { name: 'unit', within, valueKind: 'code', ...(o.values ? { values: o.values } : {}) }),
  ]);
  return c.html(
    <RoutesPage
      ctx={pageCtx(c)}
      rules={rules.filter((r) => paths.has(r.unit_path))}
      categories={categories}
      picker={picker}
      agencies={agencies}
      values={o.values ?? (c.req.query('_pick') !== undefined ? formValues(c.req.query()) : undefined)}
      errors={o.errors}
      notice={saved(c)}
    />,
    o.status ?? 200,
  );
}

const yearOf = (v: string | undefined) =>
  v && /^\d{4}$/.test(v.trim()) && Number(v) >= 1990 && Number(v) <= 2200 ? Number(v) : new Date().getUTCFullYear();

const holidaysPage = async (c: Ctx, year: number, o: Shown & { notice?: string } = {}) =>
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

const settingsPage = async (c: Ctx, o: Shown = {}) =>
  c.html(
    <SettingsPage
      ctx={pageCtx(c)}
      current={await setup.readSettings(c.get('deps').db)}
      values={o.values}
      errors={o.errors}
      notice={o.errors ? undefined : saved(c)}
    />,
    o.status ?? 200,
  );

export function setupRoutes(app: Hono<AppEnv>): void {
  app.use(SETUP, need('mailbox.setup'), admin);
  app.use(`${SETUP}/*`, need('mailbox.setup'), admin);

  app.get(SETUP, async (c) => {
    const db = c.get('deps').db;
    const [agencies, categories, rules, holidays] = await Promise.all([
      agenciesOf(c, staff(c)),
      setupRepo.listAllCategories(db),
      setupRepo.listRules(db),
      setupRepo.holidaysOfYear(db, new Date().getUTCFullYear()),
    ]);
    const counts = {
      agencies: agencies.length,
      categories: categories.length,
      routes: rules.length,
      holidays: holidays.length,
    };
    return c.html(<SetupIndex ctx={pageCtx(c)} counts={counts} />);
  });

  // ---------- agencies ----------
  app.get(`${SETUP}/agencies`, async (c) =>
    c.html(<AgenciesPage ctx={pageCtx(c)} agencies={await agenciesOf(c, staff(c))} notice={saved(c)} />),
  );
  app.get(`${SETUP}/agencies/new`, (c) => agencyForm(c, null));
  app.get(`${SETUP}/agencies/:id{[0-9]+}`, (c) => agencyForm(c, pathId(c)));
  app.post(
    `${SETUP}/agencies/:id{[0-9]+|new}`,
    form(setup.agencySchema, (c, r) => agencyForm(c, newOrId(c), { ...r, status: 422 }), st),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const id = newOrId(ctx);
      if (id && !(await agenciesOf(ctx, staff(ctx))).some((a) => a.id === id)) throw notFound();
      const values = sent(ctx);
      const r = await setup.saveAgency(c.get('deps').db, actor(ctx), id, { ...values, active: values.active ?? '' });
      if (!r.ok) return agencyForm(ctx, id, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
      return c.redirect(`${SETUP}/agencies?saved=1`, 303);
    },
  );

  // ---------- categories ----------
  app.get(`${SETUP}/categories`, async (c) =>
    c.html(
      <CategoriesPage
        ctx={pageCtx(c)}
        categories={await setupRepo.listAllCategories(c.get('deps').db)}
        notice={saved(c)}
      />,
    ),
  );
  app.get(`${SETUP}/categories/new`, (c) => categoryForm(c, null));
  app.get(`${SETUP}/categories/:id{[0-9]+}`, (c) => categoryForm(c, pathId(c)));
  app.post(
    `${SETUP}/categories/:id{[0-9]+|new}`,
    top,
    form(setup.categorySchema, (c, r) => categoryForm(c, newOrId(c), { ...r, status: 422 }), st),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const id = newOrId(ctx);
      const values = sent(ctx);
      const r = await setup.saveCategory(c.get('deps').db, actor(ctx), id, {
        ...values,
        active: values.active ?? '',
        not_public_default: values.not_public_default ?? '',
      });
      if (!r.ok) return categoryForm(ctx, id, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
      return c.redirect(`${SETUP}/categories?saved=1`, 303);
    },
  );

  // ---------- routing rules ----------
  app.get(`${SETUP}/routes`, (c) => routesPage(c));
  app.post(`${SETUP}/routes`, async (c) => {
    const body = await c.req.parseBody();
    const values = formValues(body);
    if (enterSearches(body, 'unit')) return routesPage(c, { values }); // Enter in the picker's search box: search
    const r = await setup.saveRule(c.get('deps').db, actor(c), {
      unit: values.unit,
      agency: values.agency,
      category: values.category || null,
    });
    if (!r.ok) return routesPage(c, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/routes?saved=1`, 303);
  });
  app.post(`${SETUP}/routes/:id{[0-9]+}/delete`, async (c) => {
    const r = await setup.deleteRule(c.get('deps').db, actor(c), pathId(c));
    if (!r.ok) throw notFound();
    return c.redirect(`${SETUP}/routes?saved=1`, 303);
  });

  // ---------- holidays ----------
  app.get(`${SETUP}/holidays`, (c) => holidaysPage(c, yearOf(c.req.query('year'))));
  app.post(
    `${SETUP}/holidays`,
    top,
    form(setup.holidaySchema, (c, r) => holidaysPage(c, yearOf(r.values.day?.slice(0, 4)), { ...r, status: 422 }), st),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const values = sent(ctx);
      const r = await setup.addHoliday(c.get('deps').db, actor(ctx), values.day ?? '', values.name ?? '');
      if (!r.ok)
        return holidaysPage(ctx, yearOf(values.day?.slice(0, 4)), {
          values,
          errors: translate(c.get('locale'), r.errors),
          status: 422,
        });
      return c.redirect(`${SETUP}/holidays?year=${values.day!.trim().slice(0, 4)}&saved=1`, 303);
    },
  );
  app.post(`${SETUP}/holidays/remove`, async (c) => {
    const values = formValues(await c.req.parseBody());
    const r = await setup.removeHoliday(c.get('deps').db, actor(c), values.day ?? '');
    if (!r.ok)
      return holidaysPage(c, yearOf(values.year), { errors: translate(c.get('locale'), r.errors), status: 422 });
    return c.redirect(`${SETUP}/holidays?year=${yearOf(values.year)}&saved=1`, 303);
  });
  app.post(`${SETUP}/holidays/load`, async (c) => {
    const year = yearOf(formValues(await c.req.parseBody()).year);
    const r = await setup.loadYear(c.get('deps').db, actor(c), year);
    if (!r.ok) return holidaysPage(c, year, { errors: translate(c.get('locale'), r.errors), status: 422 });
    const notice = st.t(c.get('locale'))('setup.holiday.loaded', { n: r.added?.length ?? 0 });
    return holidaysPage(c, year, { notice });
  });

  // ---------- settings ----------
  app.get(`${SETUP}/settings`, (c) => settingsPage(c));
  app.post(
    `${SETUP}/settings`,
    top,
    form(setup.settingsSchema, (c, r) => settingsPage(c, { ...r, status: 422 }), st),
    async (c) => {
      const ctx = c as unknown as Ctx;
      const values = sent(ctx);
      const r = await setup.saveSettings(c.get('deps').db, actor(ctx), {
        reopenDays: values.reopenDays ?? '',
        retentionDays: values.retentionDays ?? '',
      });
      if (!r.ok) return settingsPage(ctx, { values, errors: translate(c.get('locale'), r.errors), status: 422 });
      return c.redirect(`${SETUP}/settings?saved=1`, 303);
    },
  );
}
