/**
 * The network forms' schemas, checked by form() at the route: messages are keys of the network or the common catalog.
 * Rules that need the database (a unit in the leader's scope, a date after the campaign's start) are the services'.
 */
import { z } from 'zod';
import { localDate, type Vars } from '../../../platform/i18n/index.js';
import type { NetKey } from '../i18n.js';
import { CHANNELS } from './campaigns.js';
import { asList, dateRe, vnEnd } from './internal.js';
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

const isDay = (d: unknown): d is string =>
  typeof d === 'string' && dateRe.test(d) && !Number.isNaN(new Date(`${d}T00:00:00+07:00`).getTime());

/** A date typed as YYYY-MM-DD (a real date). */
export const day = posted(z.string().trim().refine(isDay, 'field.invalidDate'));

type Values = Record<string, unknown>;

/** Several values of one field (checkboxes, a multi-unit picker): the list, empty when none. */
const list = z.preprocess(asList, z.array(z.string()));

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

/** An internal public page: a path on this site, or a full URL on `baseUrl` (kept as its path). */
export function internalPath(raw: string, baseUrl: string): string | null {
  const v = raw.trim();
  if (v.startsWith('/') && !v.startsWith('//') && !/[\s<>"\\]/.test(v)) return v;
  try {
    const u = new URL(v);
    const b = new URL(baseUrl);
    if (u.origin === b.origin) return u.pathname + u.search;
  } catch {
    /* not a URL */
  }
  return null;
}

/** A campaign's page links, one a line: `title | path` or a path (pages of this site only). */
export function linkLines(text: string, baseUrl: string) {
  return text
    .split(/\r?\n/)
    .map((raw, i) => {
      const bar = raw.lastIndexOf('|');
      const [title, url] = bar >= 0 ? [raw.slice(0, bar), raw.slice(bar + 1)] : ['', raw];
      return { line: i + 1, blank: !raw.trim(), title: title.trim(), url, path: internalPath(url, baseUrl) };
    })
    .filter((l) => !l.blank);
}

/**
 * A new campaign (its page links must be pages of this site at `baseUrl`). The items chosen, the units and groups
 * (in the organiser's scope) and the audience are the service's rules. Every rule of the form is said at once.
 */
export const campaignSchema = (baseUrl: string) =>
  z
    .object({
      title: req(150),
      message: req(1000),
      caption: opt(500),
      links: posted(z.string()),
      starts: day,
      ends: day,
      items: list,
      units: list,
      groups: list,
    })
    .superRefine(
      (f, ctx) => {
        const v = f as Values;
        const issue = (path: string, message: NetKey, params?: Vars) =>
          ctx.addIssue({ code: 'custom', path: [path], message, params });
        const starts = v.starts;
        const ends = v.ends;
        if (isDay(starts) && isDay(ends)) {
          if (ends < starts) issue('ends', 'err.endsBeforeStart');
          else if (vnEnd(ends).getTime() <= Date.now()) issue('ends', 'err.endsPast');
        }
        const lines = linkLines(typeof v.links === 'string' ? v.links : '', baseUrl);
        const bad = lines.find((l) => !l.path);
        if (bad) issue('links', 'err.linkLine', { line: bad.line, value: bad.url.trim().slice(0, 80) });
        if (asList(v.items).length === 0 && lines.length === 0) issue('items', 'err.noItems');
        if (asList(v.units).length + asList(v.groups).length === 0) issue('units', 'err.noTargets');
      },
      { when: () => true },
    )
    .transform((f) => ({ ...f, links: linkLines(f.links, baseUrl).map((l) => ({ title: l.title, path: l.path! })) }));
export type CampaignInput = z.infer<ReturnType<typeof campaignSchema>>;

/**
 * A course assigned to a group (`target` = g:ID from the list) or else to the unit chosen with the picker
 * (`target_unit`); the service checks the course and that the target is in the trainer's scope.
 */
export const assignSchema = z
  .object({
    course: posted(z.string().regex(/^\d+$/, 'field.invalidChoice')),
    target: choice,
    target_unit: choice,
    due: day.refine((d) => !isDay(d) || d >= localDate(new Date()), 'err.dueDate'),
  })
  .refine((f) => f.target || f.target_unit, { path: ['target_unit'], message: 'err.noTargets', when: () => true });
export type AssignInput = z.infer<typeof assignSchema>;

/** "I shared this", with the channel it went out on. */
export const shareSchema = z.object({ channel: posted(z.enum(CHANNELS, { message: 'camp.channel' })) });

/** A claim a member sends to the desk. */
export const claimSchema = z.object({
  text: req(2000, 5),
  link: posted(
    z
      .string()
      .trim()
      .refine((v) => !v || /^https?:\/\/\S+$/i.test(v), 'field.invalidUrl'),
  ),
  seenWhere: opt(200),
});
export type ClaimInput = z.infer<typeof claimSchema>;

/** A membership named by its unit (leaving, a leader removing a member); the service finds it. */
export const membershipSchema = z.object({ unit: choice });

/** A member's commendation shown publicly or not. */
export const visibilitySchema = z.object({ public: posted(z.string()).transform((v) => v === '1') });

export const emailOk = (s: string) => z.email().safeParse(s).success;
/** A phone number as stored: without spaces, dots, dashes and brackets. */
export const cleanPhone = (s: string) => s.replace(/[\s.\-()]/g, '');
export const phoneOk = (s: string) => /^(\+?84|0)\d{8,10}$/.test(cleanPhone(s));

/** The public join form of an invitation. */
export const joinSchema = z.object({
  name: req(100),
  email: posted(
    z
      .string()
      .trim()
      .min(1, 'field.required')
      .refine((v) => v.length <= 200 && emailOk(v), 'field.invalidEmail'),
  ),
  phone: posted(
    z
      .string()
      .trim()
      .refine((v) => !v || phoneOk(v), 'field.invalidPhone'),
  ),
});
export type JoinInput = z.infer<typeof joinSchema>;

/** The confirmation of a join request: a new account's password (whether one is needed is the service's rule). */
export const confirmSchema = z.object({ password: posted(z.string()) });

/** The member import: the unit, a pasted CSV or a file (read by the route), new groups or not. */
export const importSchema = z.object({ unit: choice, csv: posted(z.string()), create_groups: checkbox });
export type ImportInput = z.infer<typeof importSchema>;

/** A quiz's answers: each question answered, with options it has (q{ID} = option index, several for 'multiple'). */
export function quizSchema(questions: { id: number; kind: string; options: unknown[] }[]) {
  return z.object(
    Object.fromEntries(
      questions.map((q) => [
        `q${q.id}`,
        z.preprocess(
          (v) =>
            asList(v)
              .map(Number)
              .filter((n) => Number.isInteger(n) && n >= 0 && n < q.options.length),
          z
            .array(z.number())
            .min(1, 'err.unanswered')
            .transform((picked) => (q.kind === 'multiple' ? picked : picked.slice(0, 1))),
        ),
      ]),
    ),
  );
}

const OPTION_SLOTS = [0, 1, 2, 3, 4, 5] as const;
const QUESTION_KINDS = ['single', 'multiple', 'truefalse'] as const;
/** The option slots filled in (opt0…opt5) and the slots ticked right, from the posted (or parsed) form. */
const slotsOf = (v: Values) => {
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const filled = OPTION_SLOTS.filter((i) => text(`opt${i}`));
  const ticked = asList(v.correct).filter((x) => /^[0-5]$/.test(x));
  return { text, filled, ticked };
};

/**
 * A quiz question: up to six option slots (opt0…opt5, empty ones closed up), `correct` the slots that are right. A
 * true/false question left without options gets the two of the editor's language (the service writes them).
 */
export const questionSchema = z
  .object({
    kind: posted(z.enum(QUESTION_KINDS, { message: 'field.invalidChoice' })),
    prompt: req(500),
    explanation: opt(500),
    ...Object.fromEntries(OPTION_SLOTS.map((i) => [`opt${i}`, posted(z.string().trim())])),
    correct: list,
  })
  // the options and the right answers are said even when the prompt is refused
  .superRefine(
    (f, ctx) => {
      const v = f as Values;
      const { text, filled, ticked } = slotsOf(v);
      const tfDefault = v.kind === 'truefalse' && filled.length === 0;
      const slots: number[] = tfDefault ? [0, 1] : filled;
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (!tfDefault && filled.some((i) => text(`opt${i}`).length > 200))
        ctx.addIssue({ code: 'too_big', origin: 'string', maximum: 200, path: ['options'], message: 'field.tooLong' });
      else if (v.kind === 'truefalse' && slots.length !== 2) issue('options', 'ce.err.trueFalse');
      else if (slots.length < 2) issue('options', 'ce.err.options');
      else {
        const correct = slots.filter((s) => ticked.includes(String(s)));
        if (ticked.some((s) => !slots.includes(Number(s)))) issue('correct', 'ce.err.correctEmpty');
        else if (correct.length === 0) issue('correct', 'ce.err.correct');
        else if (v.kind !== 'multiple' && correct.length > 1) issue('correct', 'ce.err.oneCorrect');
      }
    },
    { when: () => true },
  )
  .transform((f) => {
    const { text, filled, ticked } = slotsOf(f as Values);
    const tfDefault = f.kind === 'truefalse' && filled.length === 0;
    const slots: number[] = tfDefault ? [0, 1] : filled;
    return {
      kind: f.kind,
      prompt: f.prompt,
      explanation: f.explanation || null,
      /** null: a true/false question's own two options, in the editor's language */
      options: tfDefault ? null : filled.map((i) => text(`opt${i}`)),
      correct: slots.map((s, k) => (ticked.includes(String(s)) ? k : -1)).filter((k) => k >= 0),
    };
  });
export type QuestionForm = z.infer<typeof questionSchema>;
