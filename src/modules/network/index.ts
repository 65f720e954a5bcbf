import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import type { AppModule } from '../../http/module.js';
import { rollupCommand } from '../../cli/rollup-command.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { can } from '../../platform/auth/permissions.js';
import type { TemplateTable } from '../../platform/notify/templates.js';
import { seedNetworkDemo } from './demo.js';
import { networkActions } from './permissions.js';
import * as repo from './repo.js';
import { figures as networkFigures, rebuildRollup, rollupDifferences } from './repo/figures.js';
import { networkRoutes } from './routes/index.js';
import { fanout, IMPORT_JOB, type ImportJob, memberGrants, runImport } from './service.js';
import { memberTemplates } from './service/members.js';
import { NetworkSummary } from './views/member.js';

export const networkTemplates: TemplateTable = {
  'network.campaign': {
    vi: {
      subject: 'Chiến dịch chia sẻ mới: {title}',
      text: 'Xin chào {name},\n\n{message}\n\nMở chiến dịch để lấy liên kết chia sẻ riêng của bạn:\n{url}\n\nBạn tự quyết định có chia sẻ hay không, dưới tên của chính mình. Hệ thống không bao giờ đăng bài thay bạn.',
    },
    en: {
      subject: 'New sharing campaign: {title}',
      text: 'Hello {name},\n\n{message}\n\nOpen the campaign for your personal sharing links:\n{url}\n\nWhether to share is up to you, under your own name. The system never posts for you.',
    },
  },
  'network.welcome': {
    vi: {
      subject: 'Chào mừng bạn đến với mạng lưới chia sẻ {unit}',
      text: 'Xin chào {name},\n\nBạn đã được thêm vào mạng lưới chia sẻ thông tin chính thống của {unit}.\nĐặt mật khẩu để đăng nhập (liên kết có hiệu lực 7 ngày):\n{url}',
    },
    en: {
      subject: 'Welcome to the sharing network of {unit}',
      text: 'Hello {name},\n\nYou were added to the official information sharing network of {unit}.\nSet your password to sign in (the link is valid for 7 days):\n{url}',
    },
  },
  'network.approved': {
    vi: {
      subject: 'Yêu cầu tham gia mạng lưới {unit} đã được duyệt',
      text: 'Xin chào {name},\n\nBạn đã là thành viên mạng lưới chia sẻ của {unit}. Đăng nhập và mở bảng tin:\n{url}',
    },
    en: {
      subject: 'Your request to join the network of {unit} was approved',
      text: 'Hello {name},\n\nYou are now a member of the sharing network of {unit}. Sign in and open your feed:\n{url}',
    },
  },
};

const courseFile = z.object({
  slug: z.string().regex(/^[a-z0-9-]{3,60}$/),
  title: z.string().min(3).max(200),
  summary: z.string().min(3).max(1000),
  passMark: z.number().int().min(1).max(100),
  lessons: z
    .array(
      z.object({
        title: z.string().min(1).max(200),
        body: z.string().min(1),
        videoUrl: z.string().url().nullish(),
        transcript: z.string().nullish(),
      }),
    )
    .min(1),
  questions: z
    .array(
      z.object({
        kind: z.enum(['single', 'multiple', 'truefalse']),
        prompt: z.string().min(1),
        options: z.array(z.string().min(1)).min(2),
        correct: z.array(z.number().int().min(0)).min(1),
        explanation: z.string().nullish(),
      }),
    )
    .min(1),
});

async function staffSection(c: Ctx) {
  const p = c.get('principal');
  if (!p) return null;
  const ctx = pageCtx(c);
  const db = c.get('deps').db;
  if (memberGrants(p).length) {
    const [campaigns, courses] = await Promise.all([
      repo.activeCampaignsFor(db, p.userId),
      repo.assignedCoursesFor(db, p.userId),
    ]);
    return NetworkSummary({
      ctx,
      member: { campaigns: campaigns.length, courses: courses.filter((x) => !x.passed_at).length },
    });
  }
  return can(p, 'network.lead') ? NetworkSummary({ ctx }) : null;
}

