import type { Hono } from 'hono';
import { grantsOfUsers } from '../../platform/auth/repo.js';
import type { AppEnv } from '../context.js';
import { unauthorized } from '../errors.js';

/** The platform's own JSON API: who am I. */
export function apiRoutes(app: Hono<AppEnv>): void {
  app.get('/api/v1/me', async (c) => {
    const p = c.get('principal');
    if (!p) throw unauthorized();
    const grants = await grantsOfUsers(c.get('deps').db, [p.userId]);
    return c.json({
      id: p.userId,
      email: p.email,
      name: p.name,
      locale: p.locale,
      via: p.via,
      ...(p.token ? { scopes: p.token.scopes, expiresAt: p.token.expiresAt?.toISOString() ?? null } : {}),
      roles: grants.map((g) => ({
        role: g.role,
        unit: { id: g.unit_id, name: g.unit_name, path: g.unit_path },
        agencyId: g.agency_id,
        agency: g.agency_id ? { id: g.agency_id, name: g.agency_name } : null,
      })),
    });
  });
}

export const platformApiPaths = {
  '/api/v1/me': {
    get: {
      summary: 'The signed-in account or the bearer token’s owner, with its roles and the units they are granted on',
      security: [{ bearer: [] }],
      responses: {
        '200': {
          description: 'The principal',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Me' } } },
        },
        '401': {
          description: 'No valid token or session',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  },
};

export const platformApiSchemas = {
  Me: {
    type: 'object',
    required: ['id', 'email', 'name', 'roles'],
    properties: {
      id: { type: 'integer' },
      email: { type: 'string', format: 'email' },
      name: { type: 'string' },
      locale: { type: 'string', enum: ['vi', 'en'] },
      via: { type: 'string', enum: ['session', 'token'] },
      scopes: {
        type: 'array',
        items: { type: 'string' },
        description: "A token's scopes: 'read' and the actions it may write with",
      },
      expiresAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When a token stops working (null: never)',
      },
      roles: {
        type: 'array',
        items: {
          type: 'object',
          required: ['role', 'unit'],
          properties: {
            role: { type: 'string', enum: ['admin', 'editor', 'reviewer', 'handler', 'member'] },
            unit: {
              type: 'object',
              properties: { id: { type: 'integer' }, name: { type: 'string' }, path: { type: 'string' } },
            },
            agencyId: { type: ['integer', 'null'] },
            agency: { type: ['object', 'null'], properties: { id: { type: 'integer' }, name: { type: 'string' } } },
          },
        },
      },
    },
  },
};
