/** The mailbox's set-up pages, for its admins (thin: validate, call service/setup.ts, render). */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormStatus, type FormValues, formValues, submit } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { pathId } from '../../../http/params.js';
import { unitPicker } from '../../../http/unit-picker.js';
import { type Principal, scopeOf } from '../../../platform/auth/permissions.js';
import { listSubtree } from '../../../platform/units/repo.js';
import { st } from '../i18n-setup.js';
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

type Shown = { values?: FormValues; errors?: FieldErrors; status?: FormStatus };

/** The set-up's messages for the forms' fields; a refusal of the service is shown on the form the same way. */
const catalog = setup.setupText;
const dbOf = (c: Ctx) => c.get('deps').db;

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
  // every set-up page: an admin of the mailbox somewhere
  app.use(SETUP, need('mailbox.setup'));
  app.use(`${SETUP}/*`, need('mailbox.setup'));

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
    submit(
      setup.agencySchema,
      (c, r, status) => agencyForm(c, newOrId(c), { ...r, status }),
      async (c) => {
        const id = newOrId(c);
        if (id && !(await agenciesOf(c, staff(c))).some((a) => a.id === id)) throw notFound();
        const values = sent(c);
        await setup.saveAgency(c.get('deps'), actor(c), id, { ...values, active: values.active ?? '' });
        return c.redirect(`${SETUP}/agencies?saved=1`, 303);
      },
      { catalog },
    ),
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
    submit(
      setup.categorySchema,
      (c, r, status) => categoryForm(c, newOrId(c), { ...r, status }),
      async (c) => {
        const values = sent(c);
        await setup.saveCategory(c.get('deps'), actor(c), newOrId(c), {
          ...values,
          active: values.active ?? '',
          not_public_default: values.not_public_default ?? '',
        });
        return c.redirect(`${SETUP}/categories?saved=1`, 303);
      },
      { catalog },
    ),
  );

  // ---------- routing rules ----------
  app.get(`${SETUP}/routes`, (c) => routesPage(c));
  app.post(
    `${SETUP}/routes`,
    submit(
      setup.ruleSchema,
      (c, r, status) => routesPage(c, { ...r, status }),
      async (c, v) => {
        await setup.saveRule(c.get('deps'), actor(c), {
          unit: v.unit,
          agency: v.agency,
          category: v.category || null,
        });
        return c.redirect(`${SETUP}/routes?saved=1`, 303);
      },
      // Enter in the picker's search box: the matches, nothing saved
      { catalog, picker: { names: 'unit', search: (c, values) => routesPage(c, { values }) } },
    ),
  );
  app.post(`${SETUP}/routes/:id{[0-9]+}/delete`, async (c) => {
    await setup.deleteRule(c.get('deps'), actor(c), pathId(c));
    return c.redirect(`${SETUP}/routes?saved=1`, 303);
  });

  // ---------- holidays ----------
  app.get(`${SETUP}/holidays`, (c) => holidaysPage(c, yearOf(c.req.query('year'))));
  app.post(
    `${SETUP}/holidays`,
    top,
    submit(
      setup.holidaySchema,
      (c, r, status) => holidaysPage(c, yearOf(r.values.day?.slice(0, 4)), { ...r, status }),
      async (c) => {
        const values = sent(c);
        await setup.addHoliday(c.get('deps'), actor(c), values.day ?? '', values.name ?? '');
        return c.redirect(`${SETUP}/holidays?year=${values.day!.trim().slice(0, 4)}&saved=1`, 303);
      },
      { catalog },
    ),
  );
  // the list's Remove and Load buttons send hidden fields only: a refusal shows the list with the message
  app.post(
    `${SETUP}/holidays/remove`,
    submit(
      setup.holidayRemoveSchema,
      (c, r, status) => holidaysPage(c, yearOf(r.values.year), { errors: r.errors, status }),
      async (c, v) => {
        await setup.removeHoliday(c.get('deps'), actor(c), v.day);
        return c.redirect(`${SETUP}/holidays?year=${yearOf(v.year)}&saved=1`, 303);
      },
      { catalog },
    ),
  );
  app.post(
    `${SETUP}/holidays/load`,
    submit(
      setup.holidayYearSchema,
      (c, r, status) => holidaysPage(c, yearOf(r.values.year), { errors: r.errors, status }),
      async (c, v) => {
        const year = yearOf(v.year);
        const added = await setup.loadYear(c.get('deps'), actor(c), year);
        const notice = st.t(c.get('locale'))('setup.holiday.loaded', { n: added.length });
        return holidaysPage(c, year, { notice });
      },
      { catalog },
    ),
  );

  // ---------- settings ----------
  app.get(`${SETUP}/settings`, (c) => settingsPage(c));
  app.post(
    `${SETUP}/settings`,
    top,
    submit(
      setup.settingsSchema,
      (c, r, status) => settingsPage(c, { ...r, status }),
      async (c) => {
        const values = sent(c);
        await setup.saveSettings(dbOf(c), actor(c), {
          reopenDays: values.reopenDays ?? '',
          retentionDays: values.retentionDays ?? '',
        });
        return c.redirect(`${SETUP}/settings?saved=1`, 303);
      },
      { catalog },
    ),
  );
}