const itemSchema = {
  type: 'object',
  required: ['id', 'kind', 'title', 'url', 'link', 'share'],
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['article', 'video', 'factcheck', 'statement', 'link'] },
    title: { type: 'string' },
    url: { type: 'string', description: 'The public page of the item.' },
    link: {
      type: 'string',
      description:
        'The member’s personal short link (/s/CODE): a visit counts one click for the member’s unit and redirects to the public page.',
    },
    share: {
      type: 'object',
      description: 'Public share pages to open by hand; nothing is posted automatically.',
      properties: { facebook: { type: 'string' }, zalo: { type: 'string' }, x: { type: 'string' } },
    },
  },
};

/** network: members and groups, campaigns with personal short links, recognition, training courses. */
export const networkModule: AppModule = {
  name: 'network',
  routes: networkRoutes,
  jobs: (deps) => ({
    handlers: {
      'network.fanout': async ({ campaignId }: { campaignId: number }) =>
        void (await fanout(deps.db, campaignId, deps.config.baseUrl)),
      'network.housekeeping': async () => void (await repo.pruneSeen(deps.db)),
      [IMPORT_JOB]: async (job: ImportJob, { job: row }) => runImport(deps.db, row.id, job, deps.config.baseUrl),
    },
    schedules: [
      {
        name: 'network.housekeeping',
        jobType: 'network.housekeeping',
        next: (after) => new Date(Math.floor(after.getTime() / 600_000) * 600_000 + 600_000),
      },
    ],
  }),
  actions: networkActions,
  templates: { ...networkTemplates, ...memberTemplates },
  seedDemo: seedNetworkDemo,
  staffMenu: [
    { href: '/network', label: { vi: 'Bảng tin mạng lưới', en: 'Network feed' }, action: 'network.member' },
    { href: '/network/manage', label: { vi: 'Mạng lưới chia sẻ', en: 'Sharing network' }, action: 'network.lead' },
    {
      href: '/network/manage/campaigns',
      label: { vi: 'Chiến dịch chia sẻ', en: 'Sharing campaigns' },
      action: 'network.campaign',
    },
    {
      href: '/network/manage/training',
      label: { vi: 'Đào tạo kỹ năng số', en: 'Digital skills training' },
      action: 'network.train',
    },
  ],
  staffSection,
  openapi: {
    paths: {
      '/api/v1/me/campaigns': {
        get: {
          summary: 'The signed-in network member’s running campaigns, with their items and personal short links',
          security: [{ bearer: [] }],
          responses: {
            '200': {
              description: 'Running campaigns',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['campaigns'],
                    properties: {
                      campaigns: { type: 'array', items: { $ref: '#/components/schemas/NetworkCampaign' } },
                    },
                  },
                },
              },
            },
            '401': {
              description: 'No or invalid bearer token',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '403': {
              description: 'The account is not a network member',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
    },
    schemas: {
      NetworkCampaign: {
        type: 'object',
        required: ['id', 'title', 'message', 'startsAt', 'endsAt', 'url', 'items'],
        properties: {
          id: { type: 'integer' },
          title: { type: 'string' },
          message: { type: 'string' },
          startsAt: { type: 'string', format: 'date-time' },
          endsAt: { type: 'string', format: 'date-time' },
          url: { type: 'string', description: 'The campaign page in the member’s feed.' },
          items: { type: 'array', items: itemSchema },
        },
      },
    },
  },
  cli: {
    'network-rollup': rollupCommand({
      command: 'network-rollup',
      rows: 'clicks and shares',
      action: 'network.rollup.rebuild',
      differences: rollupDifferences,
      rebuild: rebuildRollup,
    }),
    'network-import-course': {
      summary: 'FILE: add or update a training course from JSON (slug, title, summary, passMark, lessons, questions)',
      async run({ deps, args, out }) {
        if (!args[0]) {
          out('usage: npm run cli -- network-import-course FILE.json');
          return 2;
        }
        const parsed = courseFile.safeParse(JSON.parse(await readFile(args[0], 'utf8')));
        if (!parsed.success) {
          out(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
          return 1;
        }
        const c = parsed.data;
        const id = await deps.db.tx(async (tx) => {
          const id = await repo.upsertCourse(tx, c);
          await recordAudit(tx, {
            actorLabel: 'cli',
            action: 'network.course.import',
            entityType: 'network_course',
            entityId: id,
            data: { slug: c.slug, title: c.title, lessons: c.lessons.length, questions: c.questions.length },
          });
          return id;
        });
        out(`course ${c.slug} saved (id ${id})`);
      },
    },
  },
  async figures(db, q) {
    return { network: await networkFigures(db, q) };
  },
};
