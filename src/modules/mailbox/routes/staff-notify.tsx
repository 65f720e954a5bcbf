/** /staff/mailbox/notifications: a staff member's choice of e-mail (as it happens, digest, none) and their browsers' web push. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { actor, need, staff } from '../../../http/guard.js';
import { common } from '../../../platform/i18n/common.js';
import { PushSubscriptionError, type PushSubscriptionInput } from '../../../platform/notify/notify.js';
import { notifySettings, saveNotifySettings, savePush } from '../service/staff-notify.js';
import { NotifyPage } from '../views/notify.js';
import { pt } from '../views/practice-i18n.js';
import { submit, text } from './forms.js';

/** Asks for permission, subscribes with the installation's VAPID key and hands the subscription to the server. */
const PAGE_JS = `(function () {
  var btn = document.getElementById('push-enable');
  var out = document.getElementById('push-status');
  if (!btn || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
  btn.hidden = false;
  function key(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(s + '==='.slice((s.length + 3) % 4));
    var a = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) a[i] = raw.charCodeAt(i);
    return a;
  }
  btn.addEventListener('click', function () {
    navigator.serviceWorker.register('/staff/mailbox/notifications/sw.js').then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(btn.dataset.key) });
    }).then(function (sub) {
      return fetch('/staff/mailbox/notifications/push', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': btn.dataset.csrf }, body: JSON.stringify(sub) });
    }).then(function (r) { out.textContent = r.ok ? btn.dataset.ok : btn.dataset.fail; }, function () { out.textContent = btn.dataset.fail; });
  });
})();
`;

/** The service worker: shows the decrypted {title, body, url} and opens the report when clicked. */
const WORKER_JS = `self.addEventListener('push', function (e) {
  var d = {};
  try { d = e.data ? e.data.json() : {}; } catch (_) {}
  e.waitUntil(self.registration.showNotification(d.title || 'Cầu Nối', { body: d.body || '', data: { url: d.url || '/staff/mailbox' } }));
});
self.addEventListener('notificationclick', function (e) {
  e.notification.close();
  e.waitUntil(self.clients.openWindow(e.notification.data.url));
});
`;

const _str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Every signed-in staff member sets their own choice (only mailbox handlers are ever told anything). */
export function staffNotifyRoutes(app: Hono<AppEnv>): void {
  const page = async (c: Ctx, o: { values?: FormValues; errors?: FieldErrors; status?: 200 | 422 } = {}) => {
    const p = staff(c);
    const s = await notifySettings(c.get('deps').db, p);
    return c.html(
      <NotifyPage
        ctx={pageCtx(c)}
        s={s}
        values={o.values}
        errors={o.errors}
        saved={c.req.query('saved') === '1' && !o.errors}
      />,
      o.status ?? 200,
    );
  };

  app.get('/staff/mailbox/notifications', need(), (c) => page(c));

  app.post(
    '/staff/mailbox/notifications',
    need(),
    submit(
      z.object({ mode: text, push: text }),
      (c, refused) => page(c, { ...refused, status: 422 }),
      async (c, f) => {
        await saveNotifySettings(c.get('deps').db, actor(c), f);
        return c.redirect('/staff/mailbox/notifications?saved=1', 303);
      },
    ),
  );

  app.post('/staff/mailbox/notifications/push', need(), async (c) => {
    const locale = c.get('locale');
    const fail = (message: string) =>
      c.json({ error: { code: 'push.badSubscription', message, fields: { subscription: message } } }, 422);
    let sub: PushSubscriptionInput;
    try {
      sub = (await c.req.json()) as PushSubscriptionInput;
    } catch {
      return fail(common.t(locale)('error.validation'));
    }
    try {
      const id = await savePush(c.get('deps'), actor(c), sub);
      return c.json({ id, message: pt.t(locale)('notify.pushOn') }, 201);
    } catch (err) {
      if (err instanceof PushSubscriptionError) return fail(pt.t(locale)('notify.pushFailed'));
      throw err;
    }
  });

  const js = (body: string) => (c: Ctx) =>
    c.body(body, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
  app.get('/staff/mailbox/notifications/push.js', js(PAGE_JS));
  app.get('/staff/mailbox/notifications/sw.js', js(WORKER_JS));
}
