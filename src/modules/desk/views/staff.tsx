import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice, Select } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { MultiUnitPicker, UnitPicker } from '../../../http/views/unit-picker.js';
import type { MultiPickerState, PickerState } from '../../../http/unit-picker.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import { appearancesToText, sourcesToText } from '../service/forms.js';
import { dt } from '../i18n.js';
import {
  PRIORITIES,
  type ClaimRow,
  type ClusterHandling,
  type ClusterReply,
  type ClusterRow,
  type ClusterStatus,
  type Correction,
  type ItemStatus,
  type ItemSummary,
  type ItemImage,
  type ItemView,
  type Kind,
  type PolicyRow,
  type ReturnNote,
  type RevisionRow,
  type StaffListRow,
  type TopicRow,
  type VerdictRow,
} from '../repo.js';

import { type ItemMay, itemPath, REPLY_MAX, RETURN_NOTE_MAX } from '../service.js';
import { VerdictBadge } from './public.js';

const KINDS: Kind[] = ['factcheck', 'article', 'video'];
const STATUSES: ItemStatus[] = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished'];

export function StaffDesk({
  ctx,
  items,
  status,
  counts,
  notice,
  mayEditPolicies,
}: {
  ctx: PageCtx;
  items: StaffListRow[];
  status: ItemStatus | null;
  counts: Record<string, number>;
  notice?: string;
  /** the service's decision: the reader edits the installation's policy pages */
  mayEditPolicies: boolean;
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('staff.title')} staff>
      <h1>{t('staff.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p class="cta-row">
        {KINDS.map((k) => (
          <a class="button secondary" href={`/staff/desk/items/new?kind=${k}`}>
            {t('staff.newKind', { kind: t(`kind.${k}`).toLowerCase() })}
          </a>
        ))}
        <a class="button secondary" href="/staff/desk/claims">
          {t('nav.staffClaims')}
        </a>
        {mayEditPolicies ? (
          <a class="button secondary" href="/staff/desk/policies">
            {t('policies.title')}
          </a>
        ) : null}
      </p>
      <nav aria-label={t('staff.items')}>
        <a href="/staff/desk">{t('staff.all')}</a>
        {STATUSES.map((s) => (
          <>
            {' '}
            ·{' '}
            <a href={`/staff/desk?status=${s}`} aria-current={status === s ? 'page' : undefined}>
              {t(`status.${s}`)} ({counts[s] ?? 0})
            </a>
          </>
        ))}
      </nav>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>{ctx.t('common.name')}</th>
              <th>{t('form.kind')}</th>
              <th>{ctx.t('common.status')}</th>
              <th>{t('staff.author')}</th>
              <th>{ctx.t('common.date')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td>
                  <a href={`/staff/desk/items/${i.id}`}>{i.title}</a> <VerdictBadge ctx={ctx} item={i} />
                </td>
                <td>{t(`kind.${i.kind}`)}</td>
                <td data-status={i.status}>
                  {t(`status.${i.status}`)}
                  {i.revision_status ? (
                    <>
                      <br />
                      <small data-revision={i.revision_status}>
                        {t('rev.listed', { status: t(`status.${i.revision_status}`) })}
                      </small>
                    </>
                  ) : null}
                </td>
                <td>{i.author_name ?? '—'}</td>
                <td>{formatDateTime(ctx.locale, i.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export interface EditorData {
  kind: Kind;
  item: ItemView | null;
  verdicts: VerdictRow[];
  topics: TopicRow[];
  /** the places the piece is about, chosen with the unit picker */
  units: MultiPickerState;
  versions: { version: number; note: string | null; created_at: Date; actor_name: string | null }[];
  corrections: Correction[];
  /** notes the piece was sent back to draft with, newest first */
  notes: ReturnNote[];
  /** what the form shows: the piece's working values, a new piece's defaults (its unit), or what was typed */
  values: FormValues;
  errors?: FieldErrors;
  notice?: string;
  /** a published piece's change awaiting review */
  revision?: RevisionRow | null;
  /** the unit the piece is filed under, chosen with the unit picker inside the reader's scope */
  owner?: PickerState | null;
  /** what the reader may do with the piece now (decided by the service) */
  may: ItemMay;
}

export function itemValues(i: ItemView): FormValues {
  return {
    kind: i.kind,
    title: i.title,
    summary: i.summary,
    body: i.body,
    claim: i.claim ?? '',
    appearances: appearancesToText(i.appearances),
    claim_date: i.claim_date ?? '',
    verdict: i.verdict ?? '',
    method: i.method,
    video_url: i.video_url ?? '',
    poster_url: i.poster_url ?? '',
    transcript: i.transcript ?? '',
    sources: sourcesToText(i.sources),
    topics: i.topic_ids.join('\n'),
    units: i.unit_ids.join('\n'),
    owner_unit_id: i.unit_id ? String(i.unit_id) : '',
    images_json: JSON.stringify(i.images ?? []),
  };
}

/** What the editor works on: a published piece's pending change when there is one, else the piece itself. */
export function workingValues(i: ItemView, rev: RevisionRow | null | undefined): FormValues {
  if (!rev) return itemValues(i);
  const d = rev.data;
  return {
    ...itemValues({
      ...i,
      title: d.title,
      summary: d.summary,
      body: d.body,
      claim: d.claim,
      appearances: d.appearances ?? [],
      claim_date: d.claimDate,
      verdict: d.verdict,
      method: d.method,
      video_url: d.videoUrl,
      poster_url: d.posterUrl,
      transcript: d.transcript,
      sources: d.sources ?? [],
      topic_ids: d.topicIds ?? [],
      unit_ids: d.unitIds ?? [],
      images: d.images ?? [],
    }),
    correction_what: rev.correction_what,
    correction_why: rev.correction_why,
  };
}

function NoteText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\r?\n+/).map((line) => (
        <p>{line}</p>
      ))}
    </>
  );
}

function ReturnNoteLine({ ctx, n }: { ctx: PageCtx; n: ReturnNote }) {
  const t = dt.t(ctx.locale);
  return (
    <p class="muted">
      {t('note.by', {
        name: n.actor_name ?? '—',
        date: formatDateTime(ctx.locale, n.created_at),
        from: t(`status.${n.from_status}`),
        version: n.version,
      })}
    </p>
  );
}

function Multi({
  name,
  label,
  options,
  selected,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  selected: Set<string>;
}) {
  return (
    <fieldset class="field">
      <legend>{label}</legend>
      {options.map((o) => (
        <label>
          <input type="checkbox" name={name} value={o.value} checked={selected.has(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function ItemEditor({ ctx, d }: { ctx: PageCtx; d: EditorData }) {
  const t = dt.t(ctx.locale);
  const i = d.item;
  const rev = d.revision ?? null;
  const values = d.values;
  const errors = d.errors;
  const kind = d.kind;
  const action = i ? `/staff/desk/items/${i.id}` : '/staff/desk/items';
  const sel = (k: string) => new Set((values[k] ?? '').split('\n').filter(Boolean));
  const title = i ? i.title : t('staff.newKind', { kind: t(`kind.${kind}`).toLowerCase() });
  // the latest note leads the page while the piece is being worked on; every other one is in the history
  const notes = d.notes ?? [];
  const latestNote =
    i && notes[0] && (['draft', 'in_review'].includes(i.status) || (rev && notes[0].version === rev.version))
      ? notes[0]
      : null;
  const earlier = latestNote ? notes.slice(1) : notes;
  return (
    <Layout ctx={ctx} title={title} staff>
      <h1>{title}</h1>
      {i ? (
        <p>
          {t(`kind.${i.kind}`)} · <strong data-status={i.status}>{t(`status.${i.status}`)}</strong> ·{' '}
          {t('staff.version', { n: i.version })} · {t('staff.author')}: {i.author_name ?? '—'}
          {i.approver_name ? (
            <>
              {' '}
              · {t('staff.approver')}: {i.approver_name}
            </>
          ) : null}
          {i.status === 'scheduled' && i.publish_at ? (
            <> · {t('wf.scheduledFor', { date: formatDateTime(ctx.locale, i.publish_at) })}</>
          ) : null}
          {i.status === 'published' ? (
            <>
              {' '}
              · <a href={itemPath(i)}>{t('staff.viewPublic')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {d.notice ? <Notice kind="success">{d.notice}</Notice> : null}
      {rev ? (
        <section class="notice warning revision" aria-labelledby="rev-h">
          <h2 id="rev-h">{t('rev.title', { n: rev.version })}</h2>
          <p>
            {t('rev.status', {
              status: t(`status.${rev.status}`),
              name: rev.editor_name ?? '—',
              date: formatDateTime(ctx.locale, rev.updated_at),
            })}
          </p>
          <p>{t('rev.correction', { what: rev.correction_what, why: rev.correction_why })}</p>
        </section>
      ) : null}
      {latestNote ? (
        <section class="notice warning return-note" aria-labelledby="return-note-h">
          <h2 id="return-note-h">{t('note.latest')}</h2>
          <ReturnNoteLine ctx={ctx} n={latestNote} />
          <blockquote>
            <NoteText text={latestNote.note} />
          </blockquote>
        </section>
      ) : null}
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      {i ? <Workflow ctx={ctx} item={i} revision={rev} may={d.may} errors={errors} values={d.values} /> : null}
      {i?.status !== 'unpublished' ? (
        <form method="post" action={action} class="stack" enctype="multipart/form-data" novalidate>
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="kind" value={kind} />
          {!i && values.cluster_id ? <input type="hidden" name="cluster_id" value={values.cluster_id} /> : null}
          {i?.status === 'published' ? <p class="hint">{t('rev.hint')}</p> : null}
          {d.owner && i?.status !== 'published' ? (
            <UnitPicker
              ctx={ctx}
              state={d.owner}
              label={t('form.ownerUnit')}
              errors={errors}
              required
              search={{ method: 'post' }}
            />
          ) : null}
          <Field name="title" label={t('form.title')} required maxLength={300} values={values} errors={errors} />
          {kind === 'factcheck' ? (
            <>
              <Field
                name="claim"
                label={t('form.claim')}
                multiline
                rows={3}
                maxLength={2000}
                values={values}
                errors={errors}
              />
              <Select
                name="verdict"
                label={t('form.verdict')}
                empty={t('form.chooseVerdict')}
                options={d.verdicts.map((v) => ({ value: v.code, label: ctx.locale === 'en' ? v.label_en : v.label }))}
                values={values}
                errors={errors}
              />
            </>
          ) : null}
          <Field
            name="summary"
            label={t('form.summary')}
            multiline
            rows={3}
            maxLength={1000}
            values={values}
            errors={errors}
          />
          {kind === 'video' ? (
            <>
              <Field
                name="video_url"
                label={t('form.videoUrl')}
                type="url"
                maxLength={2000}
                values={values}
                errors={errors}
              />
              <input type="hidden" name="poster_url" value={values.poster_url ?? ''} />
              <div class={`field${errors?.poster ? ' has-error' : ''}`}>
                <label for="f-poster">{t('form.poster')}</label>
                {values.poster_url ? (
                  <p>
                    <img src={values.poster_url} alt="" width={160} height={90} />
                  </p>
                ) : null}
                <input id="f-poster" type="file" name="poster" accept="image/jpeg,image/png,image/webp" />
                {errors?.poster ? (
                  <p class="error" id="f-poster-err" role="alert">
                    {errors.poster}
                  </p>
                ) : null}
              </div>
              <Field
                name="transcript"
                label={t('form.transcript')}
                multiline
                rows={10}
                values={values}
                errors={errors}
              />
            </>
          ) : null}
          <Field
            name="body"
            label={t('form.body')}
            hint={t('form.bodyHint')}
            multiline
            rows={12}
            values={values}
            errors={errors}
          />
          {kind === 'factcheck' ? (
            <>
              <Field
                name="appearances"
                label={t('form.appearances')}
                hint={t('form.appearancesHint')}
                multiline
                rows={3}
                values={values}
                errors={errors}
              />
              <Field name="claim_date" label={t('form.claimDate')} type="date" values={values} errors={errors} />
              <Field name="method" label={t('form.method')} multiline rows={4} values={values} errors={errors} />
            </>
          ) : null}
          {kind !== 'video' ? <ImagesFields ctx={ctx} values={values} errors={errors} /> : null}
          <Field
            name="sources"
            label={t('form.sources')}
            hint={t('form.sourcesHint')}
            multiline
            rows={4}
            values={values}
            errors={errors}
          />
          <Multi
            name="topics"
            label={t('form.topics')}
            options={d.topics.map((tp) => ({
              value: String(tp.id),
              label: ctx.locale === 'en' ? tp.name_en : tp.name,
            }))}
            selected={sel('topics')}
          />
          <MultiUnitPicker
            ctx={ctx}
            state={d.units}
            label={t('form.units')}
            errors={errors}
            search={{ method: 'post' }}
          />
          {i?.status === 'published' ? (
            <>
              <p class="hint">{t('form.correctionHint')}</p>
              <Field
                name="correction_what"
                label={t('form.correctionWhat')}
                maxLength={1000}
                values={values}
                errors={errors}
              />
              <Field
                name="correction_why"
                label={t('form.correctionWhy')}
                maxLength={1000}
                values={values}
                errors={errors}
              />
            </>
          ) : null}
          {d.may.save ? (
            <button type="submit" name="op" value="save">
              {t('form.save')}
            </button>
          ) : null}
        </form>
      ) : null}
      {i ? (
        <section>
          <h2>{t('item.corrections')}</h2>
          <ul>
            {d.corrections.map((c) => (
              <li>
                {t('item.correction', { date: formatDateTime(ctx.locale, c.created_at), what: c.what, why: c.why })}
              </li>
            ))}
          </ul>
          {earlier.length ? (
            <>
              <h2>{t('note.history')}</h2>
              <ol reversed class="return-notes">
                {earlier.map((n) => (
                  <li>
                    <ReturnNoteLine ctx={ctx} n={n} />
                    <blockquote>
                      <NoteText text={n.note} />
                    </blockquote>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          <h2>{t('staff.versions')}</h2>
          <ol reversed>
            {d.versions.map((v) => (
              <li>
                {t('staff.version', { n: v.version })} · {formatDateTime(ctx.locale, v.created_at)} ·{' '}
                {v.actor_name ?? '—'}
                {v.note ? <> · {v.note}</> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Layout>
  );
}

/** The piece's images (caption and credit each, or removed) and one new upload per save; works without JavaScript. */
function ImagesFields({ ctx, values, errors }: { ctx: PageCtx; values: FormValues; errors?: FieldErrors }) {
  const t = dt.t(ctx.locale);
  let images: ItemImage[] = [];
  try {
    images = JSON.parse(values.images_json || '[]') as ItemImage[];
  } catch {
    images = [];
  }
  return (
    <fieldset class={`field images${errors?.images || errors?.image_new ? ' has-error' : ''}`} id="f-images">
      <legend>{t('form.images')}</legend>
      <p class="hint">{t('form.imagesHint')}</p>
      {errors?.images ? (
        <p class="error" role="alert">
          {errors.images}
        </p>
      ) : null}
      {images.map((img, n) => (
        <div class="card image-edit">
          <input type="hidden" name="image_id" value={img.id} />
          <p>
            <img src={`/desk/media/${img.id}`} alt={t('img.figure', { n: n + 1 })} width={160} style="height:auto" />
          </p>
          <Field
            name={`image_caption_${img.id}`}
            label={t('form.imageCaption')}
            maxLength={300}
            values={{ [`image_caption_${img.id}`]: values[`image_caption_${img.id}`] ?? img.caption }}
          />
          <Field
            name={`image_credit_${img.id}`}
            label={t('form.imageCredit')}
            maxLength={300}
            values={{ [`image_credit_${img.id}`]: values[`image_credit_${img.id}`] ?? img.credit }}
          />
          <label>
            <input type="checkbox" name="image_remove" value={img.id} /> {t('form.imageRemove')}
          </label>
        </div>
      ))}
      <div class={`field${errors?.image_new ? ' has-error' : ''}`}>
        <label for="f-image_new">{t('form.imageNew')}</label>
        <input id="f-image_new" type="file" name="image_new" accept="image/jpeg,image/png,image/webp" />
        {errors?.image_new ? (
          <p class="error" id="f-image_new-err" role="alert">
            {errors.image_new}
          </p>
        ) : null}
      </div>
      <Field name="image_new_caption" label={t('form.imageCaption')} maxLength={300} values={values} />
      <Field name="image_new_credit" label={t('form.imageCredit')} maxLength={300} values={values} />
    </fieldset>
  );
}

function Workflow({
  ctx,
  item,
  revision,
  may,
  errors,
  values,
}: {
  ctx: PageCtx;
  item: ItemView;
  revision: RevisionRow | null;
  may: ItemMay;
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const t = dt.t(ctx.locale);
  const base = `/staff/desk/items/${item.id}`;
  const Btn = ({
    op,
    label,
    secondary,
    version,
  }: {
    op: string;
    label: string;
    secondary?: boolean;
    version?: number;
  }) => (
    <form method="post" action={`${base}/${op}`} class="inline">
      <Csrf token={ctx.csrf} />
      {version ? <input type="hidden" name="version" value={String(version)} /> : null}
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  );
  const version = revision ? revision.version : item.version;
  return (
    <section class="card workflow">
      {may.submit ? <Btn op="submit" label={t('wf.submit')} /> : null}
      {may.approve ? <Btn op="approve" label={t('wf.approve')} version={version} /> : null}
      {may.return ? (
        <form method="post" action={`${base}/return`} class="stack" novalidate>
          <Csrf token={ctx.csrf} />
          <Field
            name="note"
            label={t('wf.returnNote')}
            hint={t('wf.returnNoteHint')}
            multiline
            rows={3}
            required
            maxLength={RETURN_NOTE_MAX}
            values={values}
            errors={errors}
          />
          <button type="submit" class="secondary">
            {t('wf.return')}
          </button>
        </form>
      ) : null}
      {may.publish ? (
        <>
          <Btn op="publish" label={t('wf.publishNow')} />
          <form method="post" action={`${base}/schedule`} class="stack">
            <Csrf token={ctx.csrf} />
            <Field name="publish_at" label={t('wf.publishAt')} type="datetime-local" values={values} errors={errors} />
            <button type="submit" class="secondary">
              {t('wf.schedule')}
            </button>
          </form>
        </>
      ) : null}
      {may.unpublish ? (
        <form method="post" action={`${base}/unpublish`} class="stack">
          <Csrf token={ctx.csrf} />
          <Field name="reason" label={t('wf.unpublishReason')} maxLength={1000} values={values} errors={errors} />
          <button type="submit" class="secondary">
            {t('wf.unpublish')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

const CSTATUSES: ClusterStatus[] = ['new', 'checking', 'answered_existing', 'answered', 'not_checkable'];

export interface NeighbourQuestion {
  text: string;
  size: number;
  lastSeen: Date;
  partner: string;
}

export function ClustersPage({
  ctx,
  clusters,
  status,
  mine,
  neighbours = [],
}: {
  ctx: PageCtx;
  clusters: (ClusterRow & Partial<ClusterHandling>)[];
  status: ClusterStatus | null;
  mine?: boolean;
  neighbours?: NeighbourQuestion[];
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('clusters.title')} staff>
      <h1>{t('clusters.title')}</h1>
      <nav>
        <a href="/staff/desk/claims">{t('staff.all')}</a>
        {CSTATUSES.map((s) => (
          <>
            {' '}
            ·{' '}
            <a href={`/staff/desk/claims?status=${s}`} aria-current={status === s ? 'page' : undefined}>
              {t(`cstatus.${s}`)}
            </a>
          </>
        ))}
        {' · '}
        <a href="/staff/desk/claims?mine=1" aria-current={mine ? 'page' : undefined}>
          {t('clusters.mine')}
        </a>
      </nav>
      {clusters.length === 0 ? (
        <p>{t('clusters.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('clusters.text')}</th>
                <th>{t('clusters.size')}</th>
                <th>{ctx.t('common.status')}</th>
                <th>{t('cluster.priority')}</th>
                <th>{t('cluster.assignee')}</th>
                <th>{ctx.t('common.date')}</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr>
                  <td>
                    <a href={`/staff/desk/clusters/${c.id}`}>{c.title}</a>
                    {c.factcheck_title ? (
                      <>
                        <br />
                        <small>{t('cluster.linked', { title: c.factcheck_title })}</small>
                      </>
                    ) : null}
                  </td>
                  <td class="cluster-size">{c.size}</td>
                  <td data-status={c.status}>{t(`cstatus.${c.status}`)}</td>
                  <td data-priority={c.priority ?? 'normal'}>{t(`priority.${c.priority ?? 'normal'}`)}</td>
                  <td>{c.assignee_name ?? '—'}</td>
                  <td>{formatDateTime(ctx.locale, c.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {neighbours.length > 0 && (
        <section aria-labelledby="neighbours">
          <h2 id="neighbours">{t('clusters.neighbours')}</h2>
          <ul>
            {neighbours.map((n) => (
              <li>
                {n.text}{' '}
                <small>
                  {t('clusters.neighbourLine', {
                    partner: n.partner,
                    size: n.size,
                    date: formatDateTime(ctx.locale, n.lastSeen),
                  })}
                </small>
              </li>
            ))}
          </ul>
          <p>
            <a href="/staff/exchange/warnings">{t('clusters.neighboursAll')}</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

export interface ClusterHandlingData {
  handling: ClusterHandling;
  assignees: { id: number; name: string }[];
  replies: ClusterReply[];
  /** the reader may start a fact-check from this cluster (decided by the service) */
  mayStartFactcheck: boolean;
}

export function ClusterPage({
  ctx,
  cluster,
  claims,
  suggestions,
  factchecks,
  values,
  errors,
  notice,
  handling,
}: {
  ctx: PageCtx;
  cluster: ClusterRow;
  claims: ClaimRow[];
  suggestions: (ItemSummary & { score: number; answers?: boolean })[];
  factchecks: ItemSummary[];
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string;
  handling?: ClusterHandlingData;
}) {
  const t = dt.t(ctx.locale);
  const v = values?.status
    ? values
    : {
        status: cluster.status,
        factcheck_id: cluster.factcheck_id ? String(cluster.factcheck_id) : '',
        reason: cluster.reason ?? '',
      };
  const options = new Map<number, ItemSummary>();
  for (const s of suggestions) options.set(s.id, s);
  for (const f of factchecks) options.set(f.id, f);
  return (
    <Layout ctx={ctx} title={t('cluster.title', { id: cluster.id })} staff>
      <h1>{t('cluster.title', { id: cluster.id })}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <strong>{cluster.title}</strong>
      </p>
      <p>
        {t('clusters.size')}: <span class="cluster-size">{cluster.size}</span> ·{' '}
        <span data-status={cluster.status}>{t(`cstatus.${cluster.status}`)}</span>
        {cluster.factcheck_title ? <> · {t('cluster.linked', { title: cluster.factcheck_title })}</> : null}
      </p>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action={`/staff/desk/clusters/${cluster.id}`} class="stack card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cluster.setStatus')}</h2>
        <Select
          name="status"
          label={ctx.t('common.status')}
          options={CSTATUSES.map((s) => ({ value: s, label: t(`cstatus.${s}`) }))}
          values={v}
          errors={errors}
        />
        <Select
          name="factcheck_id"
          label={t('cluster.factcheck')}
          empty={t('cluster.chooseFactcheck')}
          options={[...options.values()].map((f) => ({
            value: String(f.id),
            label: `${f.title} (${t(`status.${f.status}`)})`,
          }))}
          values={v}
          errors={errors}
        />
        <Field name="reason" label={t('cluster.reason')} maxLength={1000} values={v} errors={errors} />
        <button type="submit">{ctx.t('common.save')}</button>
      </form>
      {handling ? (
        <ClusterHandlingForms ctx={ctx} cluster={cluster} h={handling} values={values} errors={errors} />
      ) : null}
      <form method="post" action={`/staff/desk/clusters/${cluster.id}/merge`} class="stack card" novalidate>
        <Csrf token={ctx.csrf} />
        <Field
          name="from"
          label={t('cluster.mergeFrom')}
          hint={t('cluster.mergeHint')}
          inputmode="numeric"
          maxLength={10}
          values={values}
          errors={errors}
        />
        <button type="submit" class="secondary">
          {t('cluster.merge')}
        </button>
      </form>
      <section>
        <h2>{t('cluster.suggest')}</h2>
        <ul>
          {suggestions.map((s) => (
            <li class={s.answers ? 'answers' : 'related'}>
              <a href={itemPath(s)}>{s.title}</a> <VerdictBadge ctx={ctx} item={s} /> —{' '}
              {t(s.answers ? 'claim.suggestAnswer' : 'claim.suggestRelated', { score: s.score.toFixed(2) })}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2>{t('cluster.claims', { n: claims.length })}</h2>
        <ul class="timeline">
          {claims.map((c) => (
            <li>
              <code>{c.code}</code> · {formatDateTime(ctx.locale, c.created_at)}
              {c.unit_name ? <> · {c.unit_name}</> : null}
              {c.source === 'member' ? <> · {t('cluster.member')}</> : null}
              {c.contact_email ? <> · {t('cluster.contact')}</> : null}
              <br />
              {c.text}
              {c.seen_where ? (
                <>
                  <br />
                  <small>
                    {t('claim.seenWhere')} {c.seen_where}
                  </small>
                </>
              ) : null}
              {c.link ? (
                <>
                  <br />
                  <small>
                    <a href={c.link} rel="nofollow noopener noreferrer">
                      {c.link}
                    </a>
                  </small>
                </>
              ) : null}
              {c.screenshot_id ? (
                <>
                  <br />
                  <small>
                    <a href={`/staff/desk/files/${c.screenshot_id}`}>{t('claim.screenshot')}</a>
                  </small>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/** Assignment and priority, the reply to residents, and "start a fact-check from this cluster": plain forms and a link. */
function ClusterHandlingForms({
  ctx,
  cluster,
  h,
  values,
  errors,
}: {
  ctx: PageCtx;
  cluster: ClusterRow;
  h: ClusterHandlingData;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const t = dt.t(ctx.locale);
  const v = values?.priority
    ? values
    : { assignee_id: h.handling.assignee_id ? String(h.handling.assignee_id) : '', priority: h.handling.priority };
  return (
    <>
      {h.mayStartFactcheck && !cluster.factcheck_id ? (
        <p>
          <a class="button" href={`/staff/desk/items/new?kind=factcheck&cluster=${cluster.id}`}>
            {t('cluster.startFactcheck')}
          </a>
        </p>
      ) : null}
      <form method="post" action={`/staff/desk/clusters/${cluster.id}/assign`} class="stack card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cluster.handling')}</h2>
        <Select
          name="assignee_id"
          label={t('cluster.assignee')}
          empty={t('cluster.nobody')}
          options={h.assignees.map((u) => ({ value: String(u.id), label: u.name }))}
          values={v}
          errors={errors}
        />
        <Select
          name="priority"
          label={t('cluster.priority')}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          values={v}
          errors={errors}
        />
        <button type="submit" class="secondary">
          {t('cluster.assign')}
        </button>
      </form>
      <form method="post" action={`/staff/desk/clusters/${cluster.id}/reply`} class="stack card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cluster.reply')}</h2>
        <Field
          name="reply"
          label={t('cluster.reply')}
          hint={t('cluster.replyHint')}
          multiline
          rows={4}
          maxLength={REPLY_MAX}
          values={values}
          errors={errors}
        />
        <button type="submit">{t('cluster.replySend')}</button>
      </form>
      {h.replies.length ? (
        <section>
          <h2>{t('cluster.replies')}</h2>
          <ul class="timeline replies">
            {h.replies.map((r) => (
              <li>
                {formatDateTime(ctx.locale, r.created_at)} · {r.actor_name ?? '—'}
                <NoteText text={r.body} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function PoliciesPage({ ctx, policies }: { ctx: PageCtx; policies: PolicyRow[] }) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('policies.title')} staff>
      <h1>{t('policies.title')}</h1>
      <ul>
        {policies.map((p) => (
          <li>
            <a href={`/staff/desk/policies/${p.slug}`}>{p.title}</a> ·{' '}
            <a href={`/policies/${p.slug}`}>{t('staff.viewPublic')}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function PolicyEditor({
  ctx,
  slug,
  values,
  errors,
}: {
  ctx: PageCtx;
  slug: string;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const t = dt.t(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('policies.edit')} staff>
      <h1>
        {t('policies.edit')}: {slug}
      </h1>
      <ErrorSummary errors={errors} title={t('form.errorTitle')} />
      <form method="post" action={`/staff/desk/policies/${slug}`} class="stack" novalidate>
        <Csrf token={ctx.csrf} />
        <Field name="title" label={t('policies.titleVi')} maxLength={200} values={values} errors={errors} />
        <Field name="title_en" label={t('policies.titleEn')} maxLength={200} values={values} errors={errors} />
        <Field name="body" label={t('policies.bodyVi')} multiline rows={12} values={values} errors={errors} />
        <Field name="body_en" label={t('policies.bodyEn')} multiline rows={12} values={values} errors={errors} />
        <button type="submit">{ctx.t('common.save')}</button>
      </form>
    </Layout>
  );
}
