import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../src/platform/notify/channels.js';
import {
  addWebhookEndpoint,
  deliveriesFor,
  notificationStatus,
  pushSubscriptionIds,
  savePushSubscription,
  send,
  sendWebhookEvent,
} from '../../src/platform/notify/notify.js';
import { getOrCreateVapidKeys } from '../../src/platform/notify/vapid.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { checkVapid, decryptPush, makeBrowserKeys, startPushService } from '../helpers/push.js';
import { startSmtp } from '../helpers/smtp.js';
import { startWebhookReceiver } from '../helpers/webhook.js';
import { outboundOptions } from '../../src/platform/net/outbound.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const unavailable = new Set<string>();

const testTemplates = {
  'test.welcome': {
    vi: {
      subject: 'Chào mừng {name} đến với Cầu Nối',
      text: 'Xin chào {name},\n\nTài khoản của bạn tại phường Phú Xuân đã sẵn sàng.',
    },
    en: { subject: 'Welcome to Cầu Nối, {name}', text: 'Hello {name},\n\nYour account in Phú Xuân ward is ready.' },
  },
};

beforeAll(async () => {
  smtp = await startSmtp({ failFor: (to) => unavailable.has(to), rejectFor: (to) => to.startsWith('nobody@') });
  t = await testApp({ demo: false, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Cầu Nối <no-reply@caunoi.test>' } });
  t.deps.templates.add(testTemplates);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const makeDue = () => t.db.query(`UPDATE jobs SET run_at = now() WHERE type = 'notify.deliver' AND status = 'queued'`);
const status = async (id: number) => (await notificationStatus(t.db, [id]))[0];

describe('email over SMTP', () => {
  it('delivers the template translated into each recipient’s language', async () => {
    const ids = await send(t.db, [
      {
        channel: 'email',
        recipient: 'lan@example.vn',
        template: 'test.welcome',
        locale: 'vi',
        vars: { name: 'Nguyễn Thị Lan' },
      },
      {
        channel: 'email',
        recipient: 'anna@example.org',
        template: 'test.welcome',
        locale: 'en',
        vars: { name: 'Anna' },
      },
    ]);
    expect(ids).toHaveLength(2);
    // Recorded and queued, not yet sent.
    expect((await status(ids[0])).status).toBe('queued');
    await t.drainJobs();
    const mails = await smtp.waitFor(2);
    const vi = mails.find((m) => m.to.includes('lan@example.vn'))!;
    const en = mails.find((m) => m.to.includes('anna@example.org'))!;
    expect(vi.subject).toBe('Chào mừng Nguyễn Thị Lan đến với Cầu Nối');
    expect(vi.text).toContain('Tài khoản của bạn tại phường Phú Xuân đã sẵn sàng.');
    expect(en.subject).toBe('Welcome to Cầu Nối, Anna');
    expect(en.text).toContain('Your account in Phú Xuân ward is ready.');
    expect(vi.from).toBe('no-reply@caunoi.test');
    for (const id of ids) expect(await status(id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
  });

  it('retries a recipient the server refuses for now, and sends once it accepts', async () => {
    unavailable.add('later@example.vn');
    const before = smtp.mails.length;
    const [id] = await send(t.db, [
      {
        channel: 'email',
        recipient: 'later@example.vn',
        template: 'auth.password-reset',
        locale: 'en',
        vars: { name: 'Minh', url: 'http://test.local/reset/abc' },
      },
    ]);
    await t.drainJobs();
    expect(await status(id)).toMatchObject({ status: 'retrying', attempts: 1 });
    expect((await status(id)).last_error).toMatch(/450|unavailable/);
    expect(smtp.refused).toContainEqual({ to: 'later@example.vn', code: 450 });
    expect(smtp.mails.length).toBe(before);
    // The job waits for its back-off: nothing happens on an immediate drain.
    await t.drainJobs();
    expect((await status(id)).attempts).toBe(1);

    unavailable.delete('later@example.vn');
    await makeDue();
    await t.drainJobs();
    expect(await status(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    const mail = smtp.mails.find((m) => m.to.includes('later@example.vn'))!;
    expect(mail.subject).toBe('Reset your Cầu Nối password');
    expect(mail.text).toContain('http://test.local/reset/abc');
  });

  it('marks a permanently refused address failed at once, with the reason', async () => {
    const [id] = await send(t.db, [
      { channel: 'email', recipient: 'nobody@example.vn', template: 'test.welcome', vars: { name: 'X' } },
    ]);
    await t.drainJobs();
    const s = await status(id);
    expect(s).toMatchObject({ status: 'failed', attempts: 1 });
    expect(s.last_error).toMatch(/550|no such mailbox/);
    const job = await t.db.one<{ status: string }>(
      `SELECT status FROM jobs WHERE type = 'notify.deliver' AND (payload->>'notificationId')::bigint = $1`,
      [id],
    );
    expect(job!.status).toBe('dead');
  });

  it('gives up after the last attempt on a server that never accepts, and keeps the row as failed', async () => {
    unavailable.add('forever@example.vn');
    const [id] = await send(t.db, [
      { channel: 'email', recipient: 'forever@example.vn', template: 'test.welcome', vars: { name: 'Y' } },
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      await makeDue();
      await t.drainJobs();
      seen.push((await status(id)).status);
    }
    expect(seen.slice(0, 5)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'retrying']);
    expect(await status(id)).toMatchObject({ status: 'failed', attempts: 6 });
    expect(smtp.refused.filter((r) => r.to === 'forever@example.vn')).toHaveLength(6);
  });

  it('fails a message whose template does not exist instead of retrying it', async () => {
    const [id] = await send(t.db, [
      { channel: 'email', recipient: 'lan@example.vn', template: 'test.no-such-template' },
    ]);
    await t.drainJobs();
    expect(await status(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'unknown message template: test.no-such-template',
    });
  });
});

describe('signed webhooks', () => {
  it('signs each delivery, and retries through the queue when the receiver fails', async () => {
    const secret = 'whsec_test_bí_mật';
    const hook = await startWebhookReceiver({ secret, failTimes: 1 });
    const other = await startWebhookReceiver({ secret: 'other' });
    t.allowOutbound(hook.url, other.url);
    try {
      const ep = await addWebhookEndpoint(t.db, {
        name: 'Zalo OA bridge',
        url: hook.url,
        secret,
        events: ['crisis.published'],
      });
      await addWebhookEndpoint(t.db, {
        name: 'only mailbox',
        url: other.url,
        secret: 'other',
        events: ['mailbox.answered'],
      });
      const ids = await sendWebhookEvent(
        t.db,
        'crisis.published',
        { id: 7, title: 'Bão số 3: sơ tán khẩn cấp' },
        { type: 'crisis.statement', id: 7 },
      );
      expect(ids).toHaveLength(1);
      await t.drainJobs();
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]).toMatchObject({ verified: true, answered: 500, event: 'crisis.published' });
      expect(await status(ids[0])).toMatchObject({
        status: 'retrying',
        attempts: 1,
        last_error: 'webhook answered 500',
      });

      await makeDue();
      await t.drainJobs();
      expect(hook.received).toHaveLength(2);
      const last = hook.received[1];
      expect(last).toMatchObject({ verified: true, answered: 204 });
      expect(last.json.event).toBe('crisis.published');
      expect(last.json.data).toEqual({ id: 7, title: 'Bão số 3: sơ tán khẩn cấp' });
      expect(last.signature).toBe(signWebhook(ep.secret, last.timestamp!, last.body));
      expect(Math.abs(Number(last.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(other.received).toHaveLength(0);
      const job = await t.db.one<{ max_attempts: number }>(
        `SELECT max_attempts FROM jobs WHERE type = 'notify.deliver' AND (payload->>'notificationId')::bigint = $1`,
        [ids[0]],
      );
      expect(job!.max_attempts).toBe(10);
      const d = await deliveriesFor(t.db, 'crisis.statement', 7);
      expect(d).toMatchObject([{ channel: 'webhook', recipient: String(ep.id), status: 'sent', attempts: 2 }]);
    } finally {
      await hook.close();
      await other.close();
    }
  });

  it('a receiver refuses a wrong secret, a changed body and a replayed old timestamp', () => {
    const body = JSON.stringify({ event: 'x', data: { a: 1 } });
    const now = Math.floor(Date.now() / 1000);
    const ts = String(now);
    const sig = signWebhook('s3cret', ts, body);
    expect(verifyWebhookSignature('s3cret', ts, body, sig)).toBe(true);
    expect(verifyWebhookSignature('wrong', ts, body, sig)).toBe(false);
    expect(verifyWebhookSignature('s3cret', ts, body.replace('1', '2'), sig)).toBe(false);
    const old = String(now - 3600);
    expect(verifyWebhookSignature('s3cret', old, body, signWebhook('s3cret', old, body))).toBe(false);
    expect(verifyWebhookSignature('s3cret', ts, body, undefined)).toBe(false);
  });

  it('an endpoint that answers with a bad signature check (401) is retried, not dropped', async () => {
    const hook = await startWebhookReceiver({ secret: 'the-real-secret' });
    t.allowOutbound(hook.url);
    try {
      await addWebhookEndpoint(t.db, {
        name: 'misconfigured',
        url: hook.url,
        secret: 'a-different-secret',
        events: ['desk.fact-check'],
      });
      const [id] = await sendWebhookEvent(t.db, 'desk.fact-check', { id: 1 });
      await t.drainJobs();
      expect(hook.received[0]).toMatchObject({ verified: false, answered: 401 });
      expect(await status(id)).toMatchObject({ status: 'retrying', last_error: 'webhook answered 401' });
    } finally {
      await hook.close();
    }
  });
});

describe('web push', () => {
  it('sends an encrypted, translated payload with a VAPID header the push service can verify', async () => {
    const service = await startPushService();
    t.allowOutbound(service.origin);
    try {
      const browser = makeBrowserKeys();
      const subId = await savePushSubscription(
        t.db,
        null,
        browser.subscription(service.endpoint('device-1')),
        outboundOptions(t.deps.config),
      );
      const [id] = await send(t.db, [
        {
          channel: 'push',
          recipient: String(subId),
          template: 'test.welcome',
          locale: 'vi',
          vars: { name: 'Lan', url: '/crisis/1' },
        },
      ]);
      await t.drainJobs();
      expect(service.requests).toHaveLength(1);
      const req = service.requests[0];
      expect(req.path).toBe('/push/device-1');
      expect(req.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(req.headers.ttl)).toBeGreaterThan(0);
      const vapid = await getOrCreateVapidKeys(t.db);
      const check = checkVapid(req.headers.authorization, vapid.publicKey, service.origin);
      expect(check.reason).toBeUndefined();
      expect(check.ok).toBe(true);
      expect(check.claims?.aud).toBe(service.origin);
      // A forged key or another origin would not pass.
      expect(
        checkVapid(req.headers.authorization, makeBrowserKeys().subscription('x').keys.p256dh, service.origin).ok,
      ).toBe(false);
      expect(checkVapid(req.headers.authorization, vapid.publicKey, 'https://push.example.com').ok).toBe(false);
      // The body is not readable on the wire, but the browser's keys decrypt it.
      expect(req.body.toString('latin1')).not.toContain('Lan');
      expect(JSON.parse(decryptPush(req.body, browser))).toEqual({
        title: 'Chào mừng Lan đến với Cầu Nối',
        body: 'Xin chào Lan,\n\nTài khoản của bạn tại phường Phú Xuân đã sẵn sàng.',
        url: '/crisis/1',
      });
      expect(await status(id)).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      await service.close();
    }
  });

  it('retries when the push service fails, and forgets a subscription the service says is gone', async () => {
    const service = await startPushService({
      answer: (n, r) => (r.path.endsWith('/gone') ? 410 : n === 0 ? 503 : 201),
    });
    t.allowOutbound(service.origin);
    try {
      const flaky = makeBrowserKeys();
      const gone = makeBrowserKeys();
      const user = await t.db.one<{ id: number }>(
        `INSERT INTO users (email, name) VALUES ('push@example.vn', 'Push') RETURNING id`,
      );
      const a = await savePushSubscription(
        t.db,
        user!.id,
        flaky.subscription(service.endpoint('flaky')),
        outboundOptions(t.deps.config),
      );
      const b = await savePushSubscription(
        t.db,
        user!.id,
        gone.subscription(service.endpoint('gone')),
        outboundOptions(t.deps.config),
      );
      // Saving the same endpoint again updates it instead of adding a second one.
      expect(
        await savePushSubscription(
          t.db,
          user!.id,
          flaky.subscription(service.endpoint('flaky')),
          outboundOptions(t.deps.config),
        ),
      ).toBe(a);
      expect(await pushSubscriptionIds(t.db, user!.id)).toEqual([String(a), String(b)]);
      const [na] = await send(t.db, [
        { channel: 'push', recipient: String(a), template: 'test.welcome', locale: 'en', vars: { name: 'Anna' } },
      ]);
      await t.drainJobs();
      expect(await status(na)).toMatchObject({
        status: 'retrying',
        attempts: 1,
        last_error: 'push service answered 503',
      });
      const [nb] = await send(t.db, [
        { channel: 'push', recipient: String(b), template: 'test.welcome', locale: 'en', vars: { name: 'Anna' } },
      ]);
      await makeDue();
      await t.drainJobs();
      expect(await status(na)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(
        JSON.parse(decryptPush(service.requests.filter((r) => r.path.endsWith('/flaky')).at(-1)!.body, flaky)).title,
      ).toBe('Welcome to Cầu Nối, Anna');
      expect(await status(nb)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(await pushSubscriptionIds(t.db, user!.id)).toEqual([String(a)]);
    } finally {
      await service.close();
    }
  });

  it('refuses what is not a real push subscription', async () => {
    const ok = makeBrowserKeys().subscription('https://fcm.googleapis.com/fcm/send/abc');
    await expect(savePushSubscription(t.db, null, { ...ok, endpoint: 'http://evil.example.com/push' })).rejects.toThrow(
      /https/,
    );
    await expect(savePushSubscription(t.db, null, { ...ok, endpoint: 'javascript:alert(1)' })).rejects.toThrow();
    await expect(savePushSubscription(t.db, null, { ...ok, keys: { ...ok.keys, p256dh: 'AAAA' } })).rejects.toThrow(
      /P-256/,
    );
    await expect(savePushSubscription(t.db, null, { ...ok, keys: { ...ok.keys, auth: 'AAAA' } })).rejects.toThrow(
      /16 bytes/,
    );
    // an endpoint on this machine or a private network is refused (issue 12, finding 8), unless the operator allows it
    await expect(
      savePushSubscription(t.db, null, { ...ok, endpoint: 'http://127.0.0.1:9/push' }, outboundOptions(t.deps.config)),
    ).rejects.toThrow(/outbound\.private/);
    await expect(
      savePushSubscription(
        t.db,
        null,
        { ...ok, endpoint: 'https://169.254.169.254/push' },
        outboundOptions(t.deps.config),
      ),
    ).rejects.toThrow(/outbound\.private/);
    await expect(
      savePushSubscription(t.db, null, { ...ok, endpoint: 'https://10.1.2.3/push' }, outboundOptions(t.deps.config)),
    ).rejects.toThrow(/outbound\.private/);
    await expect(
      savePushSubscription(t.db, null, { ...ok, endpoint: 'https://localhost/push' }, outboundOptions(t.deps.config)),
    ).rejects.toThrow(/outbound\.private/);
    expect(await savePushSubscription(t.db, null, ok, { resolve: async () => ['142.250.66.42'] })).toBeTypeOf('number');
  });
});
