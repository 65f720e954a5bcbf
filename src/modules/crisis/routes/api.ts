/** The public JSON API (/api/v1/crisis/…): incidents, released statements, verification by code or text. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { HttpError, notFound } from '../../../http/errors.js';
import { rateLimit } from '../../../http/middleware.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import { crisisText } from '../i18n.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import { idParam, site } from './helpers.js';
import { loadIncidentPage } from './incident-page-data.js';

/** /api/v1/crisis: incidents, one incident, statements, verify by code (GET) or text (POST). */
export function crisisApiRoutes(app: Hono<AppEnv>): void {
  app.get('/api/v1/crisis/incidents', async (c) => {
    const rows = await repo.listIncidents(c.get('deps').db, { limit: 100 });
    return c.json({ items: rows.map(incidentJson) });
  });

  app.get('/api/v1/crisis/incidents/:id{[0-9]+}', async (c) => {
    const d = await loadIncidentPage(c.get('deps').db, idParam(c), 0);
    if (!d) throw notFound();
    return c.json({
      ...incidentJson(d.incident),
      units: d.units.map((u) => ({ code: u.code, name: u.full_name })),
      statements: d.statements.map((s) => statementJson(c, s)),
    });
  });

  app.get('/api/v1/crisis/statements', async (c) => {
    const rows = await repo.listStatements(c.get('deps').db, { status: 'released', limit: 100 });
    return c.json({ items: rows.map((s) => statementJson(c, s)) });
  });

  app.get('/api/v1/crisis/verify', async (c) => {
    const code = c.req.query('code') ?? '';
    const o = await service.verifyByCode(c.get('deps'), code);
    if (!o)
      throw new HttpError(
        422,
        'invalid_code',
        'error.validation',
        {},
        { code: crisisText.t(c.get('locale'))('verify.codeInvalid') },
      );
    if (o.kind !== 'genuine') return c.json({ genuine: false });
    return c.json({
      genuine: o.signatureValid,
      signatureValid: o.signatureValid,
      ...signatureJson(o.signature),
      statement: statementJson(c, o.statement),
      laterNumbers: o.later.map((l) => l.number),
    });
  });

  app.post(
    '/api/v1/crisis/verify',
    rateLimit('crisis-verify', () => 60, 60),
    async (c) => {
      const t = crisisText.t(c.get('locale'));
      const b = (await c.req.json().catch(() => null)) as { text?: unknown } | null;
      const text = typeof b?.text === 'string' ? b.text : '';
      if (text.trim().length < service.MIN_TEXT)
        throw new HttpError(
          422,
          'invalid_text',
          'error.validation',
          {},
          { text: t('verify.textTooShort', { min: service.MIN_TEXT }) },
        );
      const o = await service.verifyByText(c.get('deps'), text.slice(0, 20000));
      if (o.kind === 'genuine')
        return c.json({
          genuine: o.signatureValid,
          ...signatureJson(o.signature),
          statement: statementJson(c, o.statement),
          laterNumbers: o.later.map((l) => l.number),
        });
      return c.json({
        genuine: false,
        closest:
          o.kind === 'no-match' && o.closest
            ? { number: o.closest.number, url: service.statementUrl(site(c), o.closest.number!) }
            : null,
      });
    },
  );
}

function incidentJson(i: repo.IncidentRow) {
  return {
    id: i.id,
    title: i.title,
    titleEn: i.title_en,
    type: i.type,
    severity: i.severity,
    status: i.status,
    summary: i.summary,
    summaryEn: i.summary_en,
    spokesperson: {
      name: i.spokesperson_name,
      title: i.spokesperson_title,
      phone: i.spokesperson_phone,
      email: i.spokesperson_email,
    },
    hotlines: i.hotlines
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    openedAt: i.opened_at,
    closedAt: i.closed_at,
    url: `/incidents/${i.id}`,
  };
}

/** Which key a statement was checked against, and the result: valid, bad, unknown-key, key-retired, key-not-yet-valid, compromised. */
function signatureJson(sig: service.SignatureCheck) {
  return {
    signatureStatus: sig.status,
    key: sig.key
      ? {
          keyId: sig.key.keyId,
          validFrom: sig.key.validFrom,
          validUntil: sig.key.validUntil,
          status: sig.key.status,
          compromisedSince: sig.key.compromisedSince,
        }
      : null,
  };
}

function statementJson(c: Ctx, s: repo.StatementRow) {
  const info = site(c);
  return {
    id: s.id,
    number: s.number,
    kind: s.kind,
    incidentId: s.incident_id,
    refersTo: s.refers_number,
    title: s.title,
    titleEn: s.title_en,
    body: s.body,
    bodyEn: s.body_en,
    releasedAt: s.released_at ? new Date(s.released_at).toISOString() : null,
    code: s.code,
    signature: s.signature,
    keyId: s.key_id,
    url: s.number ? service.statementUrl(info, s.number) : null,
    verifyUrl: s.code ? service.verifyUrl(info, s.code) : null,
    releasedAtLocal: formatDateTime('vi', s.released_at),
  };
}
