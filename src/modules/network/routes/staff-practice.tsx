/** Leaders record in-person training sessions and awards; members declare the reach of the groups they share into. */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { Db } from '../../../db/client.js';
import type { AppEnv, Ctx, PageCtx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { actor, need, staff } from '../../../http/guard.js';
import { unitPicker } from '../../../http/unit-picker.js';
import { submit } from '../../../http/forms.js';
import { nt } from '../i18n.js';
import { type Actor, scopeOf } from '../../../platform/auth/permissions.js';
import { declareReach, myReach, practiceLists, recordAward, recordSession } from '../service/practice.js';
import { awardSchema, reachSchema, sessionSchema } from '../service/forms.js';
import { AwardsPage, ReachPage, SessionsPage } from '../views/practice.js';

type Form = { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean };
type Lists = Awaited<ReturnType<typeof practiceLists>>;

/**
 * A leader's record page (training sessions, awards): the list, and the form adding one whose unit is chosen with the
 * picker inside the leader's scope for `action`; a refusal or a picker search shows the page again.
 */
function recordPage<S extends z.ZodType>(
  app: Hono<AppEnv>,
  o: {
    path: string;
    action: 'network.train' | 'network.recognise';
    schema: S;
    page: (ctx: PageCtx, lists: Lists, picker: PickerState, f: Form) => ReturnType<typeof SessionsPage>;
    record: (db: Db, a: Actor, input: z.infer<S>) => Promise<unknown>;
  },
): void {
  const show = async (c: Ctx, f: Form = {}, status: 200 | 422 = 200) => {
    const lists = await practiceLists(c.get('deps').db, actor(c));
    const values =
      f.values ?? (c.req.query('_pick') !== undefined ? (c.req.query() as Record<string, string>) : undefined);
    const picker = await unitPicker(c, { name: 'unit', within: scopeOf(staff(c), o.action), values: values ?? {} });
    return c.html(o.page(pageCtx(c), lists, picker, { ...f, values }), status);
  };
  app.get(o.path, need(o.action), (c) => show(c, { saved: c.req.query('saved') === '1' }));
  app.post(
    o.path,
    need(o.action),
    submit(
      o.schema,
      (c, r) => show(c, r, 422),
      async (c, input) => {
        await o.record(c.get('deps').db, actor(c), input);
        return c.redirect(`${o.path}?saved=1`, 303);
      },
      { catalog: nt, picker: { names: 'unit', search: (c, values) => show(c, { values }) } },
    ),
  );
}

export function practiceRoutes(app: Hono<AppEnv>): void {
  recordPage(app, {
    path: '/network/manage/sessions',
    action: 'network.train',
    schema: sessionSchema,
    page: (ctx, lists, picker, f) => <SessionsPage ctx={ctx} sessions={lists.sessions} picker={picker} f={f} />,
    record: recordSession,
  });
  recordPage(app, {
    path: '/network/manage/awards',
    action: 'network.recognise',
    schema: awardSchema,
    page: (ctx, lists, picker, f) => <AwardsPage ctx={ctx} awards={lists.awards} picker={picker} f={f} />,
    record: recordAward,
  });

  const reach = async (c: Ctx, f: Form = {}, status: 200 | 422 = 200) => {
    const rows = await myReach(c.get('deps').db, actor(c));
    return c.html(<ReachPage ctx={pageCtx(c)} rows={rows} f={f} />, status);
  };
  app.get('/network/reach', need('network.member'), (c) => reach(c, { saved: c.req.query('saved') === '1' }));
  app.post(
    '/network/reach',
    need('network.member'),
    submit(
      reachSchema,
      (c, r) => reach(c, r, 422),
      async (c, input) => {
        await declareReach(c.get('deps').db, actor(c), input);
        return c.redirect('/network/reach?saved=1', 303);
      },
      { catalog: nt },
    ),
  );
}
