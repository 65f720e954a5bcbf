/** Leaders record in-person training sessions and awards; members declare the reach of the groups they share into. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { actor, need, staff } from '../../../http/guard.js';
import { unitPicker } from '../../../http/unit-picker.js';
import { submit } from '../../../http/forms.js';
import { nt } from '../i18n.js';
import { scopeOf } from '../../../platform/auth/permissions.js';
import { declareReach, myReach, practiceLists, recordAward, recordSession } from '../service/practice.js';
import { awardSchema, reachSchema, sessionSchema } from '../service/forms.js';
import { AwardsPage, ReachPage, SessionsPage } from '../views/practice.js';

export function practiceRoutes(app: Hono<AppEnv>): void {
  const sessions = async (
    c: Ctx,
    f: { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean } = {},
    status: 200 | 422 = 200,
  ) => {
    const p = staff(c);
    const lists = await practiceLists(c.get('deps').db, actor(c));
    const values =
      f.values ?? (c.req.query('_pick') !== undefined ? (c.req.query() as Record<string, string>) : undefined);
    const picker = await unitPicker(c, { name: 'unit', within: scopeOf(p, 'network.train'), values: values ?? {} });
    return c.html(
      <SessionsPage ctx={pageCtx(c)} sessions={lists.sessions} picker={picker} f={{ ...f, values }} />,
      status,
    );
  };
  app.get('/network/manage/sessions', need('network.train'), (c) =>
    sessions(c, { saved: c.req.query('saved') === '1' }),
  );
  app.post(
    '/network/manage/sessions',
    need('network.train'),
    submit(
      sessionSchema,
      (c, r) => sessions(c, r, 422),
      async (c, input) => {
        await recordSession(c.get('deps').db, actor(c), input);
        return c.redirect('/network/manage/sessions?saved=1', 303);
      },
      { catalog: nt, picker: { names: 'unit', search: (c, values) => sessions(c, { values }) } },
    ),
  );

  const awards = async (
    c: Ctx,
    f: { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean } = {},
    status: 200 | 422 = 200,
  ) => {
    const p = staff(c);
    const lists = await practiceLists(c.get('deps').db, actor(c));
    const values =
      f.values ?? (c.req.query('_pick') !== undefined ? (c.req.query() as Record<string, string>) : undefined);
    const picker = await unitPicker(c, { name: 'unit', within: scopeOf(p, 'network.recognise'), values: values ?? {} });
    return c.html(<AwardsPage ctx={pageCtx(c)} awards={lists.awards} picker={picker} f={{ ...f, values }} />, status);
  };
  app.get('/network/manage/awards', need('network.recognise'), (c) =>
    awards(c, { saved: c.req.query('saved') === '1' }),
  );
  app.post(
    '/network/manage/awards',
    need('network.recognise'),
    submit(
      awardSchema,
      (c, r) => awards(c, r, 422),
      async (c, input) => {
        await recordAward(c.get('deps').db, actor(c), input);
        return c.redirect('/network/manage/awards?saved=1', 303);
      },
      { catalog: nt, picker: { names: 'unit', search: (c, values) => awards(c, { values }) } },
    ),
  );

  const reach = async (
    c: Ctx,
    f: { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean } = {},
    status: 200 | 422 = 200,
  ) => {
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
