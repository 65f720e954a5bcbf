import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../../src/http/context.js';
import { form } from '../../src/http/forms.js';
import { actor, need } from '../../src/http/guard.js';
import { type Principal, defineActions } from '../../src/platform/auth/permissions.js';
import { AppError } from '../../src/platform/errors.js';
import { defineCatalog } from '../../src/platform/i18n/index.js';

const person = (role: 'editor' | 'member'): Principal => ({
  userId: 1,
  email: `${role}@x.test`,
  name: role,
  locale: 'vi',
  grants: [{ role, unitId: 1, unitPath: '1' }],
  via: 'session',
});

function app(who: Principal | null, locale: 'vi' | 'en' = 'vi') {
  const a = new Hono<AppEnv>();
  a.use('*', async (c, next) => {
    c.set('principal', who);
    c.set('locale', locale);
    c.set('ip', '203.0.113.9');
    await next();
  });
  a.onError((e, c) => c.text(e.message, e instanceof AppError ? e.status : 500));
  return a;
}

const text = defineCatalog({ 'x.short': 'Tiêu đề quá ngắn' }, { 'x.short': 'Title too short' });
defineActions({ 'test.edit': ['editor'] });
const schema = z.object({ title: z.string().trim().min(5, 'x.short'), note: z.string().max(3).optional() });

describe('need()', () => {
  it('lets through a staff member who may act, refuses others and asks strangers to sign in', async () => {
    const mk = (who: Principal | null) => {
      const a = app(who);
      a.post('/x', need('test.edit'), (c) => c.json(actor(c)));
      return a;
    };
    const ok = await mk(person('editor')).request('/x', { method: 'POST' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ principal: { email: 'editor@x.test' }, ip: '203.0.113.9' });
    expect((await mk(person('member')).request('/x', { method: 'POST' })).status).toBe(403);
    expect((await mk(null).request('/x', { method: 'POST' })).status).toBe(401);
  });

  it('without an action it asks only for a staff account', async () => {
    const a = app(person('member'));
    a.get('/y', need(), (c) => c.text('in'));
    expect(await (await a.request('/y')).text()).toBe('in');
  });
});

describe('form()', () => {
  const post = (a: Hono<AppEnv>, fields: Record<string, string>) =>
    a.request('/f', { method: 'POST', body: new URLSearchParams(fields) });
  const mk = (locale: 'vi' | 'en') => {
    const a = app(person('editor'), locale);
    a.post(
      '/f',
      form(schema, (c, r) => c.json(r), text),
      (c) => c.json({ saved: c.get('form').title }),
    );
    return a;
  };

  it('hands the parsed data to the handler', async () => {
    const res = await post(mk('vi'), { title: '  Cầu Nối  ' });
    expect(await res.json()).toEqual({ saved: 'Cầu Nối' });
  });

  it('answers 422 with what was typed and translated errors beside the fields', async () => {
    const res = await post(mk('vi'), { title: 'abc', note: 'quá dài' });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.values).toEqual({ title: 'abc', note: 'quá dài' });
    expect(body.errors.title).toBe('Tiêu đề quá ngắn');
    expect(body.errors.note).toMatch(/3/);
    const en = await (await post(mk('en'), { title: 'abc' })).json();
    expect(en.errors.title).toBe('Title too short');
  });
});
