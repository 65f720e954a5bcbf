import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloSignature } from '../../src/modules/tipline/service/channels/zalo.js';
import { refreshZaloIfDue } from '../../src/modules/tipline/service/outbound.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { startZalo } from './fakes/zalo.js';
import { published } from './harness.js';

const APP_ID = '1234567890';
const OA_SECRET = 'oa-secret-key';

let t: TestApp;
let z: Awaited<ReturnType<typeof startZalo>>;
let seq = 0;

beforeAll(async () => {
  // the access token in the environment has expired: the platform holds 'fresh-token'
  z = await startZalo({ accessToken: 'fresh-token', refreshToken: 'refresh-0', appId: APP_ID, appSecret: OA_SECRET });
  t = await testApp({
    env: {
      ZALO_APP_ID: APP_ID,
      ZALO_OA_SECRET: OA_SECRET,
      ZALO_ACCESS_TOKEN: 'expired-token',
      ZALO_REFRESH_TOKEN: 'refresh-0',
      ZALO_API_BASE: z.url,
      OUTBOUND_ALLOW_HOSTS: z.host,
    },
  });
});
afterAll(async () => {
  await t?.close();
  await z?.close();
});

const post = (body: string, signature?: string | null) => {
  const ts = String((JSON.parse(body) as { timestamp?: string }).timestamp ?? '');
  const sig = signature === undefined ? zaloSignature(APP_ID, body, ts, OA_SECRET) : signature;
  return t.app.request('/tipline/zalo', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(sig ? { 'x-zevent-signature': sig } : {}) },
  });
};
const event = (name: string, user: string, message: Record<string, unknown> = {}) =>
  JSON.stringify({
    app_id: APP_ID,
    user_id_by_app: 'x',
    event_name: name,
    timestamp: String(Date.now()),
    sender: { id: user },
    recipient: { id: 'OA1' },
    ...(name === 'follow' || name === 'unfollow'
      ? { follower: { id: user } }
      : { message: { msg_id: `zmsg${++seq}`, ...message } }),
  });
const text = (user: string, s: string) => post(event('user_send_text', user, { text: s }));
const last = (user: string) => z.to(user).at(-1)!;

