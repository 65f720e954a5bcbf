/** Public machine-readable files: the signing keys under /.well-known, the Atom index of CAP alerts, each CAP message. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { notFound } from '../../../http/errors.js';
import { renderAtom, renderCap } from '../service/cap.js';
import * as repo from '../repo.js';
import { capOf } from '../service.js';
import * as service from '../service.js';
import { site } from './helpers.js';
import { pathId } from '../../../http/params.js';

/** /.well-known/caunoi-statements.pub and .json, /alerts.atom, /alerts/:id.cap.xml. */
export function publicFeedRoutes(app: Hono<AppEnv>): void {
  // contract: this path keeps serving the current key as one PEM block, whatever rotations happened
  app.get('/.well-known/caunoi-statements.pub', async (c) => {
    const k = await service.publicKey(c.get('deps').db);
    return c.body(k.publicKeyPem, 200, {
      'content-type': 'application/x-pem-file; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });

  app.get('/.well-known/caunoi-statements.json', async (c) => {
    const keys = await service.publicKeys(c.get('deps').db);
    const { keyId, algorithm, publicKeyPem, createdAt } = keys[0];
    return c.json(
      {
        // the current key, as before rotation existed
        keyId,
        algorithm,
        publicKeyPem,
        createdAt,
        publicKeyUrl: `${site(c).baseUrl}/.well-known/caunoi-statements.pub`,
        signedForm:
          'Ed25519 over UTF-8 JSON {"body","bodyEn","incidentId","number","releasedAt","title","titleEn","v":"caunoi-statement-1"} with keys sorted and texts NFC-normalised, whitespace collapsed',
        validity:
          "A statement verifies with the key named by its keyId only if validFrom <= releasedAt and (validUntil is null or releasedAt < validUntil); a statement released at or after a key's compromisedSince is not to be trusted.",
        // every key, the current one first
        keys,
      },
      200,
      { 'cache-control': 'public, max-age=300' },
    );
  });

  app.get('/alerts.atom', async (c) => {
    const db = c.get('deps').db;
    const info = site(c);
    const alerts = await repo.activeAlerts(db, service.CLOSED_ALERT_KEEP_HOURS);
    const updated = alerts.reduce((m, a) => (new Date(a.sent_at) > m ? new Date(a.sent_at) : m), new Date(0));
    const xml = renderAtom({
      id: `${info.baseUrl}/alerts.atom`,
      title: `${info.orgName} — CAP`,
      self: `${info.baseUrl}/alerts.atom`,
      alternate: `${info.baseUrl}/incidents`,
      updated: alerts.length ? updated : new Date(),
      author: info.orgName,
      entries: alerts.map((a) => {
        const cap = capOf(a);
        return {
          id: `${info.baseUrl}/alerts/${a.id}.cap.xml`,
          title: cap.info[0]?.headline ?? a.title,
          updated: new Date(a.sent_at),
          link: `${info.baseUrl}/alerts/${a.id}.cap.xml`,
          summary: `${a.msg_type}: ${cap.info[0]?.event ?? ''} — ${cap.area.areaDesc}`,
        };
      }),
    });
    return c.body(xml, 200, {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': 'public, max-age=30',
    });
  });

  app.get('/alerts/:file{[0-9]+\\.cap\\.xml}', async (c) => {
    const id = pathId(c, 'file');
    const a = await repo.getAlert(c.get('deps').db, id);
    if (!a) throw notFound();
    return c.body(renderCap(capOf(a)), 200, {
      'content-type': 'application/cap+xml; charset=utf-8',
      'cache-control': 'public, max-age=86400, immutable',
    });
  });
}
