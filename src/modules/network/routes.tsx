import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { projectRoot } from '../../db/paths.js';
import type { AppEnv, Ctx } from '../../http/context.js';
import { pageCtx } from '../../http/context.js';
import { HttpError, notFound, unauthorized } from '../../http/errors.js';
import { formValues } from '../../http/forms.js';
import { rateLimit } from '../../http/middleware.js';
import { ErrorPage } from '../../http/views/error-page.js';
import { can, type Principal } from '../../platform/auth/permissions.js';
import { findUserById } from '../../platform/auth/repo.js';
import { nt, type NetKey } from './i18n.js';
import * as repo from './repo.js';
import * as svc from './service.js';
import {
  CampaignCancelPage,
  CampaignDetailPage,
  CampaignEditPage,
  CampaignFormPage,
  CampaignListPage,
  ManagePage,
  type ManageForms,
} from './views/manage.js';
import {
  CampaignPage,
  ClaimPage,
  FeedPage,
  JoinPage,
  LeftPage,
  LinkProblemPage,
  MyRecognitionPage,
  ProfilePage,
  profileValues,
  PublicRecognitionPage,
} from './views/member.js';
import { JoinConfirmPage } from './views/join-confirm.js';
import {
  CourseEditorPage,
  LessonFormPage,
  LessonPreviewPage,
  NewCoursePage,
  QuestionFormPage,
} from './views/course-editor.js';
import {
  CertificatePage,
  CoursePage,
  LessonPage,
  QuizPage,
  TrainingManagePage,
  TrainingPage,
  VerifyPage,
} from './views/training.js';
import { parseId } from '../../platform/ids.js';
import { pathId } from '../../http/params.js';
import { practiceRoutes } from './routes/staff-practice.js';

const ASSETS = path.join(projectRoot(), 'src/modules/network/assets');
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  js: 'text/javascript; charset=utf-8',
};

const who = (c: Ctx): Principal => {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  return p;
};
const param = (c: Ctx, name: string): string => c.req.param(name) ?? '';
const nt$ = (c: Ctx) => nt.t(c.get('locale'));
const id = (c: Ctx, name: string) => pathId(c, name);
/** Public pages may be cached by anyone, unless a signed-in header is on them. */
const publicCache = (c: Ctx, seconds: number) => {
  c.header('cache-control', c.get('principal') ? 'private, no-cache' : `public, max-age=${seconds}`);
  c.header('vary', 'Cookie');
};
const noStore = (c: Ctx) => c.header('cache-control', 'private, no-store');

/** Network errors carry a network message key; everything else goes to the app's error handler. */
function guard(fn: (c: Ctx) => Promise<Response>) {
  return async (c: Ctx) => {
    try {
      return await fn(c);
    } catch (err) {
      if (!(err instanceof svc.NetworkError)) throw err;
      const message = nt$(c)(err.key, err.vars);
      if (c.req.path.startsWith('/api/')) return c.json({ error: { code: err.key, message, fields: {} } }, err.status);
      c.status(err.status);
      return c.html(
        <ErrorPage ctx={pageCtx(c)} status={err.status} message={message} requestId={c.get('requestId')} />,
      );
    }
  };
}

const NOTICES: Record<string, NetKey> = {
  shared: 'camp.sharedThanks',
  removed: 'mgr.removed',
  approved: 'mgr.approved',
  rejected: 'mgr.rejected',
  group: 'mgr.groupCreated',
  commended: 'rec.given',
  campaign: 'cm.created',
  assigned: 'tr.assigned',
  left: 'profile.left',
  course: 'ce.created',
  courseSaved: 'ce.saved',
  lesson: 'ce.lessonSaved',
  question: 'ce.questionSaved',
  lessonRemoved: 'ce.lessonRemoved',
  questionRemoved: 'ce.questionRemoved',
  moved: 'ce.moved',
  campaignSaved: 'cm.saved',
  cancelled: 'cm.cancelled',
};
const notice = (c: Ctx): string | undefined => {
  const k = NOTICES[c.req.query('ok') ?? ''];
  return k
    ? nt$(c)(k, { name: c.req.query('name') ?? '', n: c.req.query('n') ?? '', unit: c.req.query('name') ?? '' })
    : undefined;
};

