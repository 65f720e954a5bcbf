import type { Hono } from 'hono';
import QRCode from 'qrcode';
import type { Db } from '../../db/client.js';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { HttpError, notFound } from '../../http/errors.js';
import { formValues, type FieldErrors, type FormValues } from '../../http/forms.js';
import { rateLimit } from '../../http/middleware.js';
import { requireStaff } from '../../http/routes/staff.js';
import { recentPublished } from '../desk/public.js';
import { can, ForbiddenError } from '../../platform/auth/permissions.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { capOf, type SiteInfo } from './service.js';
import * as service from './service.js';
import * as repo from './repo.js';
import { renderAtom, renderCap } from './cap.js';
import { contactSchema, factcheckSchema, incidentSchema, listSchema, parseCrisisForm, parseVnDateTime, statementSchema, teamSchema } from './forms.js';
import { crisisText, type CrisisKey } from './i18n.js';
import { IncidentPage, IncidentsPage, pick, StatementPage, VerifyPage, type IncidentPageData } from './views/public.js';
import { Dashboard, DeliveriesPage, IncidentForm, IncidentStaffPage, KeysPage, ListPage, ListsPage, ReportPage, StatementForm, StatementStaffPage, type ReportData } from './views/staff.js';

const site = (c: Ctx): SiteInfo => ({ baseUrl: c.get('deps').config.baseUrl, orgName: c.get('deps').config.ORG_NAME });
const actor = (c: Ctx) => ({ principal: requireStaff(c), ip: c.get('ip') });
const idParam = (c: Ctx, name = 'id') => {
  const n = Number(c.req.param(name));
  if (!Number.isInteger(n) || n <= 0 || n > 2_147_483_647) throw notFound();
  return n;
};

/** Service errors as the user sees them: 404, or field messages translated with status 422. */
function formErrors(c: Ctx, e: unknown): FieldErrors {
  if (e instanceof service.NotFoundError) throw notFound();
  if (!(e instanceof service.CrisisFormError)) throw e;
  const t = crisisText.t(c.get('locale'));
  return Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v)]));
}

async function body(c: Ctx): Promise<Record<string, unknown>> {
  return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
}

const flashText = (c: Ctx, s?: repo.StatementRow | null): string | null => {
  const f = c.req.query('flash');
  const t = crisisText.t(c.get('locale'));
  if (!f) return null;
  if (f === 'released' && s?.number) return t('msg.released', { number: s.number, code: s.code! });
  if (f === 'already' && s?.number) return t('msg.alreadyReleased', { number: s.number });
  if (f === 'resent') return t('msg.resent', { n: Number(c.req.query('n') ?? 0) });
  const known: Record<string, CrisisKey> = { saved: 'msg.saved', opened: 'msg.opened', submitted: 'msg.submitted', returned: 'msg.returned' };
  return known[f] ? t(known[f]) : null;
};

const qrCache = new Map<string, string>();
async function qrSvg(text: string): Promise<string> {
  let svg = qrCache.get(text);
  if (!svg) {
    svg = await QRCode.toString(text, { type: 'svg', margin: 1, width: 168, errorCorrectionLevel: 'M' });
    qrCache.set(text, svg);
  }
  return svg;
}

export async function loadIncidentPage(db: Db, id: number, version: number): Promise<IncidentPageData | null> {
  const incident = await repo.getIncident(db, id);
  if (!incident) return null;
  const [statements, units, events, falseItems, alerts] = await Promise.all([
    repo.listStatements(db, { incidentId: id, status: 'released', limit: 100 }),
    repo.incidentUnits(db, id),
    repo.eventsOf(db, id, true),
    service.knownFalse(db, id),
    repo.alertsOfIncident(db, id),
  ]);
  const later = new Map<number, repo.StatementRow[]>();
  for (const s of statements) if (s.refers_to) later.set(s.refers_to, [...(later.get(s.refers_to) ?? []), s]);
  for (const v of later.values()) v.reverse();
  return { incident, statements, later, units, events, falseItems, alerts: alerts.filter((a) => a.msg_type !== 'Cancel' || incident.status === 'closed'), version };
}

async function html(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}

