/**
 * The network forms' schemas, checked by form() at the route: messages are keys of the network or the common catalog.
 * Rules that need the database (a unit in the leader's scope, a date after the campaign's start) are the services'.
 */
import { z } from 'zod';
import { dateRe } from './internal.js';
import { AWARD_LEVELS, AWARD_TYPES, PLATFORMS } from './practice.js';

/** A field as posted: a missing one is empty (the service would have read `form.x ?? ''`). */
const posted = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? v : ''), schema);

/** Required text, trimmed, at least `min` and at most `max` characters. */
export const req = (max: number, min = 1) =>
  posted(
    min > 1
      ? z.string().trim().min(1, 'field.required').min(min, 'field.tooShort').max(max, 'field.tooLong')
      : z.string().trim().min(1, 'field.required').max(max, 'field.tooLong'),
  );

/** Optional text, trimmed, at most `max` characters ('' when left empty). */
export const opt = (max: number) => posted(z.string().trim().max(max, 'field.tooLong'));

/** A date typed as YYYY-MM-DD (a real date). */
export const day = posted(
  z
    .string()
    .trim()
    .refine((d) => dateRe.test(d) && !Number.isNaN(new Date(`${d}T00:00:00+07:00`).getTime()), 'field.invalidDate'),
);

/** A unit (or group) chosen in a picker or a select: its id as typed; the service checks it is in scope. */
export const choice = posted(z.string());

/** A checkbox: ticked or not. */
export const checkbox = z.preprocess((v) => v != null && v !== '', z.boolean());

export const campaignEditSchema = z.object({ title: req(150), message: req(1000), ends: day });
export type CampaignEditInput = z.infer<typeof campaignEditSchema>;

export const campaignCancelSchema = z.object({
  reason: req(500, 5),
  confirm: checkbox.refine((v) => v, 'cm.err.confirm'),
});
export type CampaignCancelInput = z.infer<typeof campaignCancelSchema>;

const passMark = posted(
  z
    .string()
    .trim()
    .refine((v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100, 'ce.err.passMark')
    .transform(Number),
);

export const courseSchema = z.object({ title: req(200, 3), summary: req(1000, 3), pass_mark: passMark });
export type CourseInput = z.infer<typeof courseSchema>;
export const newCourseSchema = courseSchema.extend({ unit: choice });
export type NewCourseInput = z.infer<typeof newCourseSchema>;

const videoUrl = posted(
  z
    .string()
    .trim()
    .refine((v) => !v || (/^https?:\/\/[^\s<>"]+$/i.test(v) && v.length <= 500 && URL.canParse(v)), 'field.invalidUrl'),
);
export const lessonSchema = z
  .object({
    title: req(200),
    body: z.preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n') : ''), req(20000)),
    video_url: videoUrl,
    transcript: opt(20000),
    preview: z.preprocess((v) => v != null && v !== '', z.boolean()),
  })
  .transform((f) => ({
    preview: f.preview,
    lesson: { title: f.title, body: f.body, videoUrl: f.video_url || null, transcript: f.transcript || null },
  }));
export type LessonForm = z.infer<typeof lessonSchema>;

export const groupSchema = z.object({ unit: choice, name: req(80) });
export type GroupInput = z.infer<typeof groupSchema>;

export const inviteSchema = z.object({
  unit: choice,
  group: choice,
  days: z.preprocess((v) => Math.min(90, Math.max(1, Number(v) || 14)), z.number()),
});
export type InviteInput = z.infer<typeof inviteSchema>;

export const commendSchema = z.object({ unit: choice, member: posted(z.string().trim()), reason: req(500) });
export type CommendInput = z.infer<typeof commendSchema>;

const oneOf = <T extends readonly [string, ...string[]]>(list: T) =>
  posted(z.enum(list, { message: 'field.invalidChoice' }));

export const sessionSchema = z.object({
  unit: choice,
  held_on: day,
  place: req(200),
  topic: req(200),
  participants: posted(z.string()),
});
export type SessionInput = z.infer<typeof sessionSchema>;

export const awardSchema = z.object({
  unit: choice,
  recipient: req(200),
  award_type: oneOf(AWARD_TYPES),
  level: oneOf(AWARD_LEVELS),
  decision_number: req(60),
  decided_on: day,
});
export type AwardInput = z.infer<typeof awardSchema>;

export const reachSchema = z.object({
  group_name: req(150),
  platform: oneOf(PLATFORMS),
  reach: posted(
    z
      .string()
      .trim()
      .regex(/^\d{1,8}$/, 'reach.number')
      .transform(Number),
  ),
});
export type ReachInput = z.infer<typeof reachSchema>;
