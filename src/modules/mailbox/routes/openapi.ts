import type { OpenApiFragment } from '../../../http/module.js';

const report = {
  type: 'object',
  properties: {
    code: { type: 'string', example: 'PA-2026-000123' },
    url: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    category: {
      type: 'object',
      properties: { code: { type: 'string' }, name: { type: 'string' }, name_en: { type: 'string' } },
    },
    unit: {
      type: 'object',
      properties: { code: { type: 'string' }, name: { type: 'string' }, name_en: { type: ['string', 'null'] } },
    },
    agency: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['accepted', 'assigned', 'in_progress', 'answered', 'closed', 'reopened'] },
    sender_name: { type: ['string', 'null'], description: 'Only when the resident allowed it.' },
    received_at: { type: 'string', format: 'date-time' },
    deadline_at: { type: ['string', 'null'], format: 'date-time' },
    answered_at: { type: ['string', 'null'], format: 'date-time' },
    answer: { type: ['string', 'null'] },
  },
};

export const openapi: OpenApiFragment = {
  schemas: {
    MailboxReport: report,
    MailboxNewReport: {
      type: 'object',
      required: ['category', 'unit', 'title', 'description'],
      properties: {
        category: {
          oneOf: [{ type: 'integer' }, { type: 'string' }],
          description: 'Category code (string) or id (number); see GET /api/v1/mailbox/categories.',
        },
        unit: {
          oneOf: [{ type: 'integer' }, { type: 'string' }],
          description: 'Official code of the ward or commune (string, e.g. "19789") or its id (number).',
        },
        title: { type: 'string', minLength: 5, maxLength: 150 },
        description: { type: 'string', minLength: 10, maxLength: 5000 },
        address: { type: 'string', maxLength: 300 },
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lon: { type: 'number', minimum: -180, maximum: 180 },
        name: { type: 'string', maxLength: 100 },
        phone: { type: 'string', maxLength: 20 },
        email: { type: 'string', format: 'email' },
        show_name: { type: 'boolean', default: false },
      },
    },
  },
  paths: {
    '/api/v1/mailbox/reports': {
      get: {
        summary: 'Public reports (never personal data)',
        parameters: ['q', 'category', 'unit', 'status', 'page'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
        })),
        responses: {
          '200': {
            description: 'A page of reports',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    total: { type: 'integer' },
                    page: { type: 'integer' },
                    items: { type: 'array', items: { $ref: '#/components/schemas/MailboxReport' } },
                  },
                },
              },
            },
          },
        },
      },
      post: {
        summary:
          'File a report (same rules as the form). A retried request with the same Idempotency-Key returns the first result.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/MailboxNewReport' } } },
        },
        responses: {
          '201': {
            description: 'Created: tracking code and private status link',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    code: { type: 'string' },
                    status: { type: 'string' },
                    deadline_at: { type: 'string' },
                    status_url: { type: 'string' },
                    public_url: { type: 'string' },
                  },
                },
              },
            },
          },
          '200': { description: 'Replayed (same Idempotency-Key)' },
          '422': {
            description: 'Invalid',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
          '429': { description: 'Too many reports from this address or phone' },
        },
      },
    },
    '/api/v1/mailbox/reports/{code}': {
      get: {
        summary: 'One public report with its timeline',
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The report',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MailboxReport' } } },
          },
          '404': { description: 'Unknown or not public' },
        },
      },
    },
    '/api/v1/mailbox/categories': {
      get: { summary: 'Report categories', responses: { '200': { description: 'Categories' } } },
    },
    '/open311/v2/discovery.{format}': {
      get: {
        summary: 'Open311 GeoReport v2 discovery (json or xml)',
        parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }],
        responses: { '200': { description: 'Discovery' } },
      },
    },
  },
};