describe('Zalo OA', () => {
  it('refuses a missing signature, a wrong one and one over a different body (401)', async () => {
    const body = event('user_send_text', 'z1', { text: 'menu' });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, 'mac=' + '0'.repeat(64))).status).toBe(401);
    const other = body.replace('menu', 'help');
    expect(
      (await post(body, zaloSignature(APP_ID, other, String(JSON.parse(other).timestamp), OA_SECRET))).status,
    ).toBe(401);
    expect(
      (
        await t.app.request('/tipline/zalo', {
          method: 'POST',
          body: 'not json',
          headers: { 'x-zevent-signature': 'mac=abc' },
        })
      ).status,
    ).toBe(401);
    await t.drainJobs();
    expect(z.to('z1')).toHaveLength(0);
  });

  it('refreshes the expired OA access token with the refresh token, stores the new pair, and replies (follow → menu)', async () => {
    const res = await post(event('follow', 'z2'));
    expect(res.status).toBe(200);
    await t.drainJobs();
    expect(z.state.refreshes).toBe(1);
    expect(last('z2').text).toContain('Hộp thư kết nối');
    expect(last('z2').buttons.map((b) => b.payload)).toEqual(['#check', '#report', '#follow', '#sub', '#stop']);
    const stored = await t.db.one<{ value: { accessToken: string; refreshToken: string } }>(
      `SELECT value FROM settings WHERE key = 'tipline.zalo.tokens'`,
    );
    expect(stored!.value).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    // before expiry the scheduled job refreshes again with the new (single-use) refresh token
    expect(await refreshZaloIfDue(t.deps)).toBe(false);
    await t.db.query(
      `UPDATE settings SET value = jsonb_set(value, '{expiresAt}', to_jsonb($1::text)) WHERE key = 'tipline.zalo.tokens'`,
      [new Date(Date.now() + 3600_000).toISOString()],
    );
    expect(await refreshZaloIfDue(t.deps)).toBe(true);
    expect(z.state.refreshToken).toBe('refresh-2');
  });

  it('button payloads come back as text; a forwarded link is checked against the desk', async () => {
    await text('z3', '#check');
    await t.drainJobs();
    expect(last('z3').text).toContain('Hãy gửi (hoặc chuyển tiếp)');
    const fc = await published(t);
    await post(
      event('user_send_link', 'z3', {
        text: fc.claim,
        attachments: [{ type: 'link', payload: { url: 'https://example.com/bai-viet', title: 'x' } }],
      }),
    );
    await t.drainJobs();
    expect(last('z3').text).toContain(fc.title);
  });

  it('subscribes to alerts for a ward typed without diacritics, with one tap to stop', async () => {
    await text('z4', 'nhận cảnh báo');
    await text('z4', 'thuan hoa');
    await t.drainJobs();
    expect(last('z4').text).toContain('Đã đăng ký nhận cảnh báo khẩn cấp của Phường Thuận Hoá');
    const stop = last('z4').buttons[0]!;
    expect(stop.payload).toMatch(/^#unsub:\d+$/);
    await text('z4', stop.payload);
    await t.drainJobs();
    expect(last('z4').text).toContain('Đã dừng cảnh báo của Phường Thuận Hoá');
    expect((await t.db.query(`SELECT 1 FROM tipline_subscriptions`)).length).toBe(0);
  });

  it('outside the 7-day window (-230) and after an unfollow (-213): e-mail fallback when given, shown as not delivered', async () => {
    await text('z5', 'menu');
    await t.drainJobs();
    expect(z.to('z5')).toHaveLength(1);
    z.state.windowClosed.add('z5');
    await t.db.query(`UPDATE tipline_users SET email = 'z5@example.vn' WHERE address = 'z5'`);
    await text('z5', 'menu');
    await t.drainJobs();
    expect(z.to('z5')).toHaveLength(1);
    expect(
      (await t.db.one<{ last_error: string }>(
        `SELECT last_error FROM notifications WHERE channel = 'tipline' ORDER BY id DESC LIMIT 1`,
      ))!.last_error,
    ).toBe('tipline:window:email');
    z.unfollowed.add('z6');
    await text('z6', 'menu');
    await t.drainJobs();
    expect(
      (await t.db.one<{ last_error: string }>(
        `SELECT last_error FROM notifications WHERE channel = 'tipline' ORDER BY id DESC LIMIT 1`,
      ))!.last_error,
    ).toBe('tipline:blocked:none');
    await post(event('unfollow', 'z7'));
    await t.drainJobs();
    expect(z.to('z7')).toHaveLength(0);
  });

  it('an image that is not an image, and unsupported stickers, get a clear reply; a rate limit (-32) is retried', async () => {
    z.files.set('bad.jpg', Buffer.from('GIF89a but not really'));
    await post(
      event('user_send_image', 'z8', { attachments: [{ type: 'image', payload: { url: `${z.url}/cdn/bad.jpg` } }] }),
    );
    await post(event('user_send_sticker', 'z8', { attachments: [{ type: 'sticker', payload: { id: 's1' } }] }));
    await t.drainJobs();
    const texts = z.to('z8').map((m) => m.text);
    expect(texts.some((s) => s.includes('không phải là ảnh'))).toBe(true);
    expect(texts.some((s) => s.includes('chỉ đọc được chữ'))).toBe(true);
    z.state.rateLimited = 1;
    await text('z9', 'menu');
    await t.drainJobs();
    expect(z.to('z9')).toHaveLength(0);
    await t.db.query(`UPDATE jobs SET run_at = now() WHERE status = 'queued'`);
    await t.drainJobs();
    expect(z.to('z9')).toHaveLength(1);
  });
});
