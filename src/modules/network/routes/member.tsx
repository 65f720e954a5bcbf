/** A member's own pages: the feed, campaigns and shares, claims, profile, recognition and courses. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { type FieldErrors, type FormValues, formValues, postedBody, submit } from '../../../http/forms.js';
import { nt } from '../i18n.js';
import { brokenForm, notFound } from '../../../http/errors.js';
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
import { claimSchema, membershipSchema, quizSchema, shareSchema, visibilitySchema } from '../service/forms.js';
import { id, notice, nt$, param } from './common.js';

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
  // the channel is a select: another one comes from a hand-made request, refused with the error page as before
  app.post(
    '/network/campaigns/:id/items/:item/shared',
    member,
    submit(
      shareSchema,
      () => {
        throw new svc.NetworkError(422, 'camp.channel');
      },
      async (c, input) => {
        const cid = id(c, 'id');
        const item = id(c, 'item');
        await svc.reportShare(c.get('deps').db, actor(c), cid, item, input.channel);
        return c.redirect(`/network/campaigns/${cid}?ok=shared#item-${item}`, 303);
      },
    ),
  );

  app.get('/network/claims/new', member, (c) => c.html(<ClaimPage ctx={pageCtx(c)} />));
  app.post(
    '/network/claims',
    member,
    submit(
      claimSchema,
      (c, r) => c.html(<ClaimPage ctx={pageCtx(c)} {...r} />),
      async (c, input) => {
        const sent = await svc.sendClaim(c.get('deps'), actor(c), input);
        if (sent) return c.html(<ClaimPage ctx={pageCtx(c)} sent={sent} />);
        c.status(503);
        return c.html(<ClaimPage ctx={pageCtx(c)} values={formValues(await postedBody(c))} unavailable />);
      },
      { catalog: nt },
    ),
  );

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
      { catalog: nt },
    ),
  );
  // no member grant needed: someone who already left is told so by the service
  app.post(
    '/network/leave',
    submit(membershipSchema, brokenForm, async (c, input) => {
      const name = await svc.leave(c.get('deps').db, actor(c), parseId(input.unit));
      return c.html(<LeftPage ctx={pageCtx(c)} message={nt$(c)('profile.left', { unit: name })} />);
    }),
  );

  app.get('/network/recognition/mine', member, async (c) =>
    c.html(
      <MyRecognitionPage ctx={pageCtx(c)} rows={await repo.commendationsOfUser(c.get('deps').db, staff(c).userId)} />,
    ),
  );
  app.post(
    '/network/recognition/:id/visibility',
    submit(visibilitySchema, brokenForm, async (c, input) => {
      await svc.setCommendationVisibility(c.get('deps').db, actor(c), id(c, 'id'), input.public);
      return c.redirect('/network/recognition/mine', 303);
    }),
  );

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
  // the schema is the course's questions: each answered, with options it has
  app.post('/network/training/:id/quiz', member, async (c) => {
    const db = c.get('deps').db;
    const courseId = id(c, 'id');
    const r = await svc.courseForMember(db, actor(c), courseId);
    const page = (c: Ctx, more: { values?: FormValues; errors?: FieldErrors; graded?: svc.Graded }) =>
      c.html(<QuizPage ctx={pageCtx(c)} course={r.course} questions={r.questions} {...more} />);
    return submit(
      quizSchema(r.questions),
      (c, refused) => page(c, refused),
      async (c, answers) => {
        const graded = await svc.takeQuiz(db, actor(c), courseId, answers as Record<string, number[]>);
        return page(c, { values: formValues(await postedBody(c)), graded });
      },
      { catalog: nt },
    )(c);
  });
}
