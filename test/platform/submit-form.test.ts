import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../../src/http/context.js';
import { type FormStatus, type Refused, submit } from '../../src/http/forms.js';
import { AppError } from '../../src/platform/errors.js';
import { defineCatalog } from '../../src/platform/i18n/index.js';

const text = defineCatalog(
  { 'x.short': 'Tiêu đề quá ngắn', 'x.taken': 'Tiêu đề «{title}» đã có', 'x.gone': 'Đã có người sửa' },
  { 'x.short': 'Title too short', 'x.taken': 'Title «{title}» is taken', 'x.gone': 'Someone changed it' },
);
const schema = z.object({ title: z.string().trim().min(5, 'x.short'), note: z.string().optional() });

/** The form shown again: its status argument, the messages and what was typed, as a page would show them. */
const render = (c: Parameters<Parameters<typeof submit>[1]>[0], r: Refused, status: FormStatus) =>
  c.json({ shown: status, ...r });

function app(run: (title: string) => Promise<void>, refuse?: number[]) {
  const a = new Hono<AppEnv>();
  a.use('*', async (c, next) => {
    c.set('locale', 'en');
    await next();
  });
  a.onError((e, c) => c.text(`error page: ${e.message}`, e instanceof AppError ? e.status : 500));
  a.post(
    '/f',
    submit(
      schema,
      render,
      async (c, data) => {
        await run(data.title);
        return c.text(`saved ${data.title}`);
      },
      { catalog: text, refuse, picker: { names: 'unit' } },
    ),
  );
  return a;
}
const post = (a: Hono<AppEnv>, fields: Record<string, string>) =>
  a.request('/f', { method: 'POST', body: new URLSearchParams(fields) });

describe('submit()', () => {
  it('saves valid input and refuses a short title with the typed values and the translated message', async () => {
    const saved: string[] = [];
    const a = app(async (t) => void saved.push(t));
    const ok = await post(a, { title: '  Đường ngập  ', note: 'x' });
    expect(await ok.text()).toBe('saved Đường ngập');
    const bad = await post(a, { title: 'abc', note: 'kept as typed' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      shown: 422,
      values: { title: 'abc', note: 'kept as typed' },
      errors: { title: 'Title too short' },
    });
    expect(saved).toEqual(['Đường ngập']);
  });

  it("shows a service's refusal with fields on the form, 409 kept when asked, other errors to the error page", async () => {
    const taken = new AppError({
      status: 422,
      key: 'x.taken',
      catalog: text as never,
      fields: { title: 'x.taken' },
      vars: { title: 'Hà Nội' },
    });
    const r = await post(
      app(async () => {
        throw taken;
      }),
      { title: 'Hà Nội ơi', note: 'n' },
    );
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({
      shown: 422,
      values: { title: 'Hà Nội ơi', note: 'n' },
      errors: { title: 'Title «Hà Nội» is taken' },
    });

    const changed = new AppError({ status: 409, key: 'x.gone', catalog: text as never, fields: { title: 'x.gone' } });
    const throws409 = async () => {
      throw changed;
    };
    const kept = await post(app(throws409, [409, 422]), { title: 'Hà Nội ơi' });
    expect(kept.status).toBe(409);
    expect(await kept.json()).toMatchObject({ shown: 409, errors: { title: 'Someone changed it' } });
    // not a refusal this form shows: the error page
    const page = await post(app(throws409), { title: 'Hà Nội ơi' });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('error page');
    const bare = await post(
      app(async () => {
        throw new AppError({ status: 422, key: 'x.gone', catalog: text as never });
      }),
      { title: 'Hà Nội ơi' },
    );
    expect(await bare.text()).toContain('error page');
  });

  it('Enter in a unit picker search box shows the form again with its matches and saves nothing', async () => {
    const saved: string[] = [];
    const r = await post(
      app(async (t) => void saved.push(t)),
      { title: 'abc', unit_q: 'Huế', unit_q0: '', _enter: '1' },
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ shown: 200, errors: {}, values: { title: 'abc', unit_q: 'Huế' } });
    expect(saved).toEqual([]);
  });
});
