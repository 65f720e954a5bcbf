import type { Ctx } from '../../http/context.js';
import type { AppModule } from '../../http/module.js';
import { can } from '../../platform/auth/permissions.js';
import type { CrisisFigures } from '../../platform/figures.js';
import { crisisText } from './i18n.js';
import { distributionTemplates } from './service/distribution.js';
import { crisisActions } from './permissions.js';
import * as repo from './repo.js';
import { crisisRoutes } from './routes/index.js';
import { seedCrisisDemo } from './demo.js';
import { parseVnDateTime } from './service/forms.js';
import { CrisisError, markKeyCompromised, crisisJobs, rotateSigningKey } from './service.js';
import { HomeBanner, StaffSection } from './views/public.js';

const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

/** crisis: incidents, signed official statements, distribution, CAP 1.2 alerts, after-action records. */
export const crisisModule: AppModule = {
  name: 'crisis',
  routes: crisisRoutes,
  jobs: (deps) => crisisJobs(() => ({ baseUrl: deps.config.baseUrl, orgName: deps.config.ORG_NAME })),
  actions: crisisActions,
  templates: distributionTemplates,
  seedDemo: seedCrisisDemo,
  staffMenu: [
    {
      href: '/staff/crisis',
      label: { vi: crisisText.vi['nav.staff'], en: crisisText.en['nav.staff'] },
      action: 'crisis.view',
    },
  ],
  publicNav: [
    { href: '/incidents', label: { vi: crisisText.vi['nav.incidents'], en: crisisText.en['nav.incidents'] } },
    { href: '/verify', label: { vi: 'Kiểm tra văn bản', en: 'Verify a notice' } },
  ],
  homePriority: 0,
  async homeSection(c: Ctx) {
    const active = await repo.listIncidents(c.get('deps').db, { statuses: ['active', 'monitoring'], limit: 3 });
    return active.length ? HomeBanner({ locale: c.get('locale'), incidents: active }) : null;
  },
  async staffSection(c: Ctx) {
    const p = c.get('principal');
    if (!can(p, 'crisis.view') && !can(p, 'crisis.draft')) return null;
    const db = c.get('deps').db;
    const t = crisisText.t(c.get('locale'));
    const [active, awaiting] = await Promise.all([
      repo.listIncidents(db, { statuses: ['active', 'monitoring'] }),
      repo.awaitingCount(db),
    ]);
    return StaffSection({
      title: t('staff.title'),
      line: `${t('staff.activeCount', { n: active.length })} · ${t('staff.awaitingCount', { n: awaiting })}`,
    });
  },
  cli: {
    'crisis-rotate-key': {
      summary:
        '--reason "..." [--compromised-since "2026-11-23 08:00"]: retire the statement signing key and make a new one',
      async run({ deps, flags, out }) {
        const reason = typeof flags.reason === 'string' ? flags.reason : '';
        const sinceFlag = flags['compromised-since'];
        if (reason.trim().length < 3 || sinceFlag === true) {
          out(
            'usage: npm run cli -- crisis-rotate-key --reason "why" [--compromised-since "YYYY-MM-DD HH:MM" (Vietnam time) or ISO 8601]',
          );
          return 2;
        }
        let since: Date | null = null;
        if (typeof sinceFlag === 'string') {
          since = parseVnDateTime(sinceFlag);
          if (!since) {
            out(`not a time: ${sinceFlag} (use "YYYY-MM-DD HH:MM", Vietnam time, or ISO 8601)`);
            return 2;
          }
        }
        try {
          const r = await rotateSigningKey(deps, null, { reason, compromisedSince: since });
          out(
            `retired key ${r.retired.keyId} (valid ${r.retired.validFrom} – ${r.retired.validUntil})${r.retired.compromisedSince ? `, compromised since ${r.retired.compromisedSince}: ${r.flagged} statement(s) now show a warning` : ''}`,
          );
          out(`current key ${r.current.keyId} (valid from ${r.current.validFrom})`);
        } catch (e) {
          if (e instanceof CrisisError && e.status === 422) {
            out(Object.values(e.fieldMessages('en')).join('\n'));
            return 2;
          }
          throw e;
        }
      },
    },
    'crisis-key-compromised': {
      summary: '--key KEYID --since "2026-11-23 08:00" --reason "...": mark a retired signing key as leaked since then',
      async run({ deps, flags, out }) {
        const keyId = typeof flags.key === 'string' ? flags.key : '';
        const sinceText = typeof flags.since === 'string' ? flags.since : '';
        const reason = typeof flags.reason === 'string' ? flags.reason : '';
        if (!keyId || !sinceText || reason.trim().length < 3) {
          out(
            'usage: npm run cli -- crisis-key-compromised --key KEYID --since "YYYY-MM-DD HH:MM" (Vietnam time) or ISO 8601 --reason "why"',
          );
          return 2;
        }
        const since = parseVnDateTime(sinceText);
        if (!since) {
          out(`not a time: ${sinceText} (use "YYYY-MM-DD HH:MM", Vietnam time, or ISO 8601)`);
          return 2;
        }
        try {
          const r = await markKeyCompromised(deps, null, { keyId, since, reason });
          out(
            `key ${r.key.keyId} compromised since ${r.key.compromisedSince}: ${r.flagged} statement(s) now show a warning`,
          );
        } catch (e) {
          if (e instanceof CrisisError && e.status === 422) {
            out(Object.values(e.fieldMessages('en')).join('\n'));
            return 2;
          }
          throw e;
        }
      },
    },
  },
  async figures(db, q) {
    const r = await repo.figureCounts(db, q.unitPath, q.from, q.to);
    const crisis: CrisisFigures = {
      incidents: r.incidents,
      statements: r.statements,
      deliveries: r.deliveries,
      delivered: r.delivered,
      deliverySuccessRate: r.deliveries ? r.delivered / r.deliveries : null,
    };
    return { crisis };
  },
  openapi: {
    paths: {
      '/api/v1/crisis/incidents': {
        get: {
          summary: 'Incidents (newest first)',
          tags: ['crisis'],
          responses: {
            '200': json({
              type: 'object',
              properties: { items: { type: 'array', items: { $ref: '#/components/schemas/CrisisIncident' } } },
            }),
          },
        },
      },
      '/api/v1/crisis/incidents/{id}': {
        get: {
          summary: 'One incident with its released statements',
          tags: ['crisis'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': json({ $ref: '#/components/schemas/CrisisIncident' }),
            '404': json({ $ref: '#/components/schemas/Error' }, 'Not found'),
          },
        },
      },
      '/api/v1/crisis/statements': {
        get: {
          summary: 'Released official statements, signed',
          tags: ['crisis'],
          responses: {
            '200': json({
              type: 'object',
              properties: { items: { type: 'array', items: { $ref: '#/components/schemas/CrisisStatement' } } },
            }),
          },
        },
      },
      '/api/v1/crisis/verify': {
        get: {
          summary: 'Checks a verification code against what was issued',
          tags: ['crisis'],
          parameters: [{ name: 'code', in: 'query', required: true, schema: { type: 'string', example: 'ABCD-EFGH' } }],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                genuine: { type: 'boolean' },
                signatureValid: { type: 'boolean' },
                signatureStatus: {
                  type: 'string',
                  enum: ['valid', 'bad', 'unknown-key', 'key-retired', 'key-not-yet-valid', 'compromised'],
                },
                key: { type: ['object', 'null'] },
                statement: { $ref: '#/components/schemas/CrisisStatement' },
              },
            }),
            '422': json({ $ref: '#/components/schemas/Error' }, 'Malformed code'),
          },
        },
        post: {
          summary:
            'Checks a pasted text against what was issued (Unicode NFC, whitespace collapsed; any other change fails)',
          tags: ['crisis'],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['text'],
                  properties: { text: { type: 'string', minLength: 20, maxLength: 20000 } },
                },
              },
            },
          },
          responses: {
            '200': json({
              type: 'object',
              properties: {
                genuine: { type: 'boolean' },
                signatureStatus: {
                  type: 'string',
                  enum: ['valid', 'bad', 'unknown-key', 'key-retired', 'key-not-yet-valid', 'compromised'],
                },
                key: { type: ['object', 'null'] },
                statement: { $ref: '#/components/schemas/CrisisStatement' },
                closest: { type: ['object', 'null'] },
              },
            }),
            '422': json({ $ref: '#/components/schemas/Error' }, 'Text too short'),
          },
        },
      },
      '/alerts.atom': {
        get: {
          summary: 'Atom index of active CAP 1.2 alerts',
          tags: ['crisis'],
          responses: { '200': { description: 'Atom feed', content: { 'application/atom+xml': {} } } },
        },
      },
      '/alerts/{id}.cap.xml': {
        get: {
          summary: 'One CAP 1.2 alert',
          tags: ['crisis'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'CAP 1.2 XML', content: { 'application/cap+xml': {} } } },
        },
      },
      '/.well-known/caunoi-statements.pub': {
        get: {
          summary: 'Ed25519 public key (PEM) that signs official statements',
          tags: ['crisis'],
          responses: { '200': { description: 'PEM', content: { 'application/x-pem-file': {} } } },
        },
      },
      '/.well-known/caunoi-statements.json': {
        get: {
          summary:
            'The current public key (top level, as before rotation) and every key with its validity period, current first',
          tags: ['crisis'],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                keyId: { type: 'string' },
                algorithm: { type: 'string' },
                publicKeyPem: { type: 'string' },
                createdAt: { type: 'string', format: 'date-time' },
                signedForm: { type: 'string' },
                validity: { type: 'string' },
                keys: { type: 'array', items: { $ref: '#/components/schemas/CrisisSigningKey' } },
              },
            }),
          },
        },
      },
    },
    schemas: {
      CrisisSigningKey: {
        type: 'object',
        properties: {
          keyId: { type: 'string', description: 'First 16 hex digits of SHA-256 over the SPKI DER' },
          algorithm: { type: 'string', enum: ['Ed25519'] },
          publicKeyPem: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          validFrom: { type: 'string', format: 'date-time' },
          validUntil: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'Retirement time; null for the current key',
          },
          status: { type: 'string', enum: ['current', 'retired', 'compromised'] },
          compromisedSince: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'Statements released at or after this time are not to be trusted',
          },
        },
      },
      CrisisIncident: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          title: { type: 'string' },
          titleEn: { type: ['string', 'null'] },
          type: { type: 'string', enum: ['natural', 'public_order', 'health', 'infrastructure', 'other'] },
          severity: { type: 'string', enum: ['minor', 'moderate', 'severe', 'extreme'] },
          status: { type: 'string', enum: ['active', 'monitoring', 'closed'] },
          spokesperson: { type: 'object' },
          hotlines: { type: 'array', items: { type: 'string' } },
          url: { type: 'string' },
        },
      },
      CrisisStatement: {
        type: 'object',
        properties: {
          number: { type: 'string', example: '2026-001' },
          kind: { type: 'string', enum: ['notice', 'update', 'correction'] },
          title: { type: 'string' },
          body: { type: 'string' },
          releasedAt: { type: 'string', format: 'date-time' },
          code: { type: 'string' },
          signature: { type: 'string', description: 'Ed25519, base64' },
          keyId: { type: 'string' },
          url: { type: 'string' },
          verifyUrl: { type: 'string' },
        },
      },
    },
  },
};
