import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { crisisApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await crisisApp(); });
afterAll(async () => { await t?.close(); });

describe('crisis demo data and public pages', () => {
  it('lists the active incident and the closed one, and the notice outside incidents', async () => {
    const page = await t.client().get('/incidents');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mưa lớn gây ngập úng');
    expect(page.text).toContain('Mất điện diện rộng');
    expect(page.text).toContain('lịch tiếp công dân');
  });
  it('home page shows the active incident banner', async () => {
    const page = await t.client().get('/');
    expect(page.text).toContain('Đang có sự cố: Mưa lớn gây ngập úng');
  });
});
