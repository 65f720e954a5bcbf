import type { Ctx } from '../../http/context.js';
import type { AppModule } from '../../http/module.js';
import { can } from '../../platform/auth/permissions.js';
import { exchangeCli } from './cli.js';
import { exchangeText } from './i18n.js';
import { exchangeJobs } from './jobs.js';
import { exchangeActions } from './permissions.js';
import * as repo from './repo.js';
import { adminRoutes } from './routes/admin.js';
import { feedRoutes } from './routes/feed.js';
import { publicRoutes } from './routes/public.js';
import { WarningsSection } from './views/admin.js';
import { CLUSTERS_PATH, FEED_PATH } from './service/publish.js';

const label = (k: 'nav.public' | 'nav.staff' | 'nav.warnings') => ({ vi: exchangeText.vi[k], en: exchangeText.en[k] });

/** exchange: signed fact-check exchange between installations, import of unsigned ClaimReview, early warning. */
export const exchangeModule: AppModule = {
  name: 'exchange',
  routes(app) {
    feedRoutes(app);
    publicRoutes(app);
    adminRoutes(app);
  },
  jobs: exchangeJobs,
  actions: exchangeActions,
  staffMenu: [
    { href: '/staff/exchange', label: label('nav.staff'), action: 'exchange.manage' },
    { href: '/staff/exchange/warnings', label: label('nav.warnings'), action: 'exchange.warnings' },
  ],
  publicNav: [{ href: '/exchange', label: label('nav.public') }],
  async staffSection(c: Ctx) {
    if (!can(c.get('principal'), 'exchange.warnings')) return null;
    const rows = await repo.listWarnings(c.get('deps').db, 200);
    if (!rows.length) return null;
    return WarningsSection({ locale: c.get('locale'), n: rows.length });
  },
  cli: exchangeCli,
  openapi: {
    paths: {
      [FEED_PATH]: {
        get: {
          summary:
            "Signed schema.org DataFeed of this installation's fact-checks as ClaimReview, newest change first; withdrawn ones as tombstones (dateDeleted, description = reason). Detached Ed25519 signature over the body in X-Caunoi-Signature, key in X-Caunoi-Key-Id (see /.well-known/caunoi-statements.json). ETag/304.",
          tags: ['exchange'],
          parameters: [
            {
              name: 'since',
              in: 'query',
              schema: { type: 'string', format: 'date-time' },
              description: 'changes at or after this time',
            },
            { name: 'before', in: 'query', schema: { type: 'string' }, description: 'continuation from nextPage' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
          ],
          responses: {
            '200': { description: 'DataFeed', content: { 'application/ld+json': {} } },
            '304': { description: 'Not modified' },
            '400': { description: 'Bad parameter' },
          },
        },
      },
      [CLUSTERS_PATH]: {
        get: {
          summary:
            "Open claim clusters (personal data removed; never who asked), for partners this office chose; the request is signed by the partner's key (X-Caunoi-Key-Id, X-Caunoi-Date, X-Caunoi-Signature).",
          tags: ['exchange'],
          responses: {
            '200': { description: 'Signed DataFeed', content: { 'application/ld+json': {} } },
            '403': { description: 'Not a partner this office shares with' },
          },
        },
      },
    },
  },
};
