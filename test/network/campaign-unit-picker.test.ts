/**
 * Issue 15: a campaign's target units are chosen with the multi-unit picker, not a list of every unit in scope.
 * Without JavaScript: Search (a GET) keeps what was typed and the units already ticked, and offers the matches (with or
 * without diacritics, inside the organiser's scope) as more boxes; Enter in the search box searches; two chosen units
 * are saved as the campaign's targets; a refused form keeps them ticked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff, makeUser, realCity } from '../helpers/factories.js';
import { pickerChoices, tickedUnits } from '../helpers/picker.js';

const iso = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);
/** The target-unit boxes of a page: id, ticked, label. */
const boxes = (html: string) => pickerChoices(html, 'units', 'checkbox');
const ticked = (html: string) => tickedUnits(html, 'units');
const offered = (html: string) => boxes(html).filter((b) => !b.checked);

describe(`network campaign: target units with the multi-unit picker (${testDbKind()})`, () => {
  let t: TestApp;
  let vyDa: number;
  let phuXuan: number;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    const units = await realCity(t.db);
    vyDa = units['19777'].id;
    phuXuan = units['19753'].id;
    await makeCityStaff(t.db, 'campaign-picker');
    await makeUser(t.db, { email: 'lead.campaign@campaign-picker.test', role: 'editor', unit: units['19789'] });
  });
  afterAll(() => t?.close());

  const campaign = (extra: Record<string, string | string[]> = {}) => ({
    title: 'Hai phường cùng chia sẻ',
    message: 'Chia sẻ lịch cắt điện chính thức.',
    links: 'Hộp thư kết nối | /mailbox',
    units: [String(vyDa), String(phuXuan)],
    starts: iso(0),
    ends: iso(5),
    ...extra,
  });

  it('without JavaScript: search without diacritics, tick two, a refused form keeps them, launch', async () => {
    const c = t.client();
    await c.signIn('editor@campaign-picker.test');
    const page = await c.get('/network/manage/campaigns/new');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="f-units"[^>]*data-unit-picker=/);
    expect(page.text).toMatch(/<button[^>]*name="_pick"[^>]*value="units"/);
    const q = new URLSearchParams({ _pick: 'units', units_q: 'vy da', title: 'Hai phường cùng chia sẻ' });
    q.append('units', String(phuXuan));
    const found = await c.get(`/network/manage/campaigns/new?${q}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('value="vy da"');
    expect(found.text).toContain('value="Hai phường cùng chia sẻ"');
    expect(ticked(found.text)).toEqual([phuXuan]);
    expect(offered(found.text).find((b) => b.id === vyDa)?.label).toMatch(/^Phường Vỹ Dạ, /);
    // Enter in the search box: the matches again, nothing launched
    const enter = await c.post(
      '/network/manage/campaigns',
      campaign({ units: String(phuXuan), _enter: 'units', units_q: 'vy da', units_q0: '' }),
    );
    expect(enter.status).toBe(200);
    expect(offered(enter.text).map((b) => b.id)).toContain(vyDa);
    expect(await t.db.one(`SELECT 1 FROM network_campaigns WHERE title = 'Hai phường cùng chia sẻ'`)).toBeUndefined();
    // refused (no message): both units stay ticked, the search stays typed
    const refused = await c.post('/network/manage/campaigns', campaign({ message: '', units_q: 'vy da' }));
    expect(refused.status).toBe(422);
    expect(ticked(refused.text)).toEqual([vyDa, phuXuan].sort((a, b) => a - b));
    expect(refused.text).toContain('value="vy da"');
    // nothing ticked: the message beside the picker
    const none = await c.post('/network/manage/campaigns', campaign({ units: [] }));
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/id="f-units-err"/);
    const sent = await c.post('/network/manage/campaigns', campaign({ units_q: 'vy da', units_q0: 'vy da' }));
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const id = Number(sent.location!.match(/campaigns\/(\d+)/)![1]);
    const targets = await t.db.query<{ unit_id: number }>(
      `SELECT unit_id FROM network_campaign_targets WHERE campaign_id = $1 AND unit_id IS NOT NULL ORDER BY unit_id`,
      [id],
    );
    expect(targets.map((r) => r.unit_id)).toEqual([vyDa, phuXuan].sort((a, b) => a - b));
  });

  it('a ward organiser is offered only their own units, with JavaScript too', async () => {
    const c = t.client();
    await c.signIn('lead.campaign@campaign-picker.test');
    const page = await c.get(
      `/network/manage/campaigns/new?${new URLSearchParams({ _pick: 'units', units_q: 'vy da' })}`,
    );
    expect(page.status).toBe(200);
    expect(boxes(page.text).map((b) => b.id)).not.toContain(vyDa);
    const src = page.text.match(/id="f-units"[^>]*data-unit-picker="([^"]*)"/)![1].replace(/&amp;/g, '&');
    const res = await c.json(`/units/pick?q=${encodeURIComponent('vy da')}&${src}`);
    expect(res.body.units.map((u: { id: number }) => u.id)).not.toContain(vyDa);
  });
});