export function crisisRoutes(app: Hono<AppEnv>): void {
  // ---------- public ----------

  app.get('/incidents', async (c) => {
    const db = c.get('deps').db;
    const [incidents, notices] = await Promise.all([repo.listIncidents(db, { limit: 50 }), repo.listStatements(db, { status: 'released', outsideIncidents: true, limit: 20 })]);
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
    const entry = await service.cachedIncidentPage(db, id, locale, async (version) => {
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
    const version = await service.incidentVersionNow(c.get('deps').db, id, c.get('locale'));
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
      <StatementPage ctx={ctx} s={s} later={later} qrSvg={await qrSvg(service.verifyUrl(info, s.code!))}
        share={service.shareText({ ...s, number: s.number!, code: s.code!, released_at: s.released_at! }, info, ctx.locale)}
        incidentTitle={incident ? pick(ctx.locale, incident.title, incident.title_en) : null} verifyBase={service.verifyUrl(info)}
        signature={await service.checkSignature(db, s)} />,
    );
  });

  const verifyPage = async (c: Ctx, values: FormValues, errors: FieldErrors, outcome: service.VerifyOutcome | null, status: 200 | 422 = 200) => {
    const key = await service.publicKey(c.get('deps').db);
    c.header('cache-control', 'no-store');
    c.status(status);
    return c.html(<VerifyPage ctx={pageCtx(c)} values={values} errors={errors} outcome={outcome} keyId={key.keyId} />);
  };

  app.get('/verify', async (c) => {
    const code = (c.req.query('code') ?? '').trim();
    if (!code) return verifyPage(c, {}, {}, null);
    const outcome = await service.verifyByCode(c.get('deps').db, code);
    if (!outcome) return verifyPage(c, { code }, { code: crisisText.t(c.get('locale'))('verify.codeInvalid') }, null, 422);
    return verifyPage(c, { code }, {}, outcome);
  });

  app.post('/verify', rateLimit('crisis-verify', () => 60, 60), async (c) => {
    const b = await body(c);
    const text = typeof b.text === 'string' ? b.text : '';
    const t = crisisText.t(c.get('locale'));
    if (!text.trim()) return verifyPage(c, { text }, { text: t('verify.needInput') }, null, 422);
    if (text.trim().length < service.MIN_TEXT) return verifyPage(c, { text }, { text: t('verify.textTooShort', { min: service.MIN_TEXT }) }, null, 422);
    return verifyPage(c, { text }, {}, await service.verifyByText(c.get('deps').db, text));
  });

  // contract: this path keeps serving the current key as one PEM block, whatever rotations happened
  app.get('/.well-known/caunoi-statements.pub', async (c) => {
    const k = await service.publicKey(c.get('deps').db);
    return c.body(k.publicKeyPem, 200, { 'content-type': 'application/x-pem-file; charset=utf-8', 'cache-control': 'public, max-age=300' });
  });

  app.get('/.well-known/caunoi-statements.json', async (c) => {
    const keys = await service.publicKeys(c.get('deps').db);
    const { keyId, algorithm, publicKeyPem, createdAt } = keys[0];
    return c.json({
      // the current key, as before rotation existed
      keyId, algorithm, publicKeyPem, createdAt,
      publicKeyUrl: `${site(c).baseUrl}/.well-known/caunoi-statements.pub`,
      signedForm: 'Ed25519 over UTF-8 JSON {"body","bodyEn","incidentId","number","releasedAt","title","titleEn","v":"caunoi-statement-1"} with keys sorted and texts NFC-normalised, whitespace collapsed',
      validity: 'A statement verifies with the key named by its keyId only if validFrom <= releasedAt and (validUntil is null or releasedAt < validUntil); a statement released at or after a key\'s compromisedSince is not to be trusted.',
      // every key, the current one first
      keys,
    }, 200, { 'cache-control': 'public, max-age=300' });
  });

  app.get('/alerts.atom', async (c) => {
    const db = c.get('deps').db;
    const info = site(c);
    const alerts = await repo.activeAlerts(db);
    const updated = alerts.reduce((m, a) => (new Date(a.sent_at) > m ? new Date(a.sent_at) : m), new Date(0));
    const xml = renderAtom({
      id: `${info.baseUrl}/alerts.atom`, title: `${info.orgName} — CAP`, self: `${info.baseUrl}/alerts.atom`, alternate: `${info.baseUrl}/incidents`,
      updated: alerts.length ? updated : new Date(), author: info.orgName,
      entries: alerts.map((a) => {
        const cap = capOf(a);
        return { id: `${info.baseUrl}/alerts/${a.id}.cap.xml`, title: cap.info[0]?.headline ?? a.title, updated: new Date(a.sent_at), link: `${info.baseUrl}/alerts/${a.id}.cap.xml`, summary: `${a.msg_type}: ${cap.info[0]?.event ?? ''} — ${cap.area.areaDesc}` };
      }),
    });
    return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=30' });
  });

  app.get('/alerts/:file{[0-9]+\\.cap\\.xml}', async (c) => {
    const id = Number(c.req.param('file').split('.')[0]);
    const a = await repo.getAlert(c.get('deps').db, id);
    if (!a) throw notFound();
    return c.body(renderCap(capOf(a)), 200, { 'content-type': 'application/cap+xml; charset=utf-8', 'cache-control': 'public, max-age=86400, immutable' });
  });

  // ---------- JSON API ----------

  app.get('/api/v1/crisis/incidents', async (c) => {
    const rows = await repo.listIncidents(c.get('deps').db, { limit: 100 });
    return c.json({ items: rows.map(incidentJson) });
  });

  app.get('/api/v1/crisis/incidents/:id{[0-9]+}', async (c) => {
    const d = await loadIncidentPage(c.get('deps').db, idParam(c), 0);
    if (!d) throw notFound();
    return c.json({ ...incidentJson(d.incident), units: d.units.map((u) => ({ code: u.code, name: u.full_name })), statements: d.statements.map((s) => statementJson(c, s)) });
  });

  app.get('/api/v1/crisis/statements', async (c) => {
    const rows = await repo.listStatements(c.get('deps').db, { status: 'released', limit: 100 });
    return c.json({ items: rows.map((s) => statementJson(c, s)) });
  });

  app.get('/api/v1/crisis/verify', async (c) => {
    const code = c.req.query('code') ?? '';
    const o = await service.verifyByCode(c.get('deps').db, code);
    if (!o) throw new HttpError(422, 'invalid_code', 'error.validation', {}, { code: crisisText.t(c.get('locale'))('verify.codeInvalid') });
    if (o.kind !== 'genuine') return c.json({ genuine: false });
    return c.json({ genuine: o.signatureValid, signatureValid: o.signatureValid, ...signatureJson(o.signature), statement: statementJson(c, o.statement), laterNumbers: o.later.map((l) => l.number) });
  });

  app.post('/api/v1/crisis/verify', rateLimit('crisis-verify', () => 60, 60), async (c) => {
    const t = crisisText.t(c.get('locale'));
    const b = (await c.req.json().catch(() => null)) as { text?: unknown } | null;
    const text = typeof b?.text === 'string' ? b.text : '';
    if (text.trim().length < service.MIN_TEXT) throw new HttpError(422, 'invalid_text', 'error.validation', {}, { text: t('verify.textTooShort', { min: service.MIN_TEXT }) });
    const o = await service.verifyByText(c.get('deps').db, text.slice(0, 20000));
    if (o.kind === 'genuine') return c.json({ genuine: o.signatureValid, ...signatureJson(o.signature), statement: statementJson(c, o.statement), laterNumbers: o.later.map((l) => l.number) });
    return c.json({ genuine: false, closest: o.kind === 'no-match' && o.closest ? { number: o.closest.number, url: service.statementUrl(site(c), o.closest.number!) } : null });
  });

  // ---------- staff ----------

  app.get('/staff/crisis', async (c) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    await service.assertView(db, p, null).catch(async (e) => {
      // an incident team member without a unit role still reaches the dashboard
      if (!(await db.one(`SELECT 1 FROM crisis_team WHERE user_id = $1`, [p.userId]))) throw e;
    });
    const [incidents, awaiting, drafts, notices] = await Promise.all([
      repo.listIncidents(db, { limit: 100 }),
      repo.listStatements(db, { status: 'submitted' }),
      repo.listStatements(db, { status: 'draft' }),
      repo.listStatements(db, { status: 'released', outsideIncidents: true, limit: 30 }),
    ]);
    c.header('cache-control', 'private, no-store');
    return c.html(<Dashboard ctx={pageCtx(c)} incidents={incidents} awaiting={awaiting} drafts={drafts} notices={notices} flash={flashText(c)} canManage={can(p, 'crisis.manage')} canKeys={await service.mayManageKeys(db, p)} />);
  });

  // ---------- signing keys ----------

  const keysPage = async (c: Ctx, values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, p))) throw new ForbiddenError('crisis.keys');
    await service.publicKeys(db); // the first key exists before anyone looks at the list
    const t = crisisText.t(c.get('locale'));
    const key = c.req.query('rotated');
    const n = Number(c.req.query('n') ?? 0);
    const leaked = c.req.query('leaked');
    const flagged = n > 0 ? ` ${t('keys.flagged', { n })}` : '';
    const flash = key ? `${t('keys.rotated', { keyId: key.replace(/[^0-9a-f]/g, '') })}${flagged}`
      : leaked ? `${t('keys.leakMarked', { keyId: leaked.replace(/[^0-9a-f]/g, '') })}${flagged}` : null;
    c.status(status);
    c.header('cache-control', 'private, no-store');
    return c.html(<KeysPage ctx={pageCtx(c)} keys={await repo.listSigningKeysWithCounts(db)} values={values} errors={errors} flash={flash} />);
  };

  app.get('/staff/crisis/keys', (c) => keysPage(c, {}, {}));

  app.post('/staff/crisis/keys/leak', async (c) => {
    const a = actor(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, a.principal))) throw new ForbiddenError('crisis.keys');
    const b = await body(c);
    const values = formValues(b);
    const t = crisisText.t(c.get('locale'));
    const errors: FieldErrors = {};
    const sinceText = String(b.leakSince ?? '').trim();
    const since = sinceText ? parseVnDateTime(sinceText) : null;
    if (!sinceText) errors.leakSince = t('keys.sinceRequired');
    else if (!since) errors.leakSince = t('keys.sinceInvalid');
    if (String(b.leakReason ?? '').trim().length < 3) errors.leakReason = t('keys.reasonRequired');
    if (b.leakConfirm !== '1') errors.leakConfirm = t('keys.leakConfirmRequired');
    if (Object.keys(errors).length) return keysPage(c, values, errors, 422);
    try {
      const r = await service.markKeyCompromised(db, a.principal, { keyId: String(b.leakKey ?? ''), since: since!, reason: String(b.leakReason) }, a.ip);
      return c.redirect(`/staff/crisis/keys?leaked=${r.key.keyId}&n=${r.flagged}`, 303);
    } catch (e) {
      return keysPage(c, values, formErrors(c, e), 422);
    }
  });

  app.post('/staff/crisis/keys/rotate', async (c) => {
    const a = actor(c);
    const db = c.get('deps').db;
    if (!(await service.mayManageKeys(db, a.principal))) throw new ForbiddenError('crisis.keys');
    const b = await body(c);
    const values = formValues(b);
    const t = crisisText.t(c.get('locale'));
    const errors: FieldErrors = {};
    const reason = String(b.reason ?? '').trim();
    if (reason.length < 3) errors.reason = t('keys.reasonRequired');
    else if (reason.length > 500) errors.reason = t('keys.reasonTooLong');
    let since: Date | null = null;
    const sinceText = String(b.compromisedSince ?? '').trim();
    if (b.compromised === '1') {
      if (!sinceText) errors.compromisedSince = t('keys.sinceRequired');
      else if (!(since = parseVnDateTime(sinceText))) errors.compromisedSince = t('keys.sinceInvalid');
      else if (since.getTime() > Date.now()) errors.compromisedSince = t('keys.sinceFuture');
    }
    if (b.confirm !== '1') errors.confirm = t('keys.confirmRequired');
    if (Object.keys(errors).length) return keysPage(c, values, errors, 422);
    try {
      const r = await service.rotateSigningKey(db, a.principal, { reason, compromisedSince: since }, a.ip);
      return c.redirect(`/staff/crisis/keys?rotated=${r.current.keyId}&n=${r.flagged}`, 303);
    } catch (e) {
      return keysPage(c, values, formErrors(c, e), 422);
    }
  });

  const incidentFormPage = async (c: Ctx, values: FormValues, errors: FieldErrors, action: string, isNew: boolean, status: 200 | 422 = 200) => {
    const units = await repo.activeUnits(c.get('deps').db);
    c.status(status);
    return c.html(<IncidentForm ctx={pageCtx(c)} values={values} errors={errors} units={units} action={action} isNew={isNew} />);
  };

  app.get('/staff/crisis/incidents/new', async (c) => {
    const p = requireStaff(c);
    if (!can(p, 'crisis.manage')) throw new ForbiddenError('crisis.manage');
    const units = await repo.activeUnits(c.get('deps').db);
    return incidentFormPage(c, { type: 'natural', severity: 'moderate', unitId: String(units[0]?.id ?? '') }, {}, '/staff/crisis/incidents', true);
  });

  app.post('/staff/crisis/incidents', async (c) => {
    const a = actor(c);
    if (!can(a.principal, 'crisis.manage')) throw new ForbiddenError('crisis.manage');
    const b = await body(c);
    const r = parseCrisisForm(incidentSchema, b, c.get('locale'));
    if (!r.ok) return incidentFormPage(c, r.values, r.errors, '/staff/crisis/incidents', true, 422);
    try {
      const id = await service.openIncident(c.get('deps').db, a, r.data);
      return c.redirect(`/staff/crisis/incidents/${id}?flash=opened`, 303);
    } catch (e) {
      return incidentFormPage(c, formValues(b), formErrors(c, e), '/staff/crisis/incidents', true, 422);
    }
  });

  const incidentPage = async (c: Ctx, id: number, values: FormValues = {}, errors: FieldErrors = {}, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const i = await repo.getIncident(db, id);
    if (!i) throw notFound();
    await service.assertView(db, p, i);
    const [units, team, statements, events, factchecks, canDraft, suggestions] = await Promise.all([
      repo.incidentUnits(db, id), repo.listTeam(db, id), repo.listStatements(db, { incidentId: id }), repo.eventsOf(db, id, false), service.knownFalse(db, id),
      service.mayDraft(db, p, i, i.unit_path), recentPublished(db, { kind: 'factcheck', limit: 20 }).catch(() => []),
    ]);
    c.status(status);
    c.header('cache-control', 'private, no-store');
    return c.html(<IncidentStaffPage ctx={pageCtx(c)} i={i} units={units} team={team} statements={statements} events={events} factchecks={factchecks} suggestions={suggestions}
      flash={flashText(c)} errors={errors} values={values} canManage={can(p, 'crisis.manage', i.unit_path)} canDraft={canDraft} />);
  };

  app.get('/staff/crisis/incidents/:id{[0-9]+}', (c) => incidentPage(c, idParam(c)));

  app.get('/staff/crisis/incidents/:id{[0-9]+}/edit', async (c) => {
    const p = requireStaff(c);
    const i = await repo.getIncident(c.get('deps').db, idParam(c));
    if (!i) throw notFound();
    if (!can(p, 'crisis.manage', i.unit_path)) throw new ForbiddenError('crisis.manage');
    const units = await repo.incidentUnits(c.get('deps').db, i.id);
    const values: FormValues = {
      title: i.title, titleEn: i.title_en ?? '', type: i.type, severity: i.severity, summary: i.summary, summaryEn: i.summary_en ?? '', unitId: String(i.unit_id),
      unitIds: units.map((u) => String(u.id)).join('\n'), spokespersonName: i.spokesperson_name, spokespersonTitle: i.spokesperson_title, spokespersonPhone: i.spokesperson_phone,
      spokespersonEmail: i.spokesperson_email, hotlines: i.hotlines, publicAlert: i.public_alert ? '1' : '', areaPolygon: i.area_polygon ?? '', areaCircle: i.area_circle ?? '',
    };
    return incidentFormPage(c, values, {}, `/staff/crisis/incidents/${i.id}/edit`, false);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/edit', async (c) => {
    const id = idParam(c);
    const a = actor(c);
    const b = await body(c);
    const action = `/staff/crisis/incidents/${id}/edit`;
    const r = parseCrisisForm(incidentSchema, b, c.get('locale'));
    if (!r.ok) return incidentFormPage(c, r.values, r.errors, action, false, 422);
    try {
      await service.updateIncident(c.get('deps').db, a, id, r.data);
      return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
    } catch (e) {
      return incidentFormPage(c, formValues(b), formErrors(c, e), action, false, 422);
    }
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/status', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const status = String(b.status ?? '');
    if (!['active', 'monitoring', 'closed'].includes(status)) return incidentPage(c, id, formValues(b), { status: crisisText.t(c.get('locale'))('form.errorTitle') }, 422);
    try {
      await service.changeStatus(c.get('deps').db, actor(c), id, status as repo.IncidentStatus, site(c));
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/team', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const r = parseCrisisForm(teamSchema, b, c.get('locale'));
    if (!r.ok) return incidentPage(c, id, r.values, r.errors, 422);
    try {
      await service.addTeamMember(c.get('deps').db, actor(c), id, r.data.email, r.data.role);
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });

  app.post('/staff/crisis/incidents/:id{[0-9]+}/factchecks', async (c) => {
    const id = idParam(c);
    const b = await body(c);
    const r = parseCrisisForm(factcheckSchema, b, c.get('locale'));
    if (!r.ok) return incidentPage(c, id, r.values, r.errors, 422);
    try {
      await service.linkFactcheck(c.get('deps').db, actor(c), id, r.data.itemId);
    } catch (e) {
      return incidentPage(c, id, formValues(b), formErrors(c, e), 422);
    }
    return c.redirect(`/staff/crisis/incidents/${id}?flash=saved`, 303);
  });

  const reportData = async (c: Ctx, id: number): Promise<ReportData> => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const incident = await repo.getIncident(db, id);
    if (!incident) throw notFound();
    await service.assertView(db, p, incident);
    const [units, events, statements, claims] = await Promise.all([repo.incidentUnits(db, id), repo.eventsOf(db, id, false), repo.listStatements(db, { incidentId: id, status: 'released' }), service.knownFalse(db, id)]);
    const ordered = [...statements].reverse();
    const perStatement = await Promise.all(ordered.map(async (s) => ({ s, counts: await repo.deliveryCounts(db, [s.id]) })));
    const totals = await repo.deliveryCounts(db, statements.map((s) => s.id));
    return { incident, units, events, statements: ordered, perStatement, totals, claims, generatedAt: new Date() };
  };

  app.get('/staff/crisis/incidents/:id{[0-9]+}/report', async (c) => {
    const d = await reportData(c, idParam(c));
    c.header('cache-control', 'private, no-store');
    return c.html(<ReportPage ctx={pageCtx(c)} d={d} />);
  });

  app.get('/staff/crisis/incidents/:id{[0-9]+}/report.csv', async (c) => {
    const d = await reportData(c, idParam(c));
    const locale = c.get('locale');
    const cell = (v: unknown) => {
      let s = v == null ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const rows: unknown[][] = [['section', 'at', 'number', 'event', 'actor', 'recipients', 'delivered', 'failed', 'code']];
    for (const { s, counts } of d.perStatement) rows.push(['statement', new Date(s.released_at!).toISOString(), s.number, s.title, s.approver_name, counts.total, counts.sent, counts.failed, s.code]);
    rows.push(['distribution-total', '', '', '', '', d.totals.total, d.totals.sent, d.totals.failed, '']);
    for (const cl of d.claims) rows.push(['claim', new Date(cl.publishedAt).toISOString(), '', `${cl.title}${cl.verdictLabel ? ` — ${cl.verdictLabel}` : ''}`, '', '', '', '', '']);
    const { eventText } = await import('./views/public.js');
    for (const e of d.events) rows.push(['event', new Date(e.at).toISOString(), e.data.number ?? '', eventText(locale, e), e.actor_label, '', '', '', '']);
    const csv = '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="incident-${d.incident.id}-after-action.csv"`, 'cache-control': 'private, no-store' });
  });

  const statementFormPage = async (c: Ctx, incidentId: number | null, values: FormValues, errors: FieldErrors, action: string, isNew: boolean, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const incident = incidentId ? ((await repo.getIncident(db, incidentId)) ?? null) : null;
    if (incidentId && !incident) throw notFound();
    if (!(await service.mayDraft(db, p, incident, incident?.unit_path ?? ''))) {
      if (incident || !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.draft');
    }
    const [lists, released, units] = await Promise.all([
      repo.listLists(db),
      repo.listStatements(db, { incidentId: incidentId ?? undefined, status: 'released', outsideIncidents: !incidentId, limit: 100 }),
      repo.activeUnits(db),
    ]);
    c.status(status);
    c.header('cache-control', 'private, no-store');
    return c.html(<StatementForm ctx={pageCtx(c)} values={values} errors={errors} lists={lists} released={released} incident={incident ?? null} units={units} action={action} isNew={isNew} />);
  };

  app.get('/staff/crisis/statements/new', async (c) => {
    const incidentId = Number(c.req.query('incident') ?? 0) || null;
    const db = c.get('deps').db;
    const values: FormValues = { kind: 'notice' };
    if (incidentId) {
      const prev = (await repo.listStatements(db, { incidentId, status: 'released', limit: 1 }))[0];
      if (prev) {
        values.kind = 'update';
        values.refersTo = String(prev.id);
        values.listIds = (await repo.statementListIds(db, prev.id)).join('\n');
      }
    } else {
      values.unitId = String((await repo.activeUnits(db))[0]?.id ?? '');
    }
    return statementFormPage(c, incidentId, values, {}, '/staff/crisis/statements', true);
  });

  app.post('/staff/crisis/statements', async (c) => {
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(statementSchema, b, c.get('locale'));
    const incidentId = Number(b.incidentId ?? 0) || null;
    if (!r.ok) return statementFormPage(c, incidentId, r.values, r.errors, '/staff/crisis/statements', true, 422);
    try {
      const id = await service.draftStatement(c.get('deps').db, a, r.data);
      return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
    } catch (e) {
      return statementFormPage(c, incidentId, formValues(b), formErrors(c, e), '/staff/crisis/statements', true, 422);
    }
  });

  const statementPage = async (c: Ctx, id: number, errors: FieldErrors = {}, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, id);
    if (!s) throw notFound();
    const incident = s.incident_id ? (await repo.getIncident(db, s.incident_id)) ?? null : null;
    const [canDraft, canApprove] = await Promise.all([service.mayDraft(db, p, incident, s.unit_path), service.mayApprove(db, p, incident, s.unit_path)]);
    if (!canDraft && !canApprove && !(await service.mayView(db, p, incident))) throw new ForbiddenError('crisis.view');
    const listIds = await repo.statementListIds(db, id);
    const lists = (await repo.listLists(db)).filter((l) => listIds.includes(l.id));
    const counts = await repo.deliveryCounts(db, [id]);
    c.status(status);
    c.header('cache-control', 'private, no-store');
    return c.html(<StatementStaffPage ctx={pageCtx(c)} s={s} incident={incident} lists={lists} counts={counts} flash={flashText(c, s)} errors={errors}
      canDraft={canDraft} canApprove={canApprove && s.drafted_by !== p.userId} />);
  };

  app.get('/staff/crisis/statements/:id{[0-9]+}', (c) => statementPage(c, idParam(c)));

  app.get('/staff/crisis/statements/:id{[0-9]+}/edit', async (c) => {
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, idParam(c));
    if (!s) throw notFound();
    const values: FormValues = {
      kind: s.kind, refersTo: s.refers_to ? String(s.refers_to) : '', title: s.title, titleEn: s.title_en ?? '', body: s.body, bodyEn: s.body_en ?? '',
      unitId: String(s.unit_id), listIds: (await repo.statementListIds(db, s.id)).join('\n'),
    };
    return statementFormPage(c, s.incident_id, values, {}, `/staff/crisis/statements/${s.id}/edit`, false);
  });

  app.post('/staff/crisis/statements/:id{[0-9]+}/edit', async (c) => {
    const id = idParam(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, id);
    if (!s) throw notFound();
    const b = await body(c);
    const action = `/staff/crisis/statements/${id}/edit`;
    const r = parseCrisisForm(statementSchema, { ...b, incidentId: s.incident_id ?? '' }, c.get('locale'));
    if (!r.ok) return statementFormPage(c, s.incident_id, r.values, r.errors, action, false, 422);
    try {
      await service.editDraft(db, actor(c), id, r.data);
      return c.redirect(`/staff/crisis/statements/${id}?flash=saved`, 303);
    } catch (e) {
      return statementFormPage(c, s.incident_id, formValues(b), formErrors(c, e), action, false, 422);
    }
  });

  const transition = (path: string, run: (c: Ctx, id: number) => Promise<string>) =>
    app.post(`/staff/crisis/statements/:id{[0-9]+}/${path}`, async (c) => {
      const id = idParam(c);
      try {
        return c.redirect(await run(c, id), 303);
      } catch (e) {
        return statementPage(c, id, formErrors(c, e), 422);
      }
    });

  transition('submit', async (c, id) => {
    await service.submitStatement(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}?flash=submitted`;
  });

  transition('release', async (c, id) => {
    const r = await service.releaseStatement(c.get('deps').db, actor(c), id, site(c));
    return `/staff/crisis/statements/${id}?flash=${r.replayed ? 'already' : 'released'}`;
  });

  transition('return', async (c, id) => {
    const b = await body(c);
    await service.returnStatement(c.get('deps').db, actor(c), id, String(b.note ?? '').slice(0, 1000));
    return `/staff/crisis/statements/${id}?flash=returned`;
  });

  transition('resend', async (c, id) => {
    const n = await service.resendFailed(c.get('deps').db, actor(c), id);
    return `/staff/crisis/statements/${id}/deliveries?flash=resent&n=${n}`;
  });

  app.get('/staff/crisis/statements/:id{[0-9]+}/deliveries', async (c) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const s = await repo.getStatement(db, idParam(c));
    if (!s) throw notFound();
    const incident = s.incident_id ? (await repo.getIncident(db, s.incident_id)) ?? null : null;
    if (!(await service.mayView(db, p, incident)) && !(await service.mayDraft(db, p, incident, s.unit_path))) throw new ForbiddenError('crisis.view');
    const [counts, rows] = await Promise.all([repo.deliveryCounts(db, [s.id]), repo.undelivered(db, s.id)]);
    c.header('cache-control', 'private, no-store');
    return c.html(<DeliveriesPage ctx={pageCtx(c)} s={s} counts={counts} rows={rows} flash={flashText(c)} />);
  });

  const listsPage = async (c: Ctx, values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    if (!can(p, 'crisis.view') && !can(p, 'crisis.draft')) throw new ForbiddenError('crisis.view');
    const db = c.get('deps').db;
    const [lists, units] = await Promise.all([repo.listLists(db), repo.activeUnits(db)]);
    c.status(status);
    return c.html(<ListsPage ctx={pageCtx(c)} lists={lists} units={units} values={values} errors={errors} flash={flashText(c)} />);
  };

  app.get('/staff/crisis/lists', (c) => listsPage(c, { kind: 'press' }, {}));

  app.post('/staff/crisis/lists', async (c) => {
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(listSchema, b, c.get('locale'));
    if (!r.ok) return listsPage(c, r.values, r.errors, 422);
    try {
      const id = await service.createList(c.get('deps').db, a, r.data.name, r.data.kind, r.data.unitId);
      return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
    } catch (e) {
      return listsPage(c, formValues(b), formErrors(c, e), 422);
    }
  });

  const listPage = async (c: Ctx, id: number, values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) => {
    const p = requireStaff(c);
    const db = c.get('deps').db;
    const list = await repo.getList(db, id);
    if (!list) throw notFound();
    if (!can(p, 'crisis.view', list.unit_path) && !can(p, 'crisis.draft', list.unit_path)) throw new ForbiddenError('crisis.view');
    c.status(status);
    return c.html(<ListPage ctx={pageCtx(c)} list={list} contacts={await repo.listContacts(db, id)} values={values} errors={errors} flash={flashText(c)} />);
  };

  app.get('/staff/crisis/lists/:id{[0-9]+}', (c) => listPage(c, idParam(c), { channel: 'email', locale: 'vi' }, {}));

  app.post('/staff/crisis/lists/:id{[0-9]+}/contacts', async (c) => {
    const id = idParam(c);
    const a = actor(c);
    const b = await body(c);
    const r = parseCrisisForm(contactSchema, b, c.get('locale'));
    if (!r.ok) return listPage(c, id, r.values, r.errors, 422);
    try {
      await service.addContact(c.get('deps').db, a, id, r.data);
      return c.redirect(`/staff/crisis/lists/${id}?flash=saved`, 303);
    } catch (e) {
      return listPage(c, id, formValues(b), formErrors(c, e), 422);
    }
  });
}

function incidentJson(i: repo.IncidentRow) {
  return {
    id: i.id, title: i.title, titleEn: i.title_en, type: i.type, severity: i.severity, status: i.status, summary: i.summary, summaryEn: i.summary_en,
    spokesperson: { name: i.spokesperson_name, title: i.spokesperson_title, phone: i.spokesperson_phone, email: i.spokesperson_email },
    hotlines: i.hotlines.split('\n').map((l) => l.trim()).filter(Boolean), openedAt: i.opened_at, closedAt: i.closed_at, url: `/incidents/${i.id}`,
  };
}

/** Which key a statement was checked against, and the result: valid, bad, unknown-key, key-retired, key-not-yet-valid, compromised. */
function signatureJson(sig: service.SignatureCheck) {
  return { signatureStatus: sig.status, key: sig.key ? { keyId: sig.key.keyId, validFrom: sig.key.validFrom, validUntil: sig.key.validUntil, status: sig.key.status, compromisedSince: sig.key.compromisedSince } : null };
}

function statementJson(c: Ctx, s: repo.StatementRow) {
  const info = site(c);
  return {
    id: s.id, number: s.number, kind: s.kind, incidentId: s.incident_id, refersTo: s.refers_number, title: s.title, titleEn: s.title_en, body: s.body, bodyEn: s.body_en,
    releasedAt: s.released_at ? new Date(s.released_at).toISOString() : null, code: s.code, signature: s.signature, keyId: s.key_id,
    url: s.number ? service.statementUrl(info, s.number) : null, verifyUrl: s.code ? service.verifyUrl(info, s.code) : null,
    releasedAtLocal: formatDateTime('vi', s.released_at),
  };
}
