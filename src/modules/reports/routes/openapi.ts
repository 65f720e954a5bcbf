import type { OpenApiFragment } from '../../../http/module.js';

const count = { type: 'integer', minimum: 0 };
const nullable = (t: string) => ({ type: [t, 'null'] });
const breakdown = { type: 'array', items: { $ref: '#/components/schemas/FigureBreakdown' } };

const params = [
  {
    name: 'unit',
    in: 'query',
    description:
      'Official unit code (e.g. 46, 19753), or the unit id when no code matches; its whole subtree counts. Default: the root of your scope.',
    schema: { type: 'string' },
  },
  {
    name: 'from',
    in: 'query',
    description: 'First day (YYYY-MM-DD, Vietnam time).',
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'to',
    in: 'query',
    description: 'Last day included (YYYY-MM-DD).',
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'period',
    in: 'query',
    description: 'Instead of from/to: 2026-03 (month), 2026-Q1 (quarter) or 2026 (year).',
    schema: { type: 'string' },
  },
  {
    name: 'lang',
    in: 'query',
    description: 'Language of error messages (vi, en).',
    schema: { type: 'string', enum: ['vi', 'en'] },
  },
];

const err = (d: string) => ({
  description: d,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const reportsOpenApi: OpenApiFragment = {
  paths: {
    '/api/v1/reports': {
      get: {
        summary:
          'Figures of a unit (with its subtree) for a period, compared with the previous period of the same length',
        description:
          'Live reports cover up to 366 days; longer ones (e.g. a three-year review) are prepared with POST /api/v1/reports/runs. Periods are calendar days in Asia/Ho_Chi_Minh.',
        tags: ['reports'],
        security: [{ bearer: [] }],
        parameters: params,
        responses: {
          '200': {
            description: 'The report',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } },
          },
          '401': err('No or invalid bearer token'),
          '403': err('The unit is outside your scope (code unit_out_of_scope) or you may not see reports'),
          '422': err(
            'Invalid dates or unit (code invalid_period, validation) or a period too long for a live report (code period_too_long)',
          ),
        },
      },
    },
    '/api/v1/reports/runs': {
      post: {
        summary: 'Prepare a long report in the background',
        tags: ['reports'],
        security: [{ bearer: [] }],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  unit: { type: 'string', description: 'Official unit code (or id)' },
                  from: { type: 'string', format: 'date' },
                  to: { type: 'string', format: 'date' },
                  period: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'Queued (or the same report asked for earlier)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
                    url: { type: 'string' },
                    page: { type: 'string' },
                  },
                },
              },
            },
          },
          '403': err('Unit outside your scope'),
          '422': err('Invalid input'),
        },
      },
    },
    '/api/v1/reports/runs/{id}': {
      get: {
        summary: 'Status of a long report, and the report once done',
        tags: ['reports'],
        security: [{ bearer: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'Status',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    status: { type: 'string' },
                    report: { oneOf: [{ $ref: '#/components/schemas/Report' }, { type: 'null' }] },
                  },
                },
              },
            },
          },
          '404': err('No such run'),
        },
      },
    },
  },
  schemas: {
    FigureBreakdown: {
      type: 'object',
      properties: {
        key: { type: 'string' },
        label: { type: 'string' },
        values: { type: 'object', additionalProperties: nullable('number') },
      },
    },
    ReportPeriod: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date', description: 'last day included' },
        kind: { type: 'string', enum: ['month', 'quarter', 'year', 'months', 'custom'] },
      },
    },
    ReportUnit: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        code: { type: 'string' },
        name: { type: 'string' },
        nameEn: nullable('string'),
        path: { type: 'string' },
        retired: { type: 'boolean' },
      },
    },
    ModuleFigures: {
      type: 'object',
      description:
        'Counts are for items whose defining event falls within the period; times are hours; rates are 0..1.',
      properties: {
        mailbox: {
          type: 'object',
          properties: {
            received: count,
            accepted: count,
            answered: count,
            answeredOnTime: count,
            onTimeRate: nullable('number'),
            medianHoursToAnswer: nullable('number'),
            overdueNow: count,
            reopened: count,
            ratingAverage: nullable('number'),
            ratingCount: count,
            byCategory: breakdown,
            byAgency: breakdown,
          },
        },
        desk: {
          type: 'object',
          properties: {
            articles: count,
            videos: count,
            factchecks: count,
            claimsReceived: count,
            clusters: count,
            claimsAnswered: count,
            medianHoursToAnswer: nullable('number'),
            claimsFromMembers: count,
          },
        },
        network: {
          type: 'object',
          properties: {
            members: count,
            activeMembers: count,
            campaigns: count,
            clicks: count,
            reportedShares: count,
            clicksPer100Members: nullable('number'),
            trainingAssigned: count,
            trainingCompleted: count,
            trainingPassRate: nullable('number'),
          },
        },
        crisis: {
          type: 'object',
          properties: {
            incidents: count,
            statements: count,
            deliveries: count,
            delivered: count,
            deliverySuccessRate: nullable('number'),
          },
        },
      },
    },
    Report: {
      type: 'object',
      properties: {
        unit: { $ref: '#/components/schemas/ReportUnit' },
        period: { $ref: '#/components/schemas/ReportPeriod' },
        previousPeriod: { $ref: '#/components/schemas/ReportPeriod' },
        figures: { $ref: '#/components/schemas/ModuleFigures' },
        previous: { $ref: '#/components/schemas/ModuleFigures' },
        children: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              unit: { $ref: '#/components/schemas/ReportUnit' },
              figures: { $ref: '#/components/schemas/ModuleFigures' },
            },
          },
        },
        trend: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              period: { $ref: '#/components/schemas/ReportPeriod' },
              figures: { $ref: '#/components/schemas/ModuleFigures' },
            },
          },
        },
        unavailable: {
          type: 'array',
          items: { type: 'string' },
          description: 'modules whose figures could not be read',
        },
        generatedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};