export function networkRoutes(app: Hono<AppEnv>): void {
  app.get('/network/assets/:file{[a-z0-9-]+\\.(css|svg|js)}', async (c) => {
    const name = param(c, 'file');
    let body: Buffer;
    try {
      body = await readFile(path.join(ASSETS, name));
    } catch {
      throw notFound();
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': TYPES[name.split('.').pop()!],
      'cache-control': 'public, max-age=3600',
    });
  });

  // ---------- personal short links: no cookie, no session, nothing about the visitor kept ----------
  app.get('/s/:code', async (c) => {
    const deps = c.get('deps');
    const r = await svc.followLink(
      deps.db,
      param(c, 'code'),
      { ip: c.get('ip'), userAgent: c.req.header('user-agent') },
      { rateLimit: !deps.config.RATE_LIMIT_DISABLED },
    );
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    if (r.kind === 'redirect') return c.redirect(r.url, 302);
    c.status(r.kind === 'invalid' ? 404 : 410);
    return c.html(<LinkProblemPage ctx={pageCtx(c)} kind={r.kind} url={r.kind === 'ended' ? r.url : undefined} />);
  });

  // ---------- public: invitations, recognition, certificates ----------
  app.get(
    '/network/join/:token',
    guard(async (c) => {
      const inv = await svc.openInvite(c.get('deps').db, param(c, 'token'));
      noStore(c);
      return c.html(
        <JoinPage
          ctx={pageCtx(c)}
          token={inv.token}
          unit={svc.unitLabel(c.get('locale'), inv)}
          group={inv.group_name}
        />,
      );
    }),
  );
  app.post(
    '/network/join/:token',
    rateLimit('network.join', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    guard(async (c) => {
      const db = c.get('deps').db;
      const form = formValues(await c.req.parseBody());
      const inv = await svc.openInvite(db, param(c, 'token'));
      const r = await svc.requestToJoin(db, inv.token, form, c.get('locale'), c.get('deps').config.baseUrl);
      const props = {
        ctx: pageCtx(c),
        token: inv.token,
        unit: svc.unitLabel(c.get('locale'), inv),
        group: inv.group_name,
      };
      if (!r.ok) {
        c.status(422);
        return c.html(<JoinPage {...props} values={r.values} errors={r.errors} />);
      }
      return c.html(<JoinPage {...props} sent />);
    }),
  );

  // the link in the confirmation e-mail (svc.requestToJoin): confirms the address, a new account chooses its password
  app.get(
    '/network/join/confirm/:secret',
    guard(async (c) => {
      const r = await svc.joinToConfirm(c.get('deps').db, param(c, 'secret'));
      noStore(c);
      c.header('referrer-policy', 'no-referrer');
      return c.html(
        <JoinConfirmPage
          ctx={pageCtx(c)}
          secret={param(c, 'secret')}
          email={r.email}
          needsPassword={r.needsPassword}
        />,
      );
    }),
  );
  app.post(
    '/network/join/confirm/:secret',
    rateLimit('network.join', (d) => d.config.RATE_LIMIT_WRITES_PER_MINUTE),
    guard(async (c) => {
      const db = c.get('deps').db;
      const secret = param(c, 'secret');
      const pending = await svc.joinToConfirm(db, secret);
      const r = await svc.confirmJoin(db, secret, formValues(await c.req.parseBody()), c.get('locale'));
      noStore(c);
      if (!r.ok) c.status(422);
      return c.html(
        <JoinConfirmPage
          ctx={pageCtx(c)}
          secret={secret}
          email={pending.email}
          needsPassword={pending.needsPassword}
          errors={r.ok ? undefined : r.errors}
          done={r.ok}
        />,
      );
    }),
  );

  app.use('/network/recognition', etag());
  app.get('/network/recognition', async (c) => {
    const rows = await repo.publicCommendations(c.get('deps').db);
    publicCache(c, 60);
    return c.html(<PublicRecognitionPage ctx={pageCtx(c)} rows={rows} />);
  });

  app.get('/network/certificates', async (c) => {
    const code = (c.req.query('code') ?? '').trim().toUpperCase().slice(0, 40);
    if (code) {
      if (await repo.findCertificate(c.get('deps').db, code))
        return c.redirect(`/network/certificates/${encodeURIComponent(code)}`, 303);
      c.status(404);
      return c.html(<VerifyPage ctx={pageCtx(c)} code={code} notFound />);
    }
    return c.html(<VerifyPage ctx={pageCtx(c)} />);
  });
  app.get('/network/certificates/:code', async (c) => {
    const cert = await repo.findCertificate(c.get('deps').db, param(c, 'code').toUpperCase());
    if (!cert) {
      c.status(404);
      return c.html(<VerifyPage ctx={pageCtx(c)} code={param(c, 'code')} notFound />);
    }
    publicCache(c, 300);
    return c.html(<CertificatePage ctx={pageCtx(c)} cert={cert} />);
  });

  // ---------- member pages ----------
  app.get(
    '/network',
    guard(async (c) => {
      const p = who(c);
      const { db, config } = c.get('deps');
      if (!svc.memberGrants(p).length) {
        if (can(p, 'network.lead')) return c.redirect('/network/manage', 303);
        throw new svc.NetworkError(404, 'feed.notMember');
      }
      const [campaigns, courses, groups, units] = await Promise.all([
        svc.memberCampaigns(db, p, config.baseUrl),
        repo.assignedCoursesFor(db, p.userId),
        repo.groupsOfUser(db, p.userId),
        repo.memberUnitsOf(db, p.userId),
      ]);
      noStore(c);
      return c.html(
        <FeedPage
          ctx={pageCtx(c)}
          campaigns={campaigns}
          courses={courses}
          groups={groups}
          units={units}
          notice={notice(c)}
        />,
      );
    }),
  );

  app.get(
    '/network/campaigns/:id',
    guard(async (c) => {
      const p = who(c);
      const { db, config } = c.get('deps');
      const r = await svc.openCampaign(db, p, id(c, 'id'), config.baseUrl);
      noStore(c);
      return c.html(<CampaignPage ctx={pageCtx(c)} campaign={r.campaign} items={r.items} notice={notice(c)} />);
    }),
  );
  app.post(
    '/network/campaigns/:id/items/:item/shared',
    guard(async (c) => {
      const p = who(c);
      const body = await c.req.parseBody();
      const cid = id(c, 'id');
      const item = id(c, 'item');
      await svc.reportShare(c.get('deps').db, p, cid, item, String(body.channel ?? ''));
      return c.redirect(`/network/campaigns/${cid}?ok=shared#item-${item}`, 303);
    }),
  );

  app.get(
    '/network/claims/new',
    guard(async (c) => {
      svc.requireMember(who(c));
      return c.html(<ClaimPage ctx={pageCtx(c)} />);
    }),
  );
  app.post(
    '/network/claims',
    guard(async (c) => {
      const p = who(c);
      const r = await svc.sendClaim(c.get('deps').db, p, formValues(await c.req.parseBody()), c.get('locale'));
      if (r.ok) return c.html(<ClaimPage ctx={pageCtx(c)} sent={r.value} />);
      c.status(r.unavailable ? 503 : 422);
      return c.html(<ClaimPage ctx={pageCtx(c)} values={r.values} errors={r.errors} unavailable={r.unavailable} />);
    }),
  );

  app.get(
    '/network/profile',
    guard(async (c) => {
      const p = who(c);
      svc.requireMember(p);
      const db = c.get('deps').db;
      const [u, prof, units] = await Promise.all([
        findUserById(db, p.userId),
        repo.getProfile(db, p.userId),
        repo.memberUnitsOf(db, p.userId),
      ]);
      noStore(c);
      return c.html(
        <ProfilePage
          ctx={pageCtx(c)}
          values={profileValues(
            { name: u!.name, phone: (u as unknown as { phone: string | null }).phone ?? null },
            prof,
          )}
          units={units}
          notice={c.req.query('ok') === 'saved' ? pageCtx(c).t('common.saved') : undefined}
        />,
      );
    }),
  );
  app.post(
    '/network/profile',
    guard(async (c) => {
      const p = who(c);
      const db = c.get('deps').db;
      const r = await svc.saveProfile(db, p, formValues(await c.req.parseBody()), c.get('locale'));
      if (r.ok) return c.redirect('/network/profile?ok=saved', 303);
      c.status(422);
      return c.html(
        <ProfilePage
          ctx={pageCtx(c)}
          values={r.values}
          errors={r.errors}
          units={await repo.memberUnitsOf(db, p.userId)}
        />,
      );
    }),
  );
  app.post(
    '/network/leave',
    guard(async (c) => {
      const p = who(c);
      const unit = parseId((await c.req.parseBody()).unit);
      const name = await svc.leave(c.get('deps').db, p, unit);
      return c.html(<LeftPage ctx={pageCtx(c)} message={nt$(c)('profile.left', { unit: name })} />);
    }),
  );

  app.get(
    '/network/recognition/mine',
    guard(async (c) => {
      const p = who(c);
      svc.requireMember(p);
      noStore(c);
      return c.html(
        <MyRecognitionPage ctx={pageCtx(c)} rows={await repo.commendationsOfUser(c.get('deps').db, p.userId)} />,
      );
    }),
  );
  app.post(
    '/network/recognition/:id/visibility',
    guard(async (c) => {
      const p = who(c);
      const body = await c.req.parseBody();
      const ok = await repo.setCommendationPublic(c.get('deps').db, id(c, 'id'), p.userId, body.public === '1');
      if (!ok) throw notFound();
      return c.redirect('/network/recognition/mine', 303);
    }),
  );

  // ---------- training (members) ----------
  app.get(
    '/network/training',
    guard(async (c) => {
      const p = who(c);
      svc.requireMember(p);
      noStore(c);
      return c.html(
        <TrainingPage ctx={pageCtx(c)} courses={await repo.assignedCoursesFor(c.get('deps').db, p.userId)} />,
      );
    }),
  );
  app.get(
    '/network/training/:id',
    guard(async (c) => {
      const r = await svc.courseForMember(c.get('deps').db, who(c), id(c, 'id'));
      noStore(c);
      return c.html(<CoursePage ctx={pageCtx(c)} course={r.course} lessons={r.lessons} done={r.done} />);
    }),
  );
  app.get(
    '/network/training/:id/lessons/:n',
    guard(async (c) => {
      const r = await svc.courseForMember(c.get('deps').db, who(c), id(c, 'id'));
      const lesson = r.lessons.find((l) => l.position === Number(param(c, 'n')));
      if (!lesson) throw notFound();
      noStore(c);
      return c.html(
        <LessonPage
          ctx={pageCtx(c)}
          course={r.course}
          lesson={lesson}
          total={r.lessons.length}
          isDone={r.done.has(lesson.id)}
        />,
      );
    }),
  );
  app.post(
    '/network/training/:id/lessons/:n/done',
    guard(async (c) => {
      const courseId = id(c, 'id');
      const next = await svc.markLessonDone(c.get('deps').db, who(c), courseId, Number(param(c, 'n')));
      return c.redirect(
        next ? `/network/training/${courseId}/lessons/${next}` : `/network/training/${courseId}/quiz`,
        303,
      );
    }),
  );
  app.get(
    '/network/training/:id/quiz',
    guard(async (c) => {
      const r = await svc.courseForMember(c.get('deps').db, who(c), id(c, 'id'));
      noStore(c);
      return c.html(<QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} />);
    }),
  );
  app.post(
    '/network/training/:id/quiz',
    guard(async (c) => {
      const p = who(c);
      const db = c.get('deps').db;
      const courseId = id(c, 'id');
      const body = await c.req.parseBody({ all: true });
      const r = await svc.courseForMember(db, p, courseId);
      const g = await svc.takeQuiz(db, p, courseId, body, c.get('locale'));
      if (!g.ok) {
        c.status(422);
        return c.html(
          <QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} values={g.values} errors={g.errors} />,
        );
      }
      const values = formValues(body as Record<string, unknown>);
      return c.html(
        <QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} values={values} graded={g.value} />,
      );
    }),
  );

  // ---------- leaders ----------
  async function manageData(c: Ctx) {
    const p = who(c);
    const scope = svc.leaderScope(p);
    const db = c.get('deps').db;
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const [members, requests, invites, groups, units, commendations] = await Promise.all([
      repo.listMembers(db, scope, q || null, 200, 0),
      repo.pendingRequestsInPaths(db, scope),
      repo.invitesInPaths(db, scope),
      repo.groupsInPaths(db, scope),
      repo.unitsInPaths(db, scope),
      repo.commendationsInPaths(db, scope),
    ]);
    return {
      members: members.rows,
      total: members.total,
      q,
      requests,
      invites,
      groups,
      units,
      commendations,
      canRecognise: can(p, 'network.recognise'),
      baseUrl: c.get('deps').config.baseUrl,
    };
  }
  const renderManage = async (c: Ctx, f: ManageForms = {}, status: 200 | 422 = 200) => {
    const d = await manageData(c);
    noStore(c);
    c.status(status);
    return c.html(<ManagePage ctx={pageCtx(c)} d={d} f={f} />);
  };

  practiceRoutes(app); // in-person training sessions, awards (leaders) and groups' reach (members)
  app.get(
    '/network/manage',
    guard(async (c) => renderManage(c, { notice: notice(c) })),
  );
  app.post(
    '/network/manage/invites',
    guard(async (c) => {
      const p = who(c);
      const form = formValues(await c.req.parseBody());
      const r = await svc.createInvite(c.get('deps').db, p, form, c.get('deps').config.baseUrl, nt$(c));
      return r.ok
        ? renderManage(c, { invite: { url: r.value.url } })
        : renderManage(c, { invite: { values: r.values, errors: r.errors } }, 422);
    }),
  );
  app.post(
    '/network/manage/invites/:id/revoke',
    guard(async (c) => {
      const p = who(c);
      const db = c.get('deps').db;
      const inv = await repo.findInvite(db, id(c, 'id'));
      if (!inv || !can(p, 'network.lead', inv.path)) throw notFound();
      await db.tx(async (tx) => {
        await repo.revokeInvite(tx, inv.id);
        const { recordAudit } = await import('../../platform/audit/audit.js');
        await recordAudit(tx, {
          actorId: p.userId,
          actorLabel: p.email,
          action: 'network.invite.revoke',
          entityType: 'network_invite',
          entityId: inv.id,
          unitId: inv.unit_id,
        });
      });
      return c.redirect('/network/manage', 303);
    }),
  );
  app.post(
    '/network/manage/requests/:id/:decision{approve|reject}',
    guard(async (c) => {
      const approve = param(c, 'decision') === 'approve';
      const name = await svc.decideRequest(
        c.get('deps').db,
        who(c),
        id(c, 'id'),
        approve,
        c.get('deps').config.baseUrl,
      );
      return c.redirect(
        `/network/manage?ok=${approve ? 'approved' : 'rejected'}&name=${encodeURIComponent(name)}`,
        303,
      );
    }),
  );
  app.post(
    '/network/manage/members/:id/remove',
    guard(async (c) => {
      const unit = parseId((await c.req.parseBody()).unit);
      const name = await svc.removeMember(c.get('deps').db, who(c), id(c, 'id'), unit);
      return c.redirect(`/network/manage?ok=removed&name=${encodeURIComponent(name)}`, 303);
    }),
  );
  app.post(
    '/network/manage/import',
    guard(async (c) => {
      const p = who(c);
      const body = await c.req.parseBody();
      let csv = typeof body.csv === 'string' ? body.csv : '';
      if (body.file instanceof File && body.file.size > 0) {
        if (body.file.size > 2 * 1024 * 1024) throw new HttpError(413, 'too_large', 'error.tooLarge');
        csv = await body.file.text();
      }
      const r = await svc.importMembers(
        c.get('deps').db,
        p,
        String(body.unit ?? ''),
        csv,
        c.get('deps').config.baseUrl,
        c.get('locale'),
        { createGroups: body.create_groups === '1' },
      );
      return r.ok
        ? renderManage(c, { import: { result: r.value } })
        : renderManage(c, { import: { values: r.values, errors: r.errors } }, 422);
    }),
  );
  app.post(
    '/network/manage/groups',
    guard(async (c) => {
      const body = formValues(await c.req.parseBody());
      const r = await svc.createGroup(c.get('deps').db, who(c), body.unit ?? '', body.name ?? '', c.get('locale'));
      return r.ok
        ? c.redirect(`/network/manage?ok=group&name=${encodeURIComponent(r.value)}`, 303)
        : renderManage(c, { group: { values: r.values, errors: r.errors } }, 422);
    }),
  );
  app.post(
    '/network/manage/recognition',
    guard(async (c) => {
      const r = await svc.commend(c.get('deps').db, who(c), formValues(await c.req.parseBody()), c.get('locale'));
      return r.ok
        ? c.redirect('/network/manage?ok=commended', 303)
        : renderManage(c, { commend: { values: r.values, errors: r.errors } }, 422);
    }),
  );

  // campaigns
  app.get(
    '/network/manage/campaigns',
    guard(async (c) => {
      const scope = svc.leaderScope(who(c));
      noStore(c);
      return c.html(
        <CampaignListPage
          ctx={pageCtx(c)}
          rows={await repo.campaignsInPaths(c.get('deps').db, scope)}
          notice={notice(c)}
        />,
      );
    }),
  );
  const campaignForm = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const scope = svc.leaderScope(who(c), 'network.campaign');
    const db = c.get('deps').db;
    const [choices, units, groups] = await Promise.all([
      svc.contentChoices(db),
      repo.unitsInPaths(db, scope),
      repo.groupsInPaths(db, scope),
    ]);
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <CampaignFormPage
        ctx={pageCtx(c)}
        choices={choices}
        units={units}
        groups={groups}
        values={values}
        errors={errors}
      />,
    );
  };
  app.get(
    '/network/manage/campaigns/new',
    guard(async (c) => campaignForm(c, { links: c.req.query('link') ?? '' })),
  );
  app.post(
    '/network/manage/campaigns',
    guard(async (c) => {
      const p = who(c);
      const body = await c.req.parseBody({ all: true });
      const r = await svc.createCampaign(
        c.get('deps').db,
        p,
        body as Record<string, unknown>,
        c.get('deps').config.baseUrl,
        c.get('locale'),
      );
      if (!r.ok) return campaignForm(c, r.values, r.errors);
      return c.redirect(`/network/manage/campaigns/${r.value.id}?ok=campaign&n=${r.value.audience}`, 303);
    }),
  );
  app.get(
    '/network/manage/campaigns/:id',
    guard(async (c) => {
      const d = await svc.campaignDetail(c.get('deps').db, who(c), id(c, 'id'));
      noStore(c);
      return c.html(<CampaignDetailPage ctx={pageCtx(c)} {...d} notice={notice(c)} />);
    }),
  );

  const campaignEdit = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const camp = await svc.organisedCampaign(c.get('deps').db, who(c), id(c, 'id'));
    const state = svc.campaignState(camp);
    if (state === 'ended' || state === 'cancelled') throw new svc.NetworkError(409, 'cm.err.notEditable');
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <CampaignEditPage ctx={pageCtx(c)} campaign={camp} values={values ?? svc.campaignValues(camp)} errors={errors} />,
    );
  };
  app.get(
    '/network/manage/campaigns/:id/edit',
    guard(async (c) => campaignEdit(c)),
  );
  app.post(
    '/network/manage/campaigns/:id/edit',
    guard(async (c) => {
      const r = await svc.editCampaign(
        c.get('deps').db,
        who(c),
        id(c, 'id'),
        formValues(await c.req.parseBody()),
        c.get('locale'),
      );
      return r.ok
        ? c.redirect(`/network/manage/campaigns/${id(c, 'id')}?ok=campaignSaved`, 303)
        : campaignEdit(c, r.values, r.errors);
    }),
  );
  const campaignCancel = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const camp = await svc.organisedCampaign(c.get('deps').db, who(c), id(c, 'id'));
    if (camp.status === 'cancelled') throw new svc.NetworkError(409, 'cm.err.alreadyCancelled');
    noStore(c);
    if (errors) c.status(422);
    return c.html(<CampaignCancelPage ctx={pageCtx(c)} campaign={camp} values={values} errors={errors} />);
  };
  app.get(
    '/network/manage/campaigns/:id/cancel',
    guard(async (c) => campaignCancel(c)),
  );
  app.post(
    '/network/manage/campaigns/:id/cancel',
    guard(async (c) => {
      const r = await svc.cancelCampaign(
        c.get('deps').db,
        who(c),
        id(c, 'id'),
        formValues(await c.req.parseBody()),
        c.get('locale'),
      );
      return r.ok
        ? c.redirect(`/network/manage/campaigns/${id(c, 'id')}?ok=cancelled`, 303)
        : campaignCancel(c, r.values, r.errors);
    }),
  );

  // training
  const trainingManage = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const p = who(c);
    const scope = svc.leaderScope(p, 'network.train');
    const db = c.get('deps').db;
    const [courses, units, groups, completion, editable] = await Promise.all([
      repo.listCourses(db),
      repo.unitsInPaths(db, scope),
      repo.groupsInPaths(db, scope),
      svc.completionByUnit(db, p),
      svc.editableCourseIds(db, p),
    ]);
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <TrainingManagePage
        ctx={pageCtx(c)}
        courses={courses}
        units={units}
        groups={groups}
        completion={completion}
        values={values}
        errors={errors}
        notice={notice(c)}
        editable={editable}
        canCreate
      />,
    );
  };
  app.get(
    '/network/manage/training',
    guard(async (c) => trainingManage(c)),
  );
  app.post(
    '/network/manage/training/assign',
    guard(async (c) => {
      const r = await svc.assignCourse(c.get('deps').db, who(c), formValues(await c.req.parseBody()), c.get('locale'));
      return r.ok ? c.redirect('/network/manage/training?ok=assigned', 303) : trainingManage(c, r.values, r.errors);
    }),
  );

  // course editor
  const CE = '/network/manage/training/courses';
  const courseEditor = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const db = c.get('deps').db;
    const course = await svc.editableCourse(db, who(c), id(c, 'id'));
    const [lessons, questions] = await Promise.all([repo.lessonsOf(db, course.id), repo.questionsOf(db, course.id)]);
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <CourseEditorPage
        ctx={pageCtx(c)}
        course={course}
        lessons={lessons}
        questions={questions}
        values={values}
        errors={errors}
        notice={notice(c)}
      />,
    );
  };
  const newCourse = async (c: Ctx, values?: Record<string, string>, errors?: Record<string, string>) => {
    const units = await repo.unitsInPaths(c.get('deps').db, svc.leaderScope(who(c), 'network.train'));
    noStore(c);
    if (errors) c.status(422);
    return c.html(<NewCoursePage ctx={pageCtx(c)} units={units} values={values} errors={errors} />);
  };
  app.get(
    `${CE}/new`,
    guard(async (c) => newCourse(c)),
  );
  app.post(
    CE,
    guard(async (c) => {
      const r = await svc.createCourse(c.get('deps').db, who(c), formValues(await c.req.parseBody()), c.get('locale'));
      return r.ok ? c.redirect(`${CE}/${r.value}?ok=course`, 303) : newCourse(c, r.values, r.errors);
    }),
  );
  app.get(
    `${CE}/:id`,
    guard(async (c) => courseEditor(c)),
  );
  app.post(
    `${CE}/:id`,
    guard(async (c) => {
      const r = await svc.saveCourse(
        c.get('deps').db,
        who(c),
        id(c, 'id'),
        formValues(await c.req.parseBody()),
        c.get('locale'),
      );
      return r.ok ? c.redirect(`${CE}/${id(c, 'id')}?ok=courseSaved`, 303) : courseEditor(c, r.values, r.errors);
    }),
  );

  const lessonForm = async (
    c: Ctx,
    lessonId: number | null,
    values?: Record<string, string>,
    errors?: Record<string, string>,
    preview?: repo.LessonInput,
  ) => {
    const course = await svc.editableCourse(c.get('deps').db, who(c), id(c, 'id'));
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <LessonFormPage
        ctx={pageCtx(c)}
        course={course}
        lessonId={lessonId ?? undefined}
        values={values}
        errors={errors}
        preview={preview}
      />,
    );
  };
  const saveLesson = async (c: Ctx, lessonId: number | null) => {
    const form = formValues(await c.req.parseBody());
    if (form.preview) {
      await svc.editableCourse(c.get('deps').db, who(c), id(c, 'id'));
      const r = svc.lessonFields(form, c.get('locale'));
      return r.ok ? lessonForm(c, lessonId, form, undefined, r.value) : lessonForm(c, lessonId, r.values, r.errors);
    }
    const r = await svc.saveLesson(c.get('deps').db, who(c), id(c, 'id'), lessonId, form, c.get('locale'));
    return r.ok
      ? c.redirect(`${CE}/${id(c, 'id')}?ok=lesson#h-lessons`, 303)
      : lessonForm(c, lessonId, r.values, r.errors);
  };
  app.get(
    `${CE}/:id/lessons/new`,
    guard(async (c) => lessonForm(c, null)),
  );
  app.post(
    `${CE}/:id/lessons`,
    guard(async (c) => saveLesson(c, null)),
  );
  app.get(
    `${CE}/:id/lessons/:lesson`,
    guard(async (c) => {
      const l = await repo.findLesson(c.get('deps').db, id(c, 'id'), id(c, 'lesson'));
      if (!l) throw new svc.NetworkError(404, 'ce.notFound');
      return lessonForm(c, l.id, {
        title: l.title,
        body: l.body,
        video_url: l.video_url ?? '',
        transcript: l.transcript ?? '',
      });
    }),
  );
  app.post(
    `${CE}/:id/lessons/:lesson`,
    guard(async (c) => saveLesson(c, id(c, 'lesson'))),
  );
  app.get(
    `${CE}/:id/lessons/:lesson/preview`,
    guard(async (c) => {
      const db = c.get('deps').db;
      const course = await svc.editableCourse(db, who(c), id(c, 'id'));
      const lessons = await repo.lessonsOf(db, course.id);
      const lesson = lessons.find((l) => l.id === id(c, 'lesson'));
      if (!lesson) throw new svc.NetworkError(404, 'ce.notFound');
      noStore(c);
      return c.html(<LessonPreviewPage ctx={pageCtx(c)} course={course} lesson={lesson} total={lessons.length} />);
    }),
  );
  app.post(
    `${CE}/:id/lessons/:lesson/:dir{up|down}`,
    guard(async (c) => {
      await svc.moveLesson(c.get('deps').db, who(c), id(c, 'id'), id(c, 'lesson'), param(c, 'dir') === 'up' ? -1 : 1);
      return c.redirect(`${CE}/${id(c, 'id')}?ok=moved#h-lessons`, 303);
    }),
  );
  app.post(
    `${CE}/:id/lessons/:lesson/remove`,
    guard(async (c) => {
      await svc.removeLesson(c.get('deps').db, who(c), id(c, 'id'), id(c, 'lesson'));
      return c.redirect(`${CE}/${id(c, 'id')}?ok=lessonRemoved#h-lessons`, 303);
    }),
  );

  const questionForm = async (
    c: Ctx,
    questionId: number | null,
    values?: Record<string, string>,
    errors?: Record<string, string>,
  ) => {
    const course = await svc.editableCourse(c.get('deps').db, who(c), id(c, 'id'));
    noStore(c);
    if (errors) c.status(422);
    return c.html(
      <QuestionFormPage
        ctx={pageCtx(c)}
        course={course}
        questionId={questionId ?? undefined}
        values={values}
        errors={errors}
      />,
    );
  };
  const saveQuestion = async (c: Ctx, questionId: number | null) => {
    const body = await c.req.parseBody({ all: true });
    const r = await svc.saveQuestion(
      c.get('deps').db,
      who(c),
      id(c, 'id'),
      questionId,
      body as Record<string, unknown>,
      c.get('locale'),
    );
    return r.ok
      ? c.redirect(`${CE}/${id(c, 'id')}?ok=question#h-questions`, 303)
      : questionForm(c, questionId, r.values, r.errors);
  };
  app.get(
    `${CE}/:id/questions/new`,
    guard(async (c) => questionForm(c, null)),
  );
  app.post(
    `${CE}/:id/questions`,
    guard(async (c) => saveQuestion(c, null)),
  );
  app.get(
    `${CE}/:id/questions/:question`,
    guard(async (c) => {
      const q = await repo.findQuestion(c.get('deps').db, id(c, 'id'), id(c, 'question'));
      if (!q) throw new svc.NetworkError(404, 'ce.notFound');
      return questionForm(c, q.id, svc.questionValues(q));
    }),
  );
  app.post(
    `${CE}/:id/questions/:question`,
    guard(async (c) => saveQuestion(c, id(c, 'question'))),
  );
  app.post(
    `${CE}/:id/questions/:question/:dir{up|down}`,
    guard(async (c) => {
      await svc.moveQuestion(
        c.get('deps').db,
        who(c),
        id(c, 'id'),
        id(c, 'question'),
        param(c, 'dir') === 'up' ? -1 : 1,
      );
      return c.redirect(`${CE}/${id(c, 'id')}?ok=moved#h-questions`, 303);
    }),
  );
  app.post(
    `${CE}/:id/questions/:question/remove`,
    guard(async (c) => {
      await svc.removeQuestion(c.get('deps').db, who(c), id(c, 'id'), id(c, 'question'));
      return c.redirect(`${CE}/${id(c, 'id')}?ok=questionRemoved#h-questions`, 303);
    }),
  );

  // ---------- JSON API ----------
  app.get(
    '/api/v1/me/campaigns',
    guard(async (c) => {
      const p = who(c);
      if (!svc.memberGrants(p).length) throw new HttpError(403, 'forbidden', 'error.forbidden');
      const { db, config } = c.get('deps');
      const campaigns = await svc.memberCampaigns(db, p, config.baseUrl);
      c.header('cache-control', 'private, no-store');
      return c.json({
        campaigns: campaigns.map((x) => ({
          id: x.id,
          title: x.title,
          message: x.message,
          startsAt: new Date(x.starts_at).toISOString(),
          endsAt: new Date(x.ends_at).toISOString(),
          url: `${config.baseUrl}/network/campaigns/${x.id}`,
          items: x.items.map((i) => ({
            id: i.id,
            kind: i.kind,
            title: i.title,
            url: i.publicUrl,
            link: i.link,
            share: i.share,
          })),
        })),
      });
    }),
  );
}
