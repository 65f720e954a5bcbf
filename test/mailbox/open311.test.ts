import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { findUnit } from '../helpers/factories.js';
import { makeReportIn } from '../helpers/factories-mailbox.js';
import { cityWithCategories } from './helpers.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['request', 'service', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
});

function xml(text: string) {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid)}\n${text.slice(0, 500)}`);
  return parser.parse(text);
}

const PERSONAL = ['john', 'smith', 'smit222@sfgov.edu', '0912345678', '111111111'];

describe(`Open311 GeoReport v2 (${testDbKind()})`, () => {
  let t: TestApp;
  let key = '';
  let handlerEmail = '';
  const form = (o: Record<string, string>) => ({
    method: 'POST',
    body: new URLSearchParams(o),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const city = await cityWithCategories(t, 'open311');
    handlerEmail = city.staff.handler.email;
    // one public report already closed, for the status=closed filter
    await makeReportIn(t.deps, {
      unit: await findUnit(t.db, city.vyDa),
      category: city.env,
      state: 'closed',
      handler: city.staff.handler.id,
      reviewer: city.staff.reviewer.id,
    });
    const out: string[] = [];
    expect(await runCommand(t.deps, modules, ['create-api-key', '--name', 'Ứng dụng thử'], (l) => out.push(l))).toBe(0);
    key = out[0];
    expect(key).toMatch(/^o311_/);
  });
  afterAll(() => t.close());

  // The specification's example request, with this jurisdiction's service code and a place in Huế.
  const specExample = () => ({
    api_key: key,
    jurisdiction_id: '46',
    service_code: 'moi-truong',
    lat: '16.4637',
    long: '107.5909',
    address_string: '1234 5th street',
    email: 'smit222@sfgov.edu',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'john',
    last_name: 'smith',
    phone: '111111111',
    description: 'A large sinkhole is destroying the street',
    media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    'attribute[commune]': '19789',
  });

  it('serves discovery in JSON and XML', async () => {
    const c = t.client();
    const j = await c.json('/open311/v2/discovery.json');
    expect(j.status).toBe(200);
    expect(j.body.endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(j.body.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    const x = await c.get('/open311/v2/discovery.xml');
    expect(x.headers.get('content-type')).toContain('text/xml');
    const doc = xml(x.text);
    expect(doc.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('lists services (the categories) and their definitions with attributes', async () => {
    const c = t.client();
    const doc = xml((await c.get('/open311/v2/services.xml')).text);
    const env = doc.services.service.find((s: any) => s.service_code === 'moi-truong');
    expect(env.service_name).toBe('Môi trường');
    expect(env.metadata).toBe('true');
    expect(env.type).toBe('realtime');
    const def = xml((await c.get('/open311/v2/services/moi-truong.xml')).text);
    const commune = def.service_definition.attributes.attribute.find((a: any) => a.code === 'commune');
    expect(commune.datatype).toBe('singlevaluelist');
    expect(commune.values.value.some((v: any) => v.key === '19789' && v.name === 'Phường Thuận Hoá')).toBe(true);
    const jdef = await c.json('/open311/v2/services/moi-truong.json');
    expect(jdef.body.service_code).toBe('moi-truong');
    const missing = await c.get('/open311/v2/services/khong-co.xml');
    expect(missing.status).toBe(404);
    expect(xml(missing.text).errors.error[0].code).toBe('404');
  });

  it('refuses POST requests without a valid api_key, in the spec’s error format', async () => {
    const c = t.client();
    const r = await c.request('/open311/v2/requests.xml', form({ ...specExample(), api_key: 'wrong' }));
    expect(r.status).toBe(403);
    expect(xml(r.text).errors.error[0].description).toContain('api_key');
    const j = await c.json('/open311/v2/requests.json', form({ ...specExample(), api_key: '' }));
    expect(j.status).toBe(403);
    expect(j.body[0].code).toBe(403);
  });

  it('accepts the spec example, replays an Idempotency-Key, answers tokens/{token} and requests/{id}', async () => {
    const c = t.client();
    const r = await c.json('/open311/v2/requests.json', {
      ...form(specExample()),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'o311-retry-1' },
    });
    expect(r.status).toBe(201);
    const id = r.body[0].service_request_id;
    expect(id).toMatch(/^PA-\d{4}-\d{6}$/);
    const again = await c.json('/open311/v2/requests.json', {
      ...form(specExample()),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'o311-retry-1' },
    });
    expect(again.body[0].service_request_id).toBe(id);
    expect(
      (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM mailbox_reports WHERE source = 'open311'`))!.n,
    ).toBe(1);

    const tok = xml((await c.get(`/open311/v2/tokens/${r.body[0].token}.xml`)).text);
    expect(tok.service_requests.request[0].service_request_id).toBe(id);

    // before triage: known, open, but nothing of its content is public
    const before = await c.get(`/open311/v2/requests/${id}.xml`);
    const req = xml(before.text).service_requests.request[0];
    expect(req.status).toBe('open');
    expect(req.service_code).toBeFalsy(); // codes are sequential: not even the category of a report not yet public
    expect(req.requested_datetime).toBeFalsy();
    expect(before.text).not.toContain('sinkhole');
    // routed like a form report
    const row = await t.db.one<{ agency: string; source: string }>(
      `SELECT a.code AS agency, r.source FROM mailbox_reports r JOIN agencies a ON a.id = r.agency_id WHERE r.code = $1`,
      [id],
    );
    expect(row).toEqual({ agency: 'HUE-STNMT', source: 'open311' });

    const handler = t.client();
    await handler.signIn(handlerEmail);
    const rid = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [id]))!.id;
    expect((await handler.post(`/staff/mailbox/${rid}/triage`, { action: 'accept' })).status).toBe(303);

    const after = await c.get(`/open311/v2/requests/${id}.xml`);
    const pub = xml(after.text).service_requests.request[0];
    expect(pub.description).toBe('A large sinkhole is destroying the street');
    expect(pub.agency_responsible).toBe('Sở Nông nghiệp và Môi trường');
    expect(pub.lat).toBe('16.4637');
    expect(pub.long).toBe('107.5909');
    for (const p of PERSONAL) expect(after.text).not.toContain(p);

    // GET requests with the spec's filters
    const list = await c.get(
      `/open311/v2/requests.xml?service_code=moi-truong&status=open&start_date=${encodeURIComponent(new Date(Date.now() - 86400_000).toISOString())}&end_date=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    const reqs = xml(list.text).service_requests.request;
    expect(reqs.some((x: any) => x.service_request_id === id)).toBe(true);
    expect(reqs.every((x: any) => x.service_code === 'moi-truong' && x.status === 'open')).toBe(true);
    for (const p of PERSONAL) expect(list.text).not.toContain(p);
    const byId = await c.json(`/open311/v2/requests.json?service_request_id=${id}`);
    expect(byId.body.map((x: any) => x.service_request_id)).toEqual([id]);
    const closed = await c.json('/open311/v2/requests.json?status=closed');
    expect(closed.body.length).toBeGreaterThan(0);
    expect(closed.body.every((x: any) => x.status === 'closed')).toBe(true);
  });

  it('answers bad input with 400 errors and refuses unknown jurisdictions', async () => {
    const c = t.client();
    const noDesc = await c.request('/open311/v2/requests.xml', form({ ...specExample(), description: 'short' }));
    expect(noDesc.status).toBe(400);
    expect(xml(noDesc.text).errors.error[0].description).toContain('description');
    const noLoc = await c.json(
      '/open311/v2/requests.json',
      form({ api_key: key, service_code: 'moi-truong', description: 'A large sinkhole is destroying the street' }),
    );
    expect(noLoc.status).toBe(400);
    const badJ = await c.json('/open311/v2/services.json?jurisdiction_id=sfgov.org');
    expect(badJ.status).toBe(404);
    const okJ = await c.json('/open311/v2/services.json?jurisdiction_id=46');
    expect(okJ.status).toBe(200);
    const badDate = await c.json('/open311/v2/requests.json?start_date=yesterday');
    expect(badDate.status).toBe(400);
  });

  it('stops accepting a revoked key', async () => {
    const out: string[] = [];
    expect(await runCommand(t.deps, modules, ['revoke-api-key', '--name', 'Ứng dụng thử'], (l) => out.push(l))).toBe(0);
    const r = await t.client().json('/open311/v2/requests.json', form(specExample()));
    expect(r.status).toBe(403);
  });
});
