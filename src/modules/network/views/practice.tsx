import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import type { NetKey } from '../i18n.js';
import type { AwardRow, ReachRow, SessionRow } from '../repo/practice.js';
import { AWARD_LEVELS, AWARD_TYPES, PLATFORMS } from '../service/practice.js';
import { Head, n } from './shared.js';

interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
  saved?: boolean;
}

export function SessionsPage({
  ctx,
  sessions,
  picker,
  f = {},
}: {
  ctx: PageCtx;
  sessions: SessionRow[];
  picker: PickerState;
  f?: FormState;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('prac.sessions')} staff head={<Head />}>
      <p>
        <a href="/network/manage">← {t('mgr.title')}</a> · <a href="/network/manage/awards">{t('prac.awards')}</a>
      </p>
      <h1>{t('prac.sessions')}</h1>
      {f.saved ? <Notice kind="success">{t('prac.saved')}</Notice> : null}
      {sessions.length === 0 ? (
        <p class="muted">{t('prac.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('prac.heldOn')}</th>
                <th>{t('prac.topic')}</th>
                <th>{t('prac.place')}</th>
                <th>{t('prac.unit')}</th>
                <th class="num">{t('prac.participantsCol')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr data-session={s.id}>
                  <td>{s.held_on}</td>
                  <td>{s.topic}</td>
                  <td>{s.place}</td>
                  <td>{s.unit_name}</td>
                  <td class="num">{s.participants}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('prac.newSession')}</h2>
      <ErrorSummary errors={f.errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/manage/sessions" class="stack narrow" novalidate>
        <Csrf token={ctx.csrf} />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('prac.unit')}
          required
          errors={f.errors}
          search={{ method: 'get', action: '/network/manage/sessions' }}
        />
        <Field name="held_on" type="date" label={t('prac.heldOn')} required values={f.values} errors={f.errors} />
        <Field name="place" label={t('prac.place')} required maxLength={200} values={f.values} errors={f.errors} />
        <Field name="topic" label={t('prac.topic')} required maxLength={200} values={f.values} errors={f.errors} />
        <Field
          name="participants"
          label={t('prac.participants')}
          hint={t('prac.participantsHint')}
          multiline
          rows={4}
          required
          values={f.values}
          errors={f.errors}
        />
        <button type="submit" name="save" value="1">
          {t('prac.newSession')}
        </button>
      </form>
    </Layout>
  );
}

export function AwardsPage({
  ctx,
  awards,
  picker,
  f = {},
}: {
  ctx: PageCtx;
  awards: AwardRow[];
  picker: PickerState;
  f?: FormState;
}) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('prac.awards')} staff head={<Head />}>
      <p>
        <a href="/network/manage">← {t('mgr.title')}</a> · <a href="/network/manage/sessions">{t('prac.sessions')}</a>
      </p>
      <h1>{t('prac.awards')}</h1>
      {f.saved ? <Notice kind="success">{t('prac.saved')}</Notice> : null}
      {awards.length === 0 ? (
        <p class="muted">{t('prac.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('prac.decidedOn')}</th>
                <th>{t('prac.recipient')}</th>
                <th>{t('prac.type')}</th>
                <th>{t('prac.level')}</th>
                <th>{t('prac.decision')}</th>
                <th>{t('prac.awardUnit')}</th>
              </tr>
            </thead>
            <tbody>
              {awards.map((a) => (
                <tr data-award={a.id}>
                  <td>{a.decided_on}</td>
                  <td>{a.recipient}</td>
                  <td>{t(`prac.type.${a.award_type}` as NetKey)}</td>
                  <td>{t(`prac.level.${a.level}` as NetKey)}</td>
                  <td>{a.decision_number}</td>
                  <td>{a.unit_name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('prac.newAward')}</h2>
      <ErrorSummary errors={f.errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/manage/awards" class="stack narrow" novalidate>
        <Csrf token={ctx.csrf} />
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('prac.awardUnit')}
          required
          errors={f.errors}
          search={{ method: 'get', action: '/network/manage/awards' }}
        />
        <Field
          name="recipient"
          label={t('prac.recipient')}
          required
          maxLength={200}
          values={f.values}
          errors={f.errors}
        />
        <Select
          name="award_type"
          label={t('prac.type')}
          required
          empty={t('prac.choose')}
          options={AWARD_TYPES.map((x) => ({ value: x, label: t(`prac.type.${x}` as NetKey) }))}
          values={f.values}
          errors={f.errors}
        />
        <Select
          name="level"
          label={t('prac.level')}
          required
          empty={t('prac.choose')}
          options={AWARD_LEVELS.map((x) => ({ value: x, label: t(`prac.level.${x}` as NetKey) }))}
          values={f.values}
          errors={f.errors}
        />
        <Field
          name="decision_number"
          label={t('prac.decision')}
          required
          maxLength={60}
          values={f.values}
          errors={f.errors}
          placeholder="123/QĐ-UBND"
        />
        <Field name="decided_on" type="date" label={t('prac.decidedOn')} required values={f.values} errors={f.errors} />
        <button type="submit" name="save" value="1">
          {t('prac.newAward')}
        </button>
      </form>
    </Layout>
  );
}

export function ReachPage({ ctx, rows, f = {} }: { ctx: PageCtx; rows: ReachRow[]; f?: FormState }) {
  const t = n(ctx);
  return (
    <Layout ctx={ctx} title={t('reach.title')} head={<Head />}>
      <p>
        <a href="/network">← {t('feed.title')}</a>
      </p>
      <h1>{t('reach.title')}</h1>
      <p>{t('reach.intro')}</p>
      {f.saved ? <Notice kind="success">{t('reach.saved')}</Notice> : null}
      {rows.length ? (
        <ul class="reach-list">
          {rows.map((r) => (
            <li data-reach={r.id}>
              {r.group_name} ({t(`reach.platform.${r.platform}` as NetKey)}): {r.reach}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorSummary errors={f.errors} title={ctx.t('error.validation')} />
      <form method="post" action="/network/reach" class="stack narrow" novalidate>
        <Csrf token={ctx.csrf} />
        <Field
          name="group_name"
          label={t('reach.group')}
          required
          maxLength={150}
          values={f.values}
          errors={f.errors}
        />
        <Select
          name="platform"
          label={t('reach.platform')}
          required
          empty={t('prac.choose')}
          options={PLATFORMS.map((x) => ({ value: x, label: t(`reach.platform.${x}` as NetKey) }))}
          values={f.values}
          errors={f.errors}
        />
        <Field
          name="reach"
          label={t('reach.reach')}
          required
          inputmode="numeric"
          maxLength={8}
          values={f.values}
          errors={f.errors}
        />
        <button type="submit">{t('reach.save')}</button>
      </form>
    </Layout>
  );
}
