import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as desk from '../../src/modules/desk/public.js';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { testDbKind } from '../helpers/db.js';
import { makeOffice, type Office } from '../helpers/factories-exchange.js';
import { installations, staticServer, visible, type Peer } from './helpers.js';

// Two offices: Huế (hue) and Quảng Trị (qt), each on its own database, each behind a real loopback server.
let hue: Peer;
let qt: Peer;
let other: Awaited<ReturnType<typeof staticServer>>;
const otherPages = new Map<string, { status?: number; type: string; body: string }>();
const offices = new Map<Peer, Office>();
/** The e-mail of `p`'s account with `role`. */
const email = (p: Peer, role: 'admin' | 'editor' | 'reviewer') => offices.get(p)!.staff[role].email;

const FEED = '/exchange/v1/factchecks.json';

beforeAll(async () => {
  other = await staticServer(otherPages);
  [hue, qt] = await installations(
    [
      { name: 'Sở TT&TT Thừa Thiên Huế', baseUrl: 'http://hue.example.vn' },
      { name: 'Sở TT&TT Quảng Trị', baseUrl: 'http://quangtri.example.vn' },
    ],
    [other.hostPort],
    { demo: false },
  );
  offices.set(
    hue,
    await makeOffice(hue.t, {
      tag: 'hue',
      province: { code: '46' },
      factchecks: ['Đê sông Hương bị vỡ', 'Cá chết hàng loạt ở phá Tam Giang', 'Thành phố cấm xe máy từ tháng sau'],
    }),
  );
  offices.set(qt, await makeOffice(qt.t, { tag: 'qt', province: { name: 'Tỉnh Quảng Trị' } }));
});
afterAll(async () => {
  await hue?.close();
  await qt?.close();
  await other?.close();
});

const factcheck = (title: string, over: Record<string, string> = {}) => ({
  kind: 'factcheck',
  title,
  claim: `Lời đồn: ${title}`,
  verdict: 'sai',
  summary: `Sai. ${title} là tin bịa đặt.`,
  body: 'Chúng tôi đã hỏi cơ quan chức năng.',
  appearances: 'Tin nhắn chuyển tiếp trong nhóm Zalo | https://example.org/post/1',
  claim_date: '2026-11-01',
  method: 'Liên hệ cơ quan chức năng.',
  sources: 'Trả lời của sở | Sở Y tế | 2026-11-02 | https://example.org/tra-loi',
  ...over,
});

/** Through the desk as its staff do it: an editor writes, a reviewer approves and publishes. */
async function publish(p: Peer, title: string, over: Record<string, string> = {}): Promise<number> {
  const ed = p.t.client();
  await ed.signIn(email(p, 'editor'));
  await ed.get('/staff/desk/items/new?kind=factcheck');
  const created = await ed.post('/staff/desk/items', factcheck(title, over));
  const id = Number(created.location!.match(/items\/(\d+)/)![1]);
  await ed.post(`/staff/desk/items/${id}/submit`, {});
  const rv = p.t.client();
  await rv.signIn(email(p, 'reviewer'));
  const view = await rv.get(`/staff/desk/items/${id}`);
  // the version the reviewer read, when the desk asks for it
  const version = view.text.match(/name="version" value="(\d+)"/)?.[1];
  const ap = await rv.post(`/staff/desk/items/${id}/approve`, version ? { version } : {});
  expect(ap.status, visible(ap.text).slice(0, 3000)).toBe(303);
  expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
  return id;
}

/** A correction to a published piece: the editor's change with its note, then the reviewer's approval when the desk asks for one. */
async function correct(p: Peer, id: number, fields: Record<string, string>) {
  const ed = p.t.client();
  await ed.signIn(email(p, 'editor'));
  await ed.get(`/staff/desk/items/${id}`);
  expect((await ed.post(`/staff/desk/items/${id}`, fields)).status).toBe(303);
  const page = await ed.get(`/staff/desk/items/${id}`);
  if (!page.text.includes(`action="/staff/desk/items/${id}/submit"`)) return;
  await ed.post(`/staff/desk/items/${id}/submit`, {});
  const rv = p.t.client();
  await rv.signIn(email(p, 'reviewer'));
  const view = await rv.get(`/staff/desk/items/${id}`);
  const version = view.text.match(/name="version" value="(\d+)"/)?.[1];
  expect((await rv.post(`/staff/desk/items/${id}/approve`, version ? { version } : {})).status).toBe(303);
}

