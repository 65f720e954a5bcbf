/**
 * Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, POST/GET requests,
 * requests/{id}, tokens/{token}, in JSON and XML. Requests from Open311 go through the same service as the form.
 */
import type { Hono } from 'hono';
import type { AppEnv, Ctx, Deps } from '../../../http/context.js';
import { translateIssues } from '../../../http/forms.js';
import { hit } from '../../../platform/ratelimit/ratelimit.js';
import { mt, type MailboxKey } from '../i18n.js';
import * as repo from '../repo.js';
import { isPublic, open311Status, type Status } from '../service/rules.js';
import * as svc from '../service.js';
import { reportSchema } from '../service.js';
import { toXml, type XmlNode } from '../views/xml.js';
import { outcomeText } from '../service/outcomes.js';
import { firstPhotos } from '../repo/photos.js';
import { maskRows } from '../service/public-text.js';

type Fmt = 'json' | 'xml';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';

class O311Error extends Error {
  constructor(
    public readonly status: 400 | 403 | 404 | 429,
    public readonly description: string,
  ) {
    super(description);
  }
}

function render(
  c: Ctx,
  fmt: Fmt,
  root: string,
  item: string,
  data: unknown,
  status: 200 | 201 | 400 | 403 | 404 | 429 = 200,
) {
  if (fmt === 'json') return c.json(data, status);
  const body = Array.isArray(data)
    ? data.map((d) => toXml(item, d as XmlNode)).join('')
    : Object.entries(data as XmlNode)
        .map(([k, v]) => toXml(k, v))
        .join('');
  return c.body(`<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`, status, {
    'content-type': 'text/xml; charset=utf-8',
  });
}

