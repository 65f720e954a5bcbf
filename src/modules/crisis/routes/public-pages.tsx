/** Public pages: the incident list, an incident (cached, with its version for the live script), a statement, verification. */
import type { Hono } from 'hono';
import QRCode from 'qrcode';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { type FieldErrors, type FormValues, submit } from '../../../http/forms.js';
import { rateLimit } from '../../../http/middleware.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import { verifyTextSchema } from '../service/forms.js';
import * as service from '../service.js';
import { IncidentPage, IncidentsPage, pick, StatementPage, VerifyPage } from '../views/public.js';
import { html, idParam, site } from './helpers.js';
import { loadIncidentPage } from './incident-page-data.js';

/**
 * Process-wide on purpose: a pure memo of a deterministic function of its text (the statement's address, which
 * names its app's site), so two apps can neither see nor change each other's data through it.
 */
const qrCache = new Map<string, string>();
async function qrSvg(text: string): Promise<string> {
  let svg = qrCache.get(text);
  if (!svg) {
    svg = await QRCode.toString(text, { type: 'svg', margin: 1, width: 168, errorCorrectionLevel: 'M' });
    qrCache.set(text, svg);
  }
  return svg;
}

/** /incidents, /incidents/:id and its version.json, /statements/:number, GET and POST /verify. */
export function publicPageRoutes(app: Hono<AppEnv>): void {
  app.get('/incidents', async (c) => {
    const db = c.get('deps').db;
    const [incidents, notices] = await Promise.all([
      repo.listIncidents(db, { limit: 50 }),
      repo.listStatements(db, { status: 'released', outsideIncidents: true, limit: 20 }),
    ]);
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=30');
    return c.html(<IncidentsPage ctx={pageCtx(c)} incidents={incidents} notices={notices} />);
  });

  app.get('/incidents/:id{[0-9]+}', async (c) => {
    const id = idParam(c);
    const db = c.get('deps').db;
    if (c.get('principal')) {
      const d = await loadIncidentPage(db, id, (await repo.incidentVersion(db, id)) ?? 0);
      if (!d) throw notFound();
      c.header('cache-control', 'private, no-cache');
      return c.html(<IncidentPage ctx={pageCtx(c)} d={d} />);
    }
    const locale = c.get('locale');
    const entry = await service.cachedIncidentPage(c.get('deps'), id, locale, async (version) => {
      const d = await loadIncidentPage(db, id, version);
      if (!d) return null;
      const ctx = { ...pageCtx(c), principal: null, csrf: '', path: `/incidents/${id}` };
      return html(<IncidentPage ctx={ctx} d={d} />);
    });
    if (!entry) throw notFound();
    const headers = { etag: entry.etag, 'cache-control': 'public, no-cache', vary: 'Cookie, Accept-Language' };
    const inm = c.req.header('if-none-match');
    if (inm && inm.split(',').some((v) => v.trim() === entry.etag)) return c.body(null, 304, headers);
    return c.body(entry.body, 200, { ...headers, 'content-type': 'text/html; charset=UTF-8' });
  });

  /** For the progressive-enhancement script: is there something newer than the page I show? */
  app.get('/incidents/:id{[0-9]+}/version.json', async (c) => {
    const id = idParam(c);
    const version = await service.incidentVersionNow(c.get('deps'), id, c.get('locale'));
    if (version === null) throw notFound();
    return c.json({ version }, 200, { 'cache-control': 'no-cache' });
  });

  app.get('/statements/:number{[0-9]{4}-[0-9]{3,}}', async (c) => {
    const db = c.get('deps').db;
    const s = await repo.statementByNumber(db, c.req.param('number'));
    if (!s) throw notFound();
    const later = await repo.laterStatements(db, s.id);
    const incident = s.incident_id ? await repo.getIncident(db, s.incident_id) : null;
    const ctx = pageCtx(c);
    const info = site(c);
    c.header('cache-control', c.get('principal') ? 'private, no-cache' : 'public, max-age=60');
    return c.html(
      <StatementPage
        ctx={ctx}
        s={s}
        later={later}
        qrSvg={await qrSvg(service.verifyUrl(info, s.code!))}
        share={service.shareText(
          { ...s, number: s.number!, code: s.code!, released_at: s.released_at! },
          info,
          ctx.locale,
        )}
        incidentTitle={incident ? pick(ctx.locale, incident.title, incident.title_en) : null}
        verifyBase={service.verifyUrl(info)}
        signature={await service.checkSignature(c.get('deps'), s)}
      />,
    );
  });

  const verifyPage = async (
    c: Ctx,
    values: FormValues,
    errors: FieldErrors,
    outcome: service.VerifyOutcome | null,
    status: 200 | 422 = 200,
  ) => {
    const key = await service.publicKey(c.get('deps').db);
    c.header('cache-control', 'no-store');
    c.status(status);
    return c.html(<VerifyPage ctx={pageCtx(c)} values={values} errors={errors} outcome={outcome} keyId={key.keyId} />);
  };

  app.get('/verify', async (c) => {
    const code = (c.req.query('code') ?? '').trim();
    if (!code) return verifyPage(c, {}, {}, null);
    const outcome = await service.verifyByCode(c.get('deps'), code);
    if (!outcome)
      return verifyPage(c, { code }, { code: crisisText.t(c.get('locale'))('verify.codeInvalid') }, null, 422);
    return verifyPage(c, { code }, {}, outcome);
  });

  app.post(
    '/verify',
    rateLimit('crisis-verify', () => 60, 60),
    submit(
      verifyTextSchema,
      (c, r, status) => verifyPage(c, r.values, r.errors, null, status === 422 ? 422 : 200),
      async (c, f) => verifyPage(c, { text: f.text }, {}, await service.verifyByText(c.get('deps'), f.text)),
      { catalog: crisisText },
    ),
  );
}
