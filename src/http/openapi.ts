import type { AppModule } from './module.js';
import { platformApiPaths, platformApiSchemas } from './routes/api.js';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'fields'],
      properties: {
        code: { type: 'string' },
        message: {
          type: 'string',
          description: 'Translated for the request locale (vi by default, en with ?lang=en).',
        },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

/** The OpenAPI 3.1 description: the platform's own paths plus each module's fragment. */
export function buildOpenApi(modules: readonly AppModule[], baseUrl: string) {
  const paths: Record<string, unknown> = {
    '/healthz': { get: { summary: 'Process health', responses: { '200': { description: 'OK' } } } },
    '/readyz': {
      get: {
        summary: 'Database reachable',
        responses: { '200': { description: 'Ready' }, '503': { description: 'Database unavailable' } },
      },
    },
    '/metrics': {
      get: {
        summary:
          'Prometheus metrics (text exposition format); Authorization: Bearer METRICS_TOKEN when that is set, else loopback only',
        responses: {
          '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': { description: 'METRICS_TOKEN is set and the bearer token is missing or wrong' },
          '403': { description: 'METRICS_TOKEN is not set and the request is not from a loopback address' },
        },
      },
    },
    ...platformApiPaths,
  };
  const schemas: Record<string, unknown> = { Error: errorSchema, ...platformApiSchemas };
  for (const m of modules) {
    Object.assign(paths, m.openapi?.paths ?? {});
    Object.assign(schemas, m.openapi?.schemas ?? {});
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cầu Nối API',
      version: '1',
      description: 'JSON API of the Cầu Nối platform. Errors are { "error": { "code", "message", "fields" } }.',
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Token from `npm run cli -- create-token` or the staff area.',
        },
      },
    },
  };
}
