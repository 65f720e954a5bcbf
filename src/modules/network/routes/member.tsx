/** A member's own pages: the feed, campaigns and shares, claims, profile, recognition and courses. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues } from '../../../http/forms.js';
import { notFound } from '../../../http/errors.js';
import { actor, need, staff } from '../../../http/guard.js';
import { can } from '../../../platform/auth/permissions.js';
import { findUserById } from '../../../platform/auth/repo.js';
import { parseId } from '../../../platform/ids.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import {
  CampaignPage,
  ClaimPage,
  FeedPage,
  LeftPage,
  MyRecognitionPage,
  ProfilePage,
  profileValues,
} from '../views/member.js';
import { CoursePage, LessonPage, QuizPage, TrainingPage } from '../views/training.js';
import { id, notice, nt$, param } from './common.js';
import { submit } from './forms.js';

export function memberRoutes(app: Hono<AppEnv>): void {
  const member = need('network.member');

  // signed in is enough: a leader who is no member is sent to the directory, anyone else is told they are no member
  app.get('/network', async (c) => {
    const p = staff(c);
    const { db, config } = c.get('deps');
    if (!svc.memberGrants(p).length) {
      if (can(p, 'network.lead')) return c.redirect('/network/manage', 303);
      throw new svc.NetworkError(404, 'feed.notMember');
    }
    const [campaigns, courses, groups, units] = await Promise.all([
      svc.memberCampaigns(c.get('deps'), actor(c), config.baseUrl),
      repo.assignedCoursesFor(db, p.userId),
      repo.groupsOfUser(db, p.userId),
      repo.memberUnitsOf(db, p.userId),
    ]);
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
  });

  app.get('/network/campaigns/:id', member, async (c) => {
    const r = await svc.openCampaign(c.get('deps'), actor(c), id(c, 'id'), c.get('deps').config.baseUrl);
    return c.html(<CampaignPage ctx={pageCtx(c)} campaign={r.campaign} items={r.items} notice={notice(c)} />);
  });
  app.post('/network/campaigns/:id/items/:item/shared', member, async (c) => {
    const body = await c.req.parseBody();
    const cid = id(c, 'id');
    const item = id(c, 'item');
    await svc.reportShare(c.get('deps').db, actor(c), cid, item, String(body.channel ?? ''));
    return c.redirect(`/network/campaigns/${cid}?ok=shared#item-${item}`, 303);
  });

  app.get('/network/claims/new', member, (c) => c.html(<ClaimPage ctx={pageCtx(c)} />));
  app.post('/network/claims', member, async (c) => {
    const r = await svc.sendClaim(c.get('deps'), actor(c), formValues(await c.req.parseBody()), c.get('locale'));
    if (r.ok) return c.html(<ClaimPage ctx={pageCtx(c)} sent={r.value} />);
    c.status(r.unavailable ? 503 : 422);
    return c.html(<ClaimPage ctx={pageCtx(c)} values={r.values} errors={r.errors} unavailable={r.unavailable} />);
  });

  app.get('/network/profile', member, async (c) => {
    const p = staff(c);
    const db = c.get('deps').db;
    const [u, prof, units] = await Promise.all([
      findUserById(db, p.userId),
      repo.getProfile(db, p.userId),
      repo.memberUnitsOf(db, p.userId),
    ]);
    return c.html(
      <ProfilePage
        ctx={pageCtx(c)}
        values={profileValues({ name: u!.name, phone: (u as unknown as { phone: string | null }).phone ?? null }, prof)}
        units={units}
        notice={c.req.query('ok') === 'saved' ? pageCtx(c).t('common.saved') : undefined}
      />,
    );
  });
  app.post(
    '/network/profile',
    member,
    submit(
      svc.profileSchema,
      async (c, r) =>
        c.html(
          <ProfilePage ctx={pageCtx(c)} {...r} units={await repo.memberUnitsOf(c.get('deps').db, staff(c).userId)} />,
        ),
      async (c, data) => {
        await svc.saveProfile(c.get('deps').db, actor(c), data);
        return c.redirect('/network/profile?ok=saved', 303);
      },
    ),
  );
  // no member grant needed: someone who already left is told so by the service
  app.post('/network/leave', async (c) => {
    const unit = parseId((await c.req.parseBody()).unit);
    const name = await svc.leave(c.get('deps').db, actor(c), unit);
    return c.html(<LeftPage ctx={pageCtx(c)} message={nt$(c)('profile.left', { unit: name })} />);
  });

  app.get('/network/recognition/mine', member, async (c) =>
    c.html(
      <MyRecognitionPage ctx={pageCtx(c)} rows={await repo.commendationsOfUser(c.get('deps').db, staff(c).userId)} />,
    ),
  );
  app.post('/network/recognition/:id/visibility', async (c) => {
    const body = await c.req.parseBody();
    await svc.setCommendationVisibility(c.get('deps').db, actor(c), id(c, 'id'), body.public === '1');
    return c.redirect('/network/recognition/mine', 303);
  });

  // training
  app.get('/network/training', member, async (c) =>
    c.html(
      <TrainingPage ctx={pageCtx(c)} courses={await repo.assignedCoursesFor(c.get('deps').db, staff(c).userId)} />,
    ),
  );
  app.get('/network/training/:id', member, async (c) => {
    const r = await svc.courseForMember(c.get('deps').db, actor(c), id(c, 'id'));
    return c.html(<CoursePage ctx={pageCtx(c)} course={r.course} lessons={r.lessons} done={r.done} />);
  });
  app.get('/network/training/:id/lessons/:n', member, async (c) => {
    const r = await svc.courseForMember(c.get('deps').db, actor(c), id(c, 'id'));
    const lesson = r.lessons.find((l) => l.position === Number(param(c, 'n')));
    if (!lesson) throw notFound();
    return c.html(
      <LessonPage
        ctx={pageCtx(c)}
        course={r.course}
        lesson={lesson}
        total={r.lessons.length}
        isDone={r.done.has(lesson.id)}
      />,
    );
  });
  app.post('/network/training/:id/lessons/:n/done', member, async (c) => {
    const courseId = id(c, 'id');
    const next = await svc.markLessonDone(c.get('deps').db, actor(c), courseId, Number(param(c, 'n')));
    return c.redirect(
      next ? `/network/training/${courseId}/lessons/${next}` : `/network/training/${courseId}/quiz`,
      303,
    );
  });
  app.get('/network/training/:id/quiz', member, async (c) => {
    const r = await svc.courseForMember(c.get('deps').db, actor(c), id(c, 'id'));
    return c.html(<QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} />);
  });
  app.post('/network/training/:id/quiz', member, async (c) => {
    const db = c.get('deps').db;
    const courseId = id(c, 'id');
    const body = await c.req.parseBody({ all: true });
    const r = await svc.courseForMember(db, actor(c), courseId);
    const g = await svc.takeQuiz(db, actor(c), courseId, body, c.get('locale'));
    if (!g.ok) {
      c.status(422);
      return c.html(
        <QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} values={g.values} errors={g.errors} />,
      );
    }
    return c.html(
      <QuizPage
        ctx={pageCtx(c)}
        course={r.course}
        questions={r.questions}
        values={formValues(body as Record<string, unknown>)}
        graded={g.value}
      />,
    );
  });
}