function renderError(c: Ctx, fmt: Fmt, e: O311Error) {
  return render(c, fmt, 'errors', 'error', [{ code: e.status, description: e.description }], e.status);
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/**
 * A report not (yet) public: codes are sequential, so anyone could walk them; only the code and
 * open/closed are told, never the category, the times or anything written.
 */
function hiddenRequestJson(r: repo.ReportRow) {
  return {
    service_request_id: r.code,
    status: open311Status(r.status as Status),
    status_notes: null,
    service_name: null,
    service_code: null,
    description: null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: null,
    updated_datetime: null,
    expected_datetime: null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}

function requestJson(baseUrl: string, r: repo.ReportRow, photo: string | null) {
  if (!isPublic(r.status) || r.not_public) return hiddenRequestJson(r);
  return {
    service_request_id: r.code,
    status: open311Status(r.status as Status),
    status_notes: r.answer ?? outcomeText('vi', r) ?? mt.t('vi')(`status.${r.status}` as MailboxKey),
    service_name: r.category_name,
    service_code: r.category_code,
    description: r.description,
    agency_responsible: r.agency_name,
    service_notice: null,
    requested_datetime: iso(r.received_at),
    updated_datetime: iso(r.updated_at),
    expected_datetime: iso(r.deadline_at),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: photo ? `${baseUrl}/mailbox/photos/${photo}` : null,
  };
}

async function checkJurisdiction(deps: Deps, j: string | undefined): Promise<void> {
  if (!j) return;
  const root = await repo.rootUnit(deps.db);
  const host = new URL(deps.config.baseUrl).host;
  if (j !== root?.code && j !== host && j !== new URL(deps.config.baseUrl).hostname)
    throw new O311Error(404, `jurisdiction_id ${j} not found`);
}

function parseDate(v: string | undefined, name: string): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new O311Error(400, `${name} is not a valid W3C date`);
  return d;
}

export function open311Routes(app: Hono<AppEnv>): void {
  app.on(['GET', 'POST'], '/open311/v2/*', async (c) => {
    const rest = c.req.path.slice('/open311/v2/'.length);
    const m = rest.match(/^(.*)\.(json|xml)$/);
    const fmt: Fmt = m?.[2] === 'xml' ? 'xml' : 'json';
    try {
      if (!m) throw new O311Error(404, 'format extension .json or .xml required');
      const parts = m[1].split('/');
      const deps = c.get('deps');
      const method = c.req.method;
      const post = method === 'POST' ? ((await c.req.parseBody({ all: false })) as Record<string, string | File>) : {};
      const param = (k: string) => {
        const v = post[k] ?? c.req.query(k);
        return typeof v === 'string' ? v : undefined;
      };
      await checkJurisdiction(deps, param('jurisdiction_id'));
      const base = deps.config.baseUrl;

      if (method === 'GET' && parts.length === 1 && parts[0] === 'discovery') {
        return render(c, fmt, 'discovery', '', {
          changeset: '2026-01-01T00:00:00Z',
          contact: `${deps.config.ORG_NAME} — ${base}`,
          key_service: `${base}/open311/v2/ (npm run cli -- create-api-key --name N)`,
          endpoints:
            fmt === 'json'
              ? [
                  {
                    specification: SPEC,
                    url: `${base}/open311/v2`,
                    changeset: '2026-01-01T00:00:00Z',
                    type: 'production',
                    formats: ['text/xml', 'application/json'],
                  },
                ]
              : {
                  endpoint: {
                    specification: SPEC,
                    url: `${base}/open311/v2`,
                    changeset: '2026-01-01T00:00:00Z',
                    type: 'production',
                    formats: { format: ['text/xml', 'application/json'] },
                  },
                },
        });
      }

      if (method === 'GET' && parts[0] === 'services' && parts.length === 1) {
        const cats = await repo.listCategories(deps.db);
        return render(
          c,
          fmt,
          'services',
          'service',
          cats.map((x) => ({
            service_code: x.code,
            service_name: x.name,
            description: x.description || x.name_en,
            metadata: true,
            type: 'realtime',
            keywords: x.name_en,
            group: 'mailbox',
          })),
        );
      }

      if (method === 'GET' && parts[0] === 'services' && parts.length === 2) {
        const cat = await repo.findCategoryByCode(deps.db, decodeURIComponent(parts[1]));
        if (!cat || !cat.active) throw new O311Error(404, `service_code ${parts[1]} not found`);
        const units = await repo.listLeafUnits(deps.db); // the wards and communes of this jurisdiction only
        const attributes = [
          {
            variable: true,
            code: 'commune',
            datatype: 'singlevaluelist',
            required: false,
            datatype_description: 'Ward or commune code (defaults to the whole jurisdiction)',
            order: 1,
            description: 'Phường, xã / Ward or commune',
            values: units.map((u) => ({ key: u.code, name: u.full_name })),
          },
          {
            variable: true,
            code: 'title',
            datatype: 'string',
            required: false,
            datatype_description: `At most ${svc.LIMITS.title} characters; defaults to the start of the description`,
            order: 2,
            description: 'Tiêu đề / Title',
            values: [],
          },
          {
            variable: true,
            code: 'show_name',
            datatype: 'singlevaluelist',
            required: false,
            datatype_description: 'May the name be shown in public?',
            order: 3,
            description: 'Hiển thị tên / Show my name',
            values: [
              { key: 'false', name: 'Không / No' },
              { key: 'true', name: 'Có / Yes' },
            ],
          },
        ];
        if (fmt === 'json') return c.json({ service_code: cat.code, attributes });
        return render(c, 'xml', 'service_definition', '', {
          service_code: cat.code,
          attributes: {
            attribute: attributes.map((a) => ({ ...a, values: a.values.length ? { value: a.values } : null })),
          },
        });
      }

      if (parts[0] === 'requests' && parts.length === 1 && method === 'POST') {
        const key = await svc.checkApiKey(deps.db, param('api_key'));
        if (!key) throw new O311Error(403, 'api_key is missing or not valid');
        if (!deps.config.RATE_LIMIT_DISABLED) {
          const r = await hit(deps.db, `open311:key:${key.id}`, 600, 60);
          if (!r.allowed) throw new O311Error(429, `too many requests; retry in ${r.retryAfterSeconds} s`);
        }
        const code = param('service_code');
        if (!code) throw new O311Error(400, 'service_code is required');
        const cat = await repo.findCategoryByCode(deps.db, code);
        if (!cat || !cat.active) throw new O311Error(404, `service_code ${code} not found`);
        const lat = param('lat');
        const lon = param('long');
        const address = param('address_string') ?? param('address_id');
        if (!(lat && lon) && !address)
          throw new O311Error(400, 'a location is required: lat and long, or address_string');
        // a ward or commune of this jurisdiction (those the service definition lists), else the jurisdiction itself
        const communeCode = param('attribute[commune]');
        const named = communeCode ? await repo.findUnitByCode(deps.db, communeCode) : undefined;
        const unit = communeCode
          ? named && (await repo.leafUnitInRoot(deps.db, named.id))
          : await repo.rootUnit(deps.db);
        if (!unit) throw new O311Error(400, `attribute[commune] ${communeCode} is not a known ward or commune`);
        const description = param('description') ?? '';
        const title = param('attribute[title]') ?? description.replace(/\s+/g, ' ').trim().slice(0, 80);
        const name = [param('first_name'), param('last_name')].filter(Boolean).join(' ');
        const input = {
          category: cat.id,
          unit: unit.id,
          title,
          description,
          address,
          lat,
          lon,
          name,
          phone: param('phone'),
          email: param('email'),
          show_name: param('attribute[show_name]'),
        };
        const parsed = reportSchema.safeParse(input);
        if (!parsed.success) {
          const errs = translateIssues(parsed.error.issues, 'en', (k, v) =>
            k in mt.en ? mt.t('en')(k as MailboxKey, v) : undefined,
          );
          const map: Record<string, string> = {
            lon: 'long',
            address: 'address_string',
            name: 'first_name',
            title: 'attribute[title]',
          };
          throw new O311Error(
            400,
            Object.entries(errs)
              .map(([f, msg]) => `${map[f] ?? f}: ${msg}`)
              .join('; '),
          );
        }
        const created = await svc.createReport(deps, parsed.data, {
          source: 'open311',
          locale: 'vi',
          idempotency: { scope: `mailbox.open311:${key.id}`, key: c.req.header('idempotency-key') },
        });
        return render(
          c,
          fmt,
          'service_requests',
          'request',
          [
            {
              service_request_id: created.code,
              token: created.apiToken,
              service_notice: `Hạn trả lời / answer due: ${cat.handling_days} ngày làm việc / working days`,
              account_id: null,
            },
          ],
          created.replayed ? 200 : 201,
        );
      }

      if (parts[0] === 'requests' && method === 'GET') {
        let rows: repo.ReportRow[];
        if (parts.length === 2) {
          const r = await repo.reportByCode(deps.db, decodeURIComponent(parts[1]));
          if (!r || r.status === 'spam') throw new O311Error(404, `service_request_id ${parts[1]} not found`);
          rows = [r];
        } else if (parts.length === 1) {
          const ids = param('service_request_id')
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .slice(0, 200);
          if (ids?.length) {
            rows = (await Promise.all(ids.map((id) => repo.reportByCode(deps.db, id)))).filter(
              (r): r is repo.ReportRow => !!r && r.status !== 'spam',
            );
          } else {
            const sc = param('service_code');
            const cat = sc ? await repo.findCategoryByCode(deps.db, sc) : undefined;
            if (sc && !cat) throw new O311Error(404, `service_code ${sc} not found`);
            const end = parseDate(param('end_date'), 'end_date') ?? new Date();
            const start = parseDate(param('start_date'), 'start_date') ?? new Date(end.getTime() - 90 * 86400_000);
            const st = param('status');
            if (st && !['open', 'closed'].includes(st)) throw new O311Error(400, 'status must be open or closed');
            rows = (
              await repo.listPublic(deps.db, {
                categoryId: cat?.id,
                from: start,
                to: end,
                status: st === 'open' ? 'open' : st === 'closed' ? 'answered' : '',
                limit: 1000,
                offset: 0,
                full: true,
              })
            ).rows;
          }
        } else throw new O311Error(404, 'not found');
        rows = await maskRows(deps.db, rows);
        const photos = await firstPhotos(
          deps.db,
          rows.filter((r) => isPublic(r.status)).map((r) => r.id),
        );
        return render(
          c,
          fmt,
          'service_requests',
          'request',
          rows.map((r) => requestJson(base, r, photos.get(r.id) ?? null)),
        );
      }

      if (parts[0] === 'tokens' && parts.length === 2 && method === 'GET') {
        const r = await repo.reportByApiToken(deps.db, decodeURIComponent(parts[1]));
        if (!r) throw new O311Error(404, `token ${parts[1]} not found`);
        return render(c, fmt, 'service_requests', 'request', [{ service_request_id: r.code, token: parts[1] }]);
      }
      throw new O311Error(404, 'not found');
    } catch (err) {
      if (err instanceof O311Error) return renderError(c, fmt, err);
      throw err;
    }
  });
}
