import { afterAll, beforeAll, expect, it } from 'vitest';
import { messengerSignature } from '../../src/modules/tipline/service/channels/messenger.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { startMessenger } from './fakes/messenger.js';

let t: TestApp;
let fb: Awaited<ReturnType<typeof startMessenger>>;
beforeAll(async () => {
  fb = await startMessenger('page-token');
  t = await testApp({
    env: {
      MESSENGER_PAGE_TOKEN: 'page-token',
      MESSENGER_APP_SECRET: 'app-secret',
      MESSENGER_VERIFY_TOKEN: 'v',
      MESSENGER_API_BASE: fb.url,
      OUTBOUND_ALLOW_HOSTS: fb.host,
    },
  });
});
afterAll(async () => {
  await t?.close();
  await fb?.close();
});

// Meta batches events: up to 50 messaging events in one webhook call
const batch = (events: { psid: string; text: string; mid: string }[]) => {
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: Date.now(),
        messaging: events.map((e) => ({
          sender: { id: e.psid },
          recipient: { id: 'PAGE' },
          timestamp: Date.now(),
          message: { mid: e.mid, text: e.text },
        })),
      },
    ],
  });
  return t.app.request('/tipline/messenger', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': messengerSignature('app-secret', body) },
  });
};

it('a storm of 1,000 messages in a minute from one person: all taken, kept, one "slow down", others not slowed', async () => {
  const started = Date.now();
  for (let i = 0; i < 1000; i += 50) {
    const events = Array.from({ length: 50 }, (_, k) => ({
      psid: 'storm',
      text: `tin số ${i + k}`,
      mid: `m.${i + k}`,
    }));
    // another resident writes in the middle of the storm
    if (i === 500) events.push({ psid: 'calm', text: 'menu', mid: 'calm.1' });
    expect((await batch(events)).status).toBe(200);
  }
  // the limit counts per minute window: a slow machine may spread the storm over more than one
  const windows = Math.ceil((Date.now() - started) / 60_000) + 1;
  await t.drainJobs();
  const storm = fb.to('storm');
  // one "slow down" per window and at most 30 answered messages per window
  const slow = storm.filter((m) => m.text.includes('quá nhiều tin')).length;
  expect(slow).toBeGreaterThanOrEqual(1);
  // what the platform decided to send (a send retried after a timeout on an overloaded machine may arrive twice)
  const decided = await t.db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM tipline_messages m JOIN tipline_users u ON u.id = m.user_id
     WHERE u.address = 'storm' AND m.direction = 'out' AND m.body LIKE '%quá nhiều tin%'`,
  );
  expect(decided!.n).toBeGreaterThanOrEqual(1);
  expect(decided!.n).toBeLessThanOrEqual(windows);
  expect(storm.length - slow).toBeLessThanOrEqual(30 * windows);
  expect(fb.to('calm')).toHaveLength(1);
  expect(fb.to('calm')[0]!.text).toContain('Hộp thư kết nối');
  // nothing is lost: every message is either answered or kept for staff
  const kept = await t.db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM tipline_messages m JOIN tipline_users u ON u.id = m.user_id WHERE u.address = 'storm' AND m.direction = 'in'`,
  );
  expect(kept!.n).toBe(1000);
  // the inbound jobs queued for the stormer stay bounded (others are not stuck behind 1,000 jobs)
  const jobs = await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE type = 'tipline.inbound'`);
  expect(jobs!.n).toBeLessThanOrEqual(30 * windows + 1);
}, 240_000);
