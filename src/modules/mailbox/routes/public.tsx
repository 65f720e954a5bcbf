/** Pages anyone sees: the list, the look-up, one report, the feeds, public photos and the module's own assets. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { projectRoot } from '../../../db/paths.js';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { enterSearches, isPickerSearch, unitPicker } from '../../../http/unit-picker.js';
import { atomFeed } from './feeds.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import { mapSettings } from '../views/map.js';
import { HiddenReportPage, ListPage, LookupPage, ReportPage } from '../views/public.js';
import { say } from './forms.js';
import { photoCache, sendPhoto, UUID } from './photo-sizes.js';

export const PAGE_SIZE = 20;

const lookupMiss = (c: Ctx, typed: string, key: 'lookup.notFound' | 'lookup.badFormat' | 'lookup.empty') => {
  c.header('cache-control', 'no-store');
  return c.html(
    <LookupPage ctx={pageCtx(c)} code={typed} message={mt.t(c.get('locale'))(key, { code: typed })} />,
    key === 'lookup.notFound' ? 404 : 422,
  );
};

export function publicRoutes(app: Hono<AppEnv>): void {
  const assets = path.join(projectRoot(), 'src/modules/mailbox/assets');
  app.get('/mailbox/assets/:file{mailbox\\.(css|js)}', async (c) => {
    const name = c.req.param('file');
    const body = await readFile(path.join(assets, name));
    return c.body(new Uint8Array(body), 200, {
      'content-type': name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    });
  });

  app.use('/mailbox', etag());
  app.use('/mailbox/r/*', etag());
  app.use('/mailbox/feed/*', etag());

  app.get('/mailbox', async (c) => {
    const deps = c.get('deps');
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const asCode = svc.normaliseCode(q);
    if (asCode) return c.redirect(`/mailbox/r/${asCode}`, 303); // searching a code finds that report
    const category = c.req.query('category') ?? '';
    const unit = (c.req.query('unit') ?? '').slice(0, 20);
    const status = c.req.query('status') === 'open' ? 'open' : c.req.query('status') === 'answered' ? 'answered' : '';
    const page = Math.min(500, Math.max(1, Number(c.req.query('page')) || 1));
    const { categories } = await repo.pickerLists(deps);
    // the ward: one of the installation's wards and communes; any other is named, never widened to everything
    let chosen = /^\d{1,9}$/.test(unit) ? await repo.leafUnitInRoot(deps.db, Number(unit)) : undefined;
    const bad = unit !== '' && !chosen;
    let picker = await unitPicker(c, {
      name: 'unit',
      leaves: true,
      values: { unit: chosen ? String(chosen.id) : '', unit_q: c.req.query('unit_q') ?? '' },
    });
    // Search without JavaScript found one ward and none was chosen: it is the choice (as the report form does)
    if (
      !unit &&
      picker.searched &&
      picker.matches === 1 &&
      (isPickerSearch(c) || enterSearches(c.req.query(), 'unit'))
    ) {
      picker = { ...picker, selected: picker.options[0] };
      chosen = await repo.leafUnitInRoot(deps.db, picker.options[0].id);
    }
    const { rows, total } = bad
      ? { rows: [], total: 0 }
      : await svc.publicList(deps, {
          q,
          categoryId: Number(category) || undefined,
          unitPath: chosen?.path,
          status,
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        });
    c.header('cache-control', bad ? 'no-store' : c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    c.header('vary', 'Cookie');
    return c.html(
      <ListPage
        ctx={pageCtx(c)}
        rows={rows}
        total={total}
        page={page}
        pageSize={PAGE_SIZE}
        categories={categories}
        picker={picker}
        filter={{ q, category, unit: chosen ? String(chosen.id) : unit, status }}
        errors={bad ? { unit: say(c.get('locale'), 'inbox.err.filter') } : undefined}
      />,
      bad ? 422 : 200,
    );
  });

  /** "Look up your report": any spelling of a code leads to its page; a mistyped one says so. */
  app.get('/mailbox/lookup', async (c) => {
    const typed = (c.req.query('code') ?? '').slice(0, 40).trim();
    if (!typed) return lookupMiss(c, typed, 'lookup.empty');
    const code = svc.normaliseCode(typed);
    if (!code) return lookupMiss(c, typed, 'lookup.badFormat');
    if (!(await repo.reportByCode(c.get('deps').db, code))) return lookupMiss(c, code, 'lookup.notFound');
    return c.redirect(`/mailbox/r/${code}`, 303);
  });

  app.get('/mailbox/r/:code{PA-\\d{4}-\\d{6}}', async (c) => {
    const found = await svc.lookupReport(c.get('deps').db, c.req.param('code'));
    if (!found) return lookupMiss(c, c.req.param('code'), 'lookup.notFound');
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    c.header('vary', 'Cookie');
    if (found.kind === 'hidden') {
      // a report waiting for triage changes soon: revalidate (ETag) rather than keep it a minute
      c.header('cache-control', 'public, no-cache');
      return c.html(
        <HiddenReportPage ctx={pageCtx(c)} code={found.code} status={found.status} events={found.events} />,
      );
    }
    return c.html(<ReportPage ctx={pageCtx(c)} view={found.view} map={mapSettings(c.get('deps').config)} />);
  });

  /** A code written another way (pa-2026-97) goes to its canonical address; anything else is explained. */
  app.get('/mailbox/r/:typed', async (c) => {
    const typed = c.req.param('typed').slice(0, 40);
    const code = svc.normaliseCode(typed);
    if (code) return c.redirect(`/mailbox/r/${code}`, 301);
    return lookupMiss(c, typed, 'lookup.badFormat');
  });

  app.get('/mailbox/feed/:kind{unit|category}/:file{[\\w-]+\\.atom}', async (c) => {
    const deps = c.get('deps');
    const key = c.req.param('file').replace(/\.atom$/, '');
    const xml = await atomFeed(deps, c.req.param('kind') as 'unit' | 'category', key, c.get('locale'));
    if (!xml) throw notFound();
    return c.body(xml, 200, {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });

  /** Photos of public reports; fresh uploads not yet attached (a form coming back); staff who may see the report. */
  app.get('/mailbox/photos/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw notFound();
    const cache = photoCache(c, await repo.photoOwner(c.get('deps').db, id));
    if (!cache) throw notFound();
    return sendPhoto(c, id, cache);
  });
}