async function adminOf(p: Peer) {
  const c = p.t.client();
  await c.signIn(email(p, 'admin'));
  return c;
}

const listed = async (p: Peer) => visible((await p.t.client().get('/exchange')).text);

/** Adds `partner` on `p` from the command line, fingerprint confirmed. */
async function pin(p: Peer, partner: Peer) {
  const shown = await p.cli('exchange-add', '--url', partner.url);
  expect(shown.code).toBe(2);
  const fp = shown.lines[shown.lines.length - 1];
  const added = await p.cli('exchange-add', '--url', partner.url, '--pin', fp);
  expect(added.code, added.out).toBe(0);
  return fp;
}

describe(`exchange between two installations (${testDbKind()})`, () => {
  it('publishes a signed, paged DataFeed of ClaimReview items with ETag and 304', async () => {
    const c = hue.t.client();
    const first = await c.get(`${FEED}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/ld+json');
    const feed = JSON.parse(first.text);
    expect(feed['@type']).toBe('DataFeed');
    expect(feed.publisher.name).toBe('Sở TT&TT Thừa Thiên Huế');
    expect(feed.dataFeedElement).toHaveLength(2);
    const review = feed.dataFeedElement[0].item;
    expect(review['@type']).toBe('ClaimReview');
    expect(review.url).toMatch(/^http:\/\/hue\.example\.vn\/factchecks\/\d+-/);
    expect(review.claimReviewed).toBeTruthy();
    expect(review.reviewRating).toMatchObject({ bestRating: 5, worstRating: 1 });
    expect(typeof review.reviewRating.ratingValue).toBe('number');
    expect(review.author.name).toBe('Sở TT&TT Thừa Thiên Huế');
    expect(review.inLanguage).toBe('vi');
    // newest change first
    expect(new Date(feed.dataFeedElement[0].dateModified) >= new Date(feed.dataFeedElement[1].dateModified)).toBe(true);

    // the detached signature verifies with the published statement key, over the exact bytes
    const keys = JSON.parse((await c.get('/.well-known/caunoi-statements.json')).text);
    expect(first.headers.get('x-caunoi-key-id')).toBe(keys.keyId);
    const sig = Buffer.from(first.headers.get('x-caunoi-signature')!, 'base64');
    expect(verify(null, Buffer.from(first.text), createPublicKey(keys.publicKeyPem), sig)).toBe(true);
    expect(verify(null, Buffer.from(first.text.replace('Sở', 'So')), createPublicKey(keys.publicKeyPem), sig)).toBe(
      false,
    );

    // unchanged page: 304
    const again = await c.get(`${FEED}?limit=2`, { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);

    // the next page continues where the first ended
    expect(feed.nextPage).toMatch(/^\/exchange\/v1\/factchecks\.json\?/);
    const second = JSON.parse((await c.get(feed.nextPage)).text);
    const ids = (f: any) => f.dataFeedElement.map((e: any) => e.item['@id']);
    expect(ids(second).some((u: string) => ids(feed).includes(u))).toBe(false);

    // ?since= keeps only later changes
    expect(JSON.parse((await c.get(`${FEED}?since=2099-01-01T00:00:00Z`)).text).dataFeedElement).toEqual([]);
    const bad = await c.json(`${FEED}?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Tham số không hợp lệ.');
  });

  it('adds a partner only with its key fingerprint confirmed, and refuses private addresses not allowed', async () => {
    const shown = await qt.cli('exchange-add', '--url', hue.url);
    expect(shown.code).toBe(2);
    const fp = shown.lines[shown.lines.length - 1];
    expect(fp).toMatch(/^([0-9a-f]{4}:){15}[0-9a-f]{4}$/);
    expect((await qt.cli('exchange-list')).out).toBe('no sources');
    const wrong = await qt.cli('exchange-add', '--url', hue.url, '--pin', fp.replace(/^..../, '0000'));
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('does not match');
    expect((await qt.cli('exchange-add', '--url', hue.url, '--pin', fp.toUpperCase())).code).toBe(0);
    expect((await qt.cli('exchange-list')).out).toContain(
      `${hue.url}\tpartner\tSở TT&TT Thừa Thiên Huế\t0 items\t${fp}\tok`,
    );
    // a loopback address the operator did not list
    const refused = await qt.cli('exchange-add', '--url', 'http://127.0.0.1:9/');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Internal address refused');

    // the other way, in the admin page: check, compare, confirm
    const admin = await adminOf(hue);
    const check = await admin.post('/staff/exchange/partners/check', { url: `${qt.url}${FEED}` });
    expect(check.status).toBe(200);
    const qtFp = check.text.match(/<code data-fingerprint="?[^>]*>([0-9a-f:]+)<\/code>/)![1];
    expect(visible(check.text)).toContain('Sở TT&TT Quảng Trị');
    expect((await hue.t.db.query(`SELECT 1 FROM exchange_sources`)).length).toBe(0);
    const bad = await admin.post('/staff/exchange/partners', { url: qt.url, pin: 'abc' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Dấu vân tay gồm 64 chữ số thập lục phân.');
    const ok = await admin.post('/staff/exchange/partners', { url: qt.url, pin: qtFp });
    expect(ok.status).toBe(303);
    const page = visible((await admin.get(ok.location!)).text);
    expect(page).toContain('Đã thêm tỉnh bạn Sở TT&TT Quảng Trị.');
    expect(page).toContain(qtFp);
    const audit = await hue.t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'exchange.%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['exchange.partner.add']);
  });

  it('keeps the admin page to the top administrator and explains bad input beside the field', async () => {
    const editor = hue.t.client();
    await editor.signIn(email(hue, 'editor'));
    expect((await editor.get('/staff/exchange')).status).toBe(403);
    expect((await editor.post('/staff/exchange/partners/check', { url: qt.url })).status).toBe(403);
    expect((await editor.get('/staff/exchange/warnings')).status).toBe(200);
    const admin = await adminOf(hue);
    const bad = await admin.post('/staff/exchange/partners/check', { url: 'kiemchung quang tri' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="f-url-err"');
    expect(bad.text).toContain('Hãy nhập một địa chỉ http:// hoặc https:// hợp lệ.');
    expect(bad.text).toContain('value="kiemchung quang tri"');
    const nobody = await admin.post('/staff/exchange/partners/check', { url: 'http://127.0.0.1:9/' });
    expect(nobody.status).toBe(422);
    expect(nobody.text).toContain('Địa chỉ nội bộ bị từ chối');
    const en = await admin.get('/lang/en?next=/staff/exchange');
    const enPage = await admin.get('/staff/exchange');
    expect(en.status).toBeLessThan(400);
    expect(enPage.text).toContain('Links with partner provinces');
  });

  let rumour = 0;
  it('pulls both ways: attributed on the partner page, matchable with the source, never in the own feed', async () => {
    rumour = await publish(hue, 'Nước máy Huế nhiễm độc chì sau lũ');
    await publish(qt, 'Cầu Hiền Lương bị nứt phải đóng cửa');

    const pulled = await qt.cli('exchange-pull');
    expect(pulled.code, pulled.out).toBe(0);
    expect(pulled.out).toMatch(/^ok http:\/\/127\.0\.0\.1:\d+: \d+ updated, 0 withdrawn$/);
    const list = await listed(qt);
    expect(list).toContain('Nước máy Huế nhiễm độc chì sau lũ');
    expect(list).toContain('Kiểm chứng bởi Sở TT&TT Thừa Thiên Huế');
    const row = await qt.t.db.one<{ id: number }>(
      `SELECT id FROM exchange_items WHERE title = 'Nước máy Huế nhiễm độc chì sau lũ'`,
    );
    const item = await qt.t.client().get(`/exchange/items/${row!.id}`);
    expect(item.status).toBe(200);
    expect(item.text).toContain(`href="http://hue.example.vn/factchecks/${rumour}-`);
    expect(visible(item.text)).toContain('Sai. Nước máy Huế nhiễm độc chì sau lũ là tin bịa đặt.');

    // the desk's matcher answers a resident's question with Huế's check, saying so
    const m = await desk.matchClaim(qt.t.deps, 'nghe nói nước máy ở Huế bị nhiễm độc chì sau lũ có đúng không');
    const hit = m.results.find((r) => r.title === 'Nước máy Huế nhiễm độc chì sau lũ');
    expect(hit?.source?.name).toBe('Sở TT&TT Thừa Thiên Huế');
    expect(hit?.url).toContain('http://hue.example.vn/factchecks/');

    // never republished as Quảng Trị's own work
    expect((await qt.t.client().get(FEED)).text).not.toContain('nhiễm độc chì');
    expect((await qt.t.client().get('/factchecks')).text).not.toContain('nhiễm độc chì');

    // and the other way, from Huế's admin page
    const admin = await adminOf(hue);
    const src = await hue.t.db.one<{ id: number }>(`SELECT id FROM exchange_sources`);
    const r = await admin.post(`/staff/exchange/sources/${src!.id}/pull`, {});
    expect(r.status).toBe(303);
    expect(visible((await admin.get(r.location!)).text)).toMatch(/Đã lấy: \d+ bài cập nhật, 0 bài bị gỡ\./);
    expect(await listed(hue)).toContain('Kiểm chứng bởi Sở TT&TT Quảng Trị');
    expect(await listed(hue)).not.toContain('nhiễm độc chì');
  });

  it('follows corrections and retractions', async () => {
    await correct(
      hue,
      rumour,
      factcheck('Nước máy Huế nhiễm độc chì sau lũ', {
        summary: 'Sai. Kết quả xét nghiệm ngày 3/11 của CDC Huế không phát hiện chì.',
        correction_what: 'Bổ sung kết quả xét nghiệm',
        correction_why: 'Có kết quả mới',
      }),
    );
    expect(visible((await hue.t.client().get(`/factchecks/${rumour}`)).text)).toContain('không phát hiện chì');
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    const row = await qt.t.db.one<{ id: number }>(
      `SELECT id FROM exchange_items WHERE title = 'Nước máy Huế nhiễm độc chì sau lũ'`,
    );
    const page = visible((await qt.t.client().get(`/exchange/items/${row!.id}`)).text);
    expect(page).toContain('Kết quả xét nghiệm ngày 3/11 của CDC Huế không phát hiện chì.');
    expect(page).toContain('Bổ sung kết quả xét nghiệm — Có kết quả mới');

    const rv = hue.t.client();
    await rv.signIn(email(hue, 'reviewer'));
    await rv.get(`/staff/desk/items/${rumour}`);
    expect(
      (await rv.post(`/staff/desk/items/${rumour}/unpublish`, { reason: 'Trùng với bài đã đăng trước đó' })).status,
    ).toBe(303);
    const tomb = JSON.parse((await hue.t.client().get(FEED)).text).dataFeedElement.find((e: any) => e.dateDeleted);
    expect(tomb.description).toBe('Trùng với bài đã đăng trước đó');
    const pulled = await qt.cli('exchange-pull');
    expect(pulled.out).toContain('1 withdrawn');
    expect(await listed(qt)).not.toContain('nhiễm độc chì');
    const gone = await qt.t.client().get(`/exchange/items/${row!.id}`);
    expect(gone.status).toBe(410);
    expect(visible(gone.text)).toContain(
      'Bài này đã được Sở TT&TT Thừa Thiên Huế gỡ bỏ. Lý do: Trùng với bài đã đăng trước đó',
    );
    const m = await desk.matchClaim(qt.t.deps, 'nước máy ở Huế bị nhiễm độc chì sau lũ');
    expect(m.results.some((r) => r.title === 'Nước máy Huế nhiễm độc chì sau lũ')).toBe(false);
  });

  it('refuses a changed key until it is pinned again; nothing imported is lost', async () => {
    const before = (await qt.t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM exchange_items WHERE removed_at IS NULL`,
    ))!.n;
    expect((await hue.cli('crisis-rotate-key', '--reason', 'Định kỳ hằng năm')).code).toBe(0);
    await publish(hue, 'Trường học nghỉ cả tuần vì bão');
    const refused = await qt.cli('exchange-pull');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('changed its signing key');
    const admin = await adminOf(qt);
    const page = visible((await admin.get('/staff/exchange')).text);
    expect(page).toContain('Nguồn đã đổi khóa ký số: tạm dừng cho tới khi ghim lại dấu vân tay mới');
    expect(page).toContain('Tạm dừng');
    expect(
      (await qt.t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM exchange_items WHERE removed_at IS NULL`))!.n,
    ).toBe(before);
    expect(await listed(qt)).not.toContain('Trường học nghỉ cả tuần vì bão');
    // still paused on the next run: a new key is never taken on trust
    expect((await qt.cli('exchange-pull')).out).toContain('PAUSED');
    const newFp = await pin(qt, hue);
    expect((await qt.cli('exchange-list')).out).toContain(newFp);
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    expect(await listed(qt)).toContain('Trường học nghỉ cả tuần vì bão');
  });

  it('refuses a tampered page, an oversized page, a redirect elsewhere and a malformed item, applying nothing of them', async () => {
    await publish(hue, 'Chợ Đông Ba cháy lần nữa');
    const admin = await adminOf(qt);
    const src = (await qt.t.db.one<{ id: number }>(`SELECT id FROM exchange_sources WHERE kind = 'partner'`))!.id;
    const cases: [Peer['mode'], string, string][] = [
      ['tamper', 'problem.badSignature', 'Chữ ký số không khớp nội dung'],
      ['oversize', 'problem.oversized', 'Trang quá lớn: bị từ chối'],
      ['redirect', 'problem.redirect', 'Nguồn chuyển hướng sang máy chủ khác: bị từ chối'],
    ];
    hue.tamper = ['Chợ Đông Ba cháy lần nữa', 'Chợ Đông Ba không hề cháy'];
    for (const [mode, , text] of cases) {
      hue.mode = mode;
      const r = await qt.cli('exchange-pull');
      expect(r.code, `${mode}: ${r.out}`).toBe(1);
      hue.mode = 'normal';
      expect(visible((await admin.get('/staff/exchange')).text)).toContain(text);
      expect(await listed(qt)).not.toMatch(/cháy lần nữa|không hề cháy/);
      const resumed = await admin.post(`/staff/exchange/sources/${src}/resume`, {});
      expect(resumed.status).toBe(303);
    }
    // a page signed with the right key whose item is malformed: the whole page is refused
    hue.mode = async (req, t) => {
      const res = await t.app.fetch(req);
      if (!new URL(req.url).pathname.startsWith(FEED)) return res;
      const feed = JSON.parse(await res.text());
      feed.dataFeedElement[0].item.reviewRating = { ratingValue: 'rất sai' };
      const body = JSON.stringify(feed);
      const { signWithInstallationKey } = await import('../../src/modules/crisis/public.js');
      const s = await signWithInstallationKey(t.db, body);
      return new Response(body, {
        headers: {
          'content-type': 'application/ld+json',
          'x-caunoi-key-id': s.keyId,
          'x-caunoi-signature': s.signature,
        },
      });
    };
    expect((await qt.cli('exchange-pull')).code).toBe(1);
    hue.mode = 'normal';
    expect(visible((await admin.get('/staff/exchange')).text)).toContain('Có bài sai định dạng: cả trang bị từ chối');
    expect(await listed(qt)).not.toContain('cháy lần nữa');
    await admin.post(`/staff/exchange/sources/${src}/resume`, {});
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    expect(await listed(qt)).toContain('Chợ Đông Ba cháy lần nữa');
    expect(await listed(qt)).not.toContain('không hề cháy');
  });

  it('waits for a partner that stops answering, then catches up', async () => {
    await publish(hue, 'Sân bay Phú Bài đóng cửa ba ngày');
    await hue.down();
    const r = await qt.cli('exchange-pull');
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not answer');
    const admin = await adminOf(qt);
    expect(visible((await admin.get('/staff/exchange')).text)).toContain('Nguồn không trả lời');
    const s = (await qt.t.db.one<{ next: Date; status: string }>(
      `SELECT next_pull_at AS next, status FROM exchange_sources WHERE kind = 'partner'`,
    ))!;
    expect(s.status).toBe('active');
    expect(new Date(s.next).getTime()).toBeGreaterThan(Date.now() + 60_000); // backed off
    await hue.up();
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    expect(await listed(qt)).toContain('Sân bay Phú Bài đóng cửa ba ngày');
    expect(visible((await admin.get('/staff/exchange')).text)).not.toContain('Nguồn không trả lời');
  });

  it("imports ClaimReview from an unsigned publisher's pages and feed, sanitised and marked", async () => {
    const review = (title: string, url: string) => ({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url,
      claimReviewed: `<b>${title}</b><script>alert(1)</script>`,
      name: title,
      author: { '@type': 'Organization', name: 'Trung tâm Kiểm chứng Quốc gia' },
      datePublished: '2026-11-20',
      reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Sai' },
    });
    // as publishers embed it: `<` escaped inside the script block
    const ld = JSON.stringify({
      '@graph': [{ '@type': 'WebPage' }, review('Vắc xin gây vô sinh', `${other.url}/bai/vaccine`)],
    }).replace(/</g, '\\u003c');
    otherPages.set('/bai/vaccine', {
      type: 'text/html',
      body: `<html><head><script type="application/ld+json">${ld}</script></head><body>x</body></html>`,
    });
    otherPages.set('/feed.json', {
      type: 'application/json',
      body: JSON.stringify({
        '@context': 'https://schema.org',
        '@type': 'DataFeed',
        publisher: { name: 'Báo Điện tử Tin Nhanh' },
        dataFeedElement: [
          { '@type': 'DataFeedItem', item: review('Uống nước chanh chữa ung thư', `${other.url}/bai/chanh`) },
        ],
      }),
    });
    const admin = await adminOf(qt);
    const noKind = await admin.post('/staff/exchange/unsigned', { name: 'X', feedUrl: '', pages: '' });
    expect(noKind.status).toBe(422);
    expect(noKind.text).toContain('Hãy chọn loại nguồn.');
    const badPages = await admin.post('/staff/exchange/unsigned', {
      kind: 'pages',
      name: 'Trung tâm Kiểm chứng',
      pages: 'not a url',
    });
    expect(badPages.status).toBe(422);
    expect(badPages.text).toContain('Hãy nhập mỗi dòng một địa chỉ');
    expect(badPages.text).toContain('not a url');
    expect(
      (
        await admin.post('/staff/exchange/unsigned', {
          kind: 'pages',
          name: 'Trung tâm Kiểm chứng',
          pages: `${other.url}/bai/vaccine`,
        })
      ).status,
    ).toBe(303);
    expect(
      (await admin.post('/staff/exchange/unsigned', { kind: 'feed', name: '', feedUrl: `${other.url}/feed.json` }))
        .status,
    ).toBe(303);
    const list = await qt.t.client().get('/exchange');
    expect(list.text).not.toContain('<script>alert');
    const text = visible(list.text);
    expect(text).toContain('Vắc xin gây vô sinh');
    expect(text).toContain('Kiểm chứng bởi Trung tâm Kiểm chứng · Nguồn chưa ký số');
    expect(text).toContain('Kiểm chứng bởi Báo Điện tử Tin Nhanh · Nguồn chưa ký số');
    const row = await qt.t.db.one<{ claim: string }>(
      `SELECT claim FROM exchange_items WHERE title = 'Vắc xin gây vô sinh'`,
    );
    expect(row!.claim).toBe('Vắc xin gây vô sinh');
    // kept updated: the article is taken down at its source
    otherPages.set('/bai/vaccine', { status: 410, type: 'text/html', body: 'gone' });
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    expect(await listed(qt)).not.toContain('Vắc xin gây vô sinh');
  });

  it('shares open claim clusters only when both sides opt in, without personal data or who asked', async () => {
    await desk.submitClaim(hue.t.deps, {
      text: 'Có người gọi 0912 345 678 nói điện lực Huế cắt điện toàn thành phố 3 ngày, CCCD 079095001234 được miễn',
      source: 'public',
      contactEmail: 'nguoihoi@example.com',
    });
    await desk.submitClaim(hue.t.deps, {
      text: 'Xe biển 75A-123.45 chở hóa chất lật ở cầu Trường Tiền, liên hệ tin.don@gmail.com',
      source: 'public',
    });
    const qtAdmin = await adminOf(qt);
    const hueAdmin = await adminOf(hue);
    const partnerOnQt = (await qt.t.db.one<{ id: number }>(`SELECT id FROM exchange_sources WHERE kind = 'partner'`))!
      .id;
    const partnerOnHue = (await hue.t.db.one<{ id: number }>(`SELECT id FROM exchange_sources WHERE kind = 'partner'`))!
      .id;
    const editor = qt.t.client();
    await editor.signIn(email(qt, 'editor'));

    // Quảng Trị wants them, Huế has not agreed: nothing arrives
    expect((await qtAdmin.post(`/staff/exchange/sources/${partnerOnQt}/sharing`, { receive: '1' })).status).toBe(303);
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    expect(visible((await editor.get('/staff/exchange/warnings')).text)).toContain(
      'Hiện không có câu hỏi nào từ các tỉnh bạn.',
    );
    expect(visible((await editor.get('/staff/desk/claims')).text)).not.toContain('Được hỏi ở các tỉnh lân cận');
    // nor may anyone else read them
    expect((await qt.t.client().get('/exchange/v1/clusters.json')).status).toBe(403);
    expect((await hue.t.client().get('/exchange/v1/clusters.json')).status).toBe(403);

    expect((await hueAdmin.post(`/staff/exchange/sources/${partnerOnHue}/sharing`, { share: '1' })).status).toBe(303);
    expect((await qt.cli('exchange-pull')).code).toBe(0);
    const page = await editor.get('/staff/exchange/warnings');
    const text = visible(page.text);
    expect(text).toContain('Được hỏi ở các tỉnh lân cận');
    expect(text).toContain('nói điện lực Huế cắt điện toàn thành phố 3 ngày');
    expect(text).toContain('Sở TT&TT Thừa Thiên Huế');
    for (const secret of ['0912', '345 678', '079095001234', '75A-123.45', 'tin.don@gmail.com', 'nguoihoi@example.com'])
      expect(page.text).not.toContain(secret);
    expect(text).toContain('[SĐT]');
    expect(text).toContain('[biển số]');
    const stored = await qt.t.db.query<{ text: string }>(`SELECT text FROM exchange_clusters`);
    // Huế's open clusters (the two above), each once
    const open = await hue.t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM desk_clusters WHERE status IN ('new', 'checking') AND size > 0`,
    );
    expect(stored.length).toBe(open!.n);
    expect(JSON.stringify(stored)).not.toMatch(/0912|079095001234|gmail|example\.com/);
    // the desk's claims page shows them beside our own questions, masked the same way
    const claims = await editor.get('/staff/desk/claims');
    expect(visible(claims.text)).toContain('Được hỏi ở các tỉnh lân cận');
    expect(visible(claims.text)).toContain('nói điện lực Huế cắt điện toàn thành phố 3 ngày');
    for (const secret of ['0912', '079095001234', 'tin.don@gmail.com']) expect(claims.text).not.toContain(secret);
    // the staff overview points to them
    expect(visible((await editor.get('/staff')).text)).toContain(`${stored.length} câu hỏi đang mở ở các tỉnh lân cận`);
  });

  it('pulls every partner on a schedule, each when its time has come', async () => {
    expect(hue.t.deps.jobs.schedules().map((x) => x.name)).toContain('exchange.pull-due');
    await publish(qt, 'Phà Cửa Việt ngừng chạy cả tuần');
    // Huế pulled Quảng Trị a moment ago: the job leaves it until its next time
    await enqueue(hue.t.db, 'exchange.pull-due', {});
    await hue.t.drainJobs();
    expect(await listed(hue)).not.toContain('Phà Cửa Việt');
    await hue.t.db.query(`UPDATE exchange_sources SET next_pull_at = now() - interval '1 minute'`);
    await enqueue(hue.t.db, 'exchange.pull-due', {});
    await hue.t.drainJobs();
    expect(await listed(hue)).toContain('Phà Cửa Việt ngừng chạy cả tuần');
    const next = (await hue.t.db.one<{ next: Date }>(`SELECT next_pull_at AS next FROM exchange_sources`))!.next;
    expect(new Date(next).getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);
  });

  it('removes a partner with everything pulled from it', async () => {
    const r = await qt.cli('exchange-remove', '--url', hue.url);
    expect(r.code, r.out).toBe(0);
    expect(await listed(qt)).not.toContain('Kiểm chứng bởi Sở TT&TT Thừa Thiên Huế');
    const m = await desk.matchClaim(qt.t.deps, 'Trường học nghỉ cả tuần vì bão');
    expect(m.results.some((x) => x.source?.name === 'Sở TT&TT Thừa Thiên Huế')).toBe(false);
    expect((await qt.cli('exchange-remove', '--url', hue.url)).code).toBe(1);
  });
});
