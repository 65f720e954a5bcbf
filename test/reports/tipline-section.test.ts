/** The period report shows the tiplines' figures (issue 17) in their own section, from the module's figures(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import type { AppModule } from '../../src/http/module.js';
import { createReportsModule } from '../../src/modules/reports/index.js';
import { testApp, TestClient, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeUser, realUnit } from '../helpers/factories.js';

describe(`reports: the chat channels' section (${testDbKind()})`, () => {
  let t: TestApp;
  let app: ReturnType<typeof createApp>;
  const march = (q: { from: Date }) => q.from.toISOString().startsWith('2026-02-28T17:00');
  const tipline: AppModule = {
    name: 'tipline',
    async figures(_db, q) {
      const now = march(q);
      return {
        tipline: {
          questionsReceived: now ? 12 : 4,
          answeredInstantly: now ? 7 : 1,
          answeredLater: now ? 3 : 2,
          medianHoursToAnswer: now ? 5.5 : null,
          byChannel: [],
          subscribersByUnit: [],
          subscribers: now ? 40 : 30,
        },
      };
    },
  };

  beforeAll(async () => {
    t = await testApp({ demo: false });
    await makeUser(t.db, { email: 'admin@tipline-section.test', role: 'admin', unit: await realUnit(t.db, '46') });
    const rm = createReportsModule(() => [tipline]);
    app = createApp(t.deps, [tipline, rm]);
  });
  afterAll(async () => {
    await t.close();
  });

  const rowOf = (html: string, label: string) => {
    const i = html.indexOf(`>${label}</th>`);
    expect(i, `row ${label}`).toBeGreaterThan(-1);
    return [...html.slice(i, html.indexOf('</tr>', i)).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  };

  it('lists questions asked in the chats, answered at once and later, time to answer and subscribers, against the month before', async () => {
    const c = new TestClient(app);
    await c.signIn('admin@tipline-section.test', 'demo1234');
    const vi = await c.get('/staff/reports?period=2026-03');
    expect(vi.status).toBe(200);
    expect(vi.text).toContain('Kênh trò chuyện (Zalo, Messenger, Telegram)');
    expect(rowOf(vi.text, 'Câu hỏi &quot;có thật không?&quot; qua kênh trò chuyện').slice(0, 2)).toEqual(['12', '4']);
    expect(rowOf(vi.text, 'Trả lời ngay').slice(0, 2)).toEqual(['7', '1']);
    expect(rowOf(vi.text, 'Thời gian trả lời sau (giờ, trung vị)').slice(0, 2)).toEqual(['5,5', '—']);
    const en = await c.get('/staff/reports?period=2026-03&lang=en');
    expect(rowOf(en.text, 'Crisis-alert subscribers').slice(0, 2)).toEqual(['40', '30']);
  });
});
