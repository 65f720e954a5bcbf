import { raw } from 'hono/html';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, Field } from '../../../http/views/components.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import type { PublishedItem } from '../../desk/public.js';
import { crisisText } from '../i18n.js';
import type { AlertRow, EventRow, IncidentRow, StatementRow, UnitRef } from '../repo.js';
import type { SignatureCheck, VerifyOutcome } from '../service.js';
import type { DiffPart } from '../service/text-diff.js';

/** A fact-check's verdict as its own colour: "Đúng" green, "Sai" red, the others amber (never a blanket "false"). */
export const verdictTone = (verdict: string | null | undefined) =>
  verdict === 'dung' ? 'ok' : verdict === 'sai' ? 'false' : 'warn';

export const VerdictBadge = ({ locale, f }: { locale: Locale; f: PublishedItem }) =>
  f.verdictLabel || f.verdict ? (
    locale === 'en' && f.verdictLabelEn ? (
      <span class={`badge ${verdictTone(f.verdict)}`} data-verdict={f.verdict ?? ''}>
        {f.verdictLabelEn}
      </span>
    ) : (
      <span
        class={`badge ${verdictTone(f.verdict)}`}
        data-verdict={f.verdict ?? ''}
        lang={locale === 'en' ? 'vi' : undefined}
      >
        {f.verdictLabel ?? f.verdict}
      </span>
    )
  ) : null;

export const REFRESH_SECONDS = 120;

export const ct = (locale: Locale) => crisisText.t(locale);

export const CrisisHead = () => <link rel="stylesheet" href="/static/crisis-page.css" />;

export const pick = (locale: Locale, vi: string, en: string | null | undefined) => (locale === 'en' && en ? en : vi);
/** The language of what pick() chose: "vi" on an English page without a translation (screen readers switch voice). */
export const langOf = (locale: Locale, en: string | null | undefined) => (locale === 'en' && !en ? 'vi' : undefined);

/** Well-known national numbers, so an English page can name the service even when the line is only in Vietnamese. */
const NATIONAL_LINES: Record<string, string> = {
  '112': 'Search and rescue',
  '113': 'Police',
  '114': 'Fire and rescue',
  '115': 'Ambulance',
};

export const unitName = (locale: Locale, u: UnitRef) => pick(locale, u.full_name, u.name_en);

/** Paragraphs from plain text (no HTML from staff is ever rendered raw). */
export const Paragraphs = ({ text }: { text: string }) => (
  <>
    {text.split(/\n{2,}/).map((p) => (
      <p>
        {p.split('\n').map((line, i) =>
          i === 0 ? (
            line
          ) : (
            <>
              <br />
              {line}
            </>
          ),
        )}
      </p>
    ))}
  </>
);

export function eventText(locale: Locale, e: EventRow): string {
  const t = ct(locale);
  switch (e.kind) {
    case 'released':
      return t('event.released', { number: String(e.data.number ?? '') }) + (e.data.title ? `: ${e.data.title}` : '');
    case 'status':
      return t('event.status', { status: t(`status.${e.data.status as 'active'}`) });
    case 'opened':
      return t('event.opened');
    case 'closed':
      return t('event.closed');
    case 'updated':
      return t('event.updated') + (e.data.changed ? ` (${e.data.changed})` : '');
    case 'drafted':
      return t('event.drafted') + (e.data.title ? `: ${e.data.title}` : '');
    case 'submitted':
      return t('event.submitted');
    case 'returned':
      return t('event.returned') + (e.data.note ? `: ${e.data.note}` : '');
    case 'factcheckLinked':
      return t('event.factcheckLinked') + (e.data.title ? `: ${e.data.title}` : '');
    case 'teamAdded':
      return t('event.teamAdded') + (e.data.name ? `: ${e.data.name}` : '');
    default:
      return e.kind;
  }
}

export const SeverityBadge = ({ locale, severity }: { locale: Locale; severity: IncidentRow['severity'] }) => (
  <span class={`badge sev-${severity}${severity === 'severe' || severity === 'extreme' ? ' danger' : ''}`}>
    {ct(locale)(`severity.${severity}`)}
  </span>
);

export const StatusBadge = ({ locale, status }: { locale: Locale; status: IncidentRow['status'] }) => (
  <span class={`badge st-${status}${status === 'closed' ? '' : ' warn'}`}>{ct(locale)(`status.${status}`)}</span>
);

export function StatementBlock({
  locale,
  s,
  latest,
  later,
}: {
  locale: Locale;
  s: StatementRow;
  latest?: boolean;
  later?: StatementRow[];
}) {
  const t = ct(locale);
  return (
    <article class={`statement card${latest ? ' latest' : ''}`} id={`s-${s.number}`}>
      <p class="muted stmt-meta">
        <span class="badge">{t(`kind.${s.kind}`)}</span> {t('stmt.number')} <strong>{s.number}</strong> ·{' '}
        {t('stmt.releasedAt')}{' '}
        <time datetime={new Date(s.released_at!).toISOString()}>{formatDateTime(locale, s.released_at)}</time>
      </p>
      <h3 lang={langOf(locale, s.title_en)}>
        <a href={`/statements/${s.number}`}>{pick(locale, s.title, s.title_en)}</a>
      </h3>
      {s.refers_number ? (
        <p class="muted">
          {t('stmt.refersTo', { kind: t(`kind.${s.kind}`).toLowerCase(), number: s.refers_number })}{' '}
          <a href={`/statements/${s.refers_number}`}>{s.refers_number}</a>
        </p>
      ) : null}
      {later && later.length ? (
        <p class="notice warning">
          {t('stmt.supersededBy', {
            kind: t(`kind.${later[later.length - 1].kind}`).toLowerCase(),
            number: later[later.length - 1].number!,
          })}
        </p>
      ) : null}
      <div lang={langOf(locale, s.body_en)}>
        <Paragraphs text={locale === 'en' && s.body_en ? s.body_en : s.body} />
      </div>
      <p class="stmt-code">
        {t('stmt.code')}: <code>{s.code}</code> ·{' '}
        <a href={`/verify?code=${s.code}`}>{crisisText.t(locale)('verify.submit')}</a>
      </p>
    </article>
  );
}

export function IncidentsPage({
  ctx,
  incidents,
  notices,
}: {
  ctx: PageCtx;
  incidents: IncidentRow[];
  notices: StatementRow[];
}) {
  const t = ct(ctx.locale);
  const active = incidents.filter((i) => i.status !== 'closed');
  const closed = incidents.filter((i) => i.status === 'closed');
  const Item = ({ i }: { i: IncidentRow }) => (
    <li class="card">
      <h3 lang={langOf(ctx.locale, i.title_en)}>
        <a href={`/incidents/${i.id}`}>{pick(ctx.locale, i.title, i.title_en)}</a>
      </h3>
      <p>
        <StatusBadge locale={ctx.locale} status={i.status} />{' '}
        <SeverityBadge locale={ctx.locale} severity={i.severity} />{' '}
        <span class="muted">
          {t(`type.${i.type}`)} · {t('incident.opened', { time: formatDateTime(ctx.locale, i.opened_at) })}
        </span>
      </p>
    </li>
  );
  return (
    <Layout
      ctx={ctx}
      title={t('incidents.title')}
      head={
        <>
          <CrisisHead />
          <link rel="alternate" type="application/atom+xml" title={t('incidents.alertsFeed')} href="/alerts.atom" />
        </>
      }
    >
      <h1>{t('incidents.title')}</h1>
      <p>{t('incidents.intro')}</p>
      <h2>{t('incidents.active')}</h2>
      {active.length ? (
        <ul class="plain">
          {active.map((i) => (
            <Item i={i} />
          ))}
        </ul>
      ) : (
        <p>{t('incidents.none')}</p>
      )}
      <h2>{t('incidents.notices')}</h2>
      {notices.length ? (
        <ul class="plain">
          {notices.map((s) => (
            <li class="card">
              <h3 lang={langOf(ctx.locale, s.title_en)}>
                <a href={`/statements/${s.number}`}>{pick(ctx.locale, s.title, s.title_en)}</a>
              </h3>
              <p class="muted">
                {t('stmt.number')} {s.number} · {formatDateTime(ctx.locale, s.released_at)}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{ctx.t('common.none')}</p>
      )}
      {closed.length ? (
        <>
          <h2>{t('incidents.recentClosed')}</h2>
          <ul class="plain">
            {closed.map((i) => (
              <Item i={i} />
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href="/alerts.atom">{t('incidents.alertsFeed')}</a> · <a href="/verify">{ctx.t('nav.verify')}</a>
      </p>
    </Layout>
  );
}

export interface IncidentPageData {
  incident: IncidentRow;
  statements: StatementRow[];
  later: Map<number, StatementRow[]>;
  units: UnitRef[];
  events: EventRow[];
  falseItems: PublishedItem[];
  alerts: AlertRow[];
  version: number;
}

export function IncidentPage({ ctx, d }: { ctx: PageCtx; d: IncidentPageData }) {
  const t = ct(ctx.locale);
  const i = d.incident;
  const [latest, ...older] = d.statements;
  const lastAlert = d.alerts[d.alerts.length - 1];
  return (
    <Layout
      ctx={ctx}
      title={pick(ctx.locale, i.title, i.title_en)}
      description={pick(ctx.locale, i.summary, i.summary_en)}
      head={
        <>
          <CrisisHead />
          <script src="/static/crisis-live.js" defer></script>
          {lastAlert ? (
            <link rel="alternate" type="application/cap+xml" href={`/alerts/${lastAlert.id}.cap.xml`} />
          ) : null}
        </>
      }
    >
      <p
        class="sr-only crisis-live"
        role="status"
        aria-live="polite"
        data-template={t('incident.liveUpdated', { title: '{title}' })}
      ></p>
      <div
        class="crisis-incident"
        data-incident={String(i.id)}
        data-version={String(d.version)}
        data-newer={t('incident.newer')}
        data-poll={String(REFRESH_SECONDS / 4)}
      >
        <p class="muted">
          <a href="/incidents">{t('incidents.title')}</a>
        </p>
        <h1 lang={langOf(ctx.locale, i.title_en)}>{pick(ctx.locale, i.title, i.title_en)}</h1>
        <p>
          <StatusBadge locale={ctx.locale} status={i.status} />{' '}
          <SeverityBadge locale={ctx.locale} severity={i.severity} />{' '}
          <span class="muted">
            {t(`type.${i.type}`)} · {t('incident.opened', { time: formatDateTime(ctx.locale, i.opened_at) })}
            {i.closed_at ? ` · ${t('incident.closedAt', { time: formatDateTime(ctx.locale, i.closed_at) })}` : ''}
          </span>
        </p>
        {pick(ctx.locale, i.summary, i.summary_en) ? (
          <p class="lead" lang={langOf(ctx.locale, i.summary_en)}>
            {pick(ctx.locale, i.summary, i.summary_en)}
          </p>
        ) : null}
        <section aria-labelledby="h-latest">
          <h2 id="h-latest">{t('incident.latest')}</h2>
          {latest ? (
            <StatementBlock locale={ctx.locale} s={latest} latest later={d.later.get(latest.id)} />
          ) : (
            <p>{t('incident.noStatement')}</p>
          )}
        </section>
        <div class="crisis-grid">
          <section class="card" aria-labelledby="h-spokes">
            <h2 id="h-spokes">{t('incident.spokesperson')}</h2>
            <p>
              <strong>{i.spokesperson_name}</strong>
              {i.spokesperson_title ? (
                <>
                  , <span lang="vi">{i.spokesperson_title}</span>
                </>
              ) : (
                ''
              )}
            </p>
            {i.spokesperson_phone ? (
              <p>
                <a href={`tel:${i.spokesperson_phone.replace(/[^\d+]/g, '')}`}>{i.spokesperson_phone}</a>
              </p>
            ) : null}
            {i.spokesperson_email ? (
              <p>
                <a href={`mailto:${i.spokesperson_email}`}>{i.spokesperson_email}</a>
              </p>
            ) : null}
          </section>
          <section class="card" aria-labelledby="h-hot">
            <h2 id="h-hot">{t('incident.hotlines')}</h2>
            <ul class="hotlines">
              {i.hotlines
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean)
                .map((l) => {
                  const num = /(\+?\d[\d .]*\d)\s*$/.exec(l)?.[1];
                  const label =
                    ctx.locale === 'en' && num && NATIONAL_LINES[num.trim()] ? `${NATIONAL_LINES[num.trim()]}: ` : null;
                  return (
                    <li>
                      {num ? (
                        <>
                          {label ?? <span lang="vi">{l.slice(0, l.length - num.length)}</span>}
                          <a href={`tel:${num.replace(/[^\d+]/g, '')}`}>{num}</a>
                        </>
                      ) : (
                        <span lang="vi">{l}</span>
                      )}
                    </li>
                  );
                })}
            </ul>
          </section>
          <section class="card" aria-labelledby="h-units">
            <h2 id="h-units">{t('incident.affected')}</h2>
            <ul>
              {d.units.map((u) => (
                <li>{unitName(ctx.locale, u)}</li>
              ))}
            </ul>
          </section>
        </div>
        <section aria-labelledby="h-false">
          <h2 id="h-false">{t('incident.falseTitle')}</h2>
          {d.falseItems.length ? (
            <ul class="incident-factchecks">
              {d.falseItems.map((f) => (
                <li>
                  <VerdictBadge locale={ctx.locale} f={f} />{' '}
                  <a href={f.url} lang="vi">
                    {f.title}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('incident.factchecksNone')}</p>
          )}
        </section>
        {older.length ? (
          <section aria-labelledby="h-older">
            <h2 id="h-older">{ct(ctx.locale)('stmt.noticesTitle')}</h2>
            {older.map((s) => (
              <StatementBlock locale={ctx.locale} s={s} later={d.later.get(s.id)} />
            ))}
          </section>
        ) : null}
        <section aria-labelledby="h-timeline">
          <h2 id="h-timeline">{t('incident.timeline')}</h2>
          <ol class="timeline">
            {[...d.events].reverse().map((e) => (
              <li>
                <time datetime={new Date(e.at).toISOString()}>{formatDateTime(ctx.locale, e.at)}</time> —{' '}
                {e.kind === 'released' ? (
                  <a href={`/statements/${e.data.number}`}>{eventText(ctx.locale, e)}</a>
                ) : (
                  eventText(ctx.locale, e)
                )}
              </li>
            ))}
          </ol>
        </section>
        <p class="muted incident-updated">
          <time datetime={new Date(i.updated_at).toISOString()}>
            {t('incident.updatedAt', { time: formatDateTime(ctx.locale, i.updated_at) })}
          </time>
          {i.status !== 'closed' ? (
            <>
              {' '}
              ·{' '}
              <a class="incident-refresh" href={`/incidents/${i.id}`}>
                {t('incident.refreshLink')}
              </a>
            </>
          ) : null}{' '}
          · <a href="/verify">{ctx.t('nav.verify')}</a>
        </p>
      </div>
    </Layout>
  );
}

export function StatementPage({
  ctx,
  s,
  later,
  qrSvg,
  share,
  incidentTitle,
  verifyBase,
  signature,
}: {
  ctx: PageCtx;
  s: StatementRow;
  later: StatementRow[];
  qrSvg: string;
  share: string;
  incidentTitle: string | null;
  verifyBase: string;
  signature: SignatureCheck;
}) {
  const problem = signatureProblem(ctx.locale, signature, s);
  const t = ct(ctx.locale);
  const title = pick(ctx.locale, s.title, s.title_en);
  return (
    <Layout ctx={ctx} title={`${t('stmt.number')} ${s.number}: ${title}`} head={<CrisisHead />}>
      <article class="statement-page">
        <p class="muted">
          <span class="badge">{t(`kind.${s.kind}`)}</span> {t('stmt.number')} <strong>{s.number}</strong> ·{' '}
          {t('stmt.releasedAt')}{' '}
          <time datetime={new Date(s.released_at!).toISOString()}>{formatDateTime(ctx.locale, s.released_at)}</time>
          {s.incident_id && incidentTitle ? (
            <>
              {' '}
              · {t('stmt.incident')}: <a href={`/incidents/${s.incident_id}`}>{incidentTitle}</a>
            </>
          ) : null}
        </p>
        <h1 lang={langOf(ctx.locale, s.title_en)}>{title}</h1>
        {problem ? (
          <div class="notice warning" role="alert" data-signature={signature.status}>
            <p>
              <strong>{problem}</strong>
            </p>
          </div>
        ) : null}
        {s.refers_number ? (
          <p>
            {t('stmt.refersTo', { kind: t(`kind.${s.kind}`).toLowerCase(), number: s.refers_number })}{' '}
            <a href={`/statements/${s.refers_number}`}>{s.refers_number}</a>
          </p>
        ) : null}
        {later.length ? (
          <div class="notice warning">
            {later.map((l) => (
              <p>
                {t('stmt.supersededBy', { kind: t(`kind.${l.kind}`).toLowerCase(), number: l.number! })}{' '}
                <a href={`/statements/${l.number}`}>{l.number}</a>
              </p>
            ))}
          </div>
        ) : null}
        <div lang={ctx.locale === 'en' && s.body_en ? 'en' : 'vi'}>
          <Paragraphs text={ctx.locale === 'en' && s.body_en ? s.body_en : s.body} />
        </div>
        {ctx.locale === 'vi' && s.body_en ? (
          <details lang="en">
            <summary>{t('stmt.englishVersion')}</summary>
            <h2>{s.title_en || s.title}</h2>
            <Paragraphs text={s.body_en} />
          </details>
        ) : null}
        <div class="verify-box card">
          <div class="qr" role="img" aria-label={t('stmt.qr')}>
            {raw(qrSvg)}
          </div>
          <div>
            <p>
              {t('stmt.code')}: <strong class="code">{s.code}</strong>
            </p>
            <p>{t('stmt.verifyHint', { url: verifyBase, code: s.code! })}</p>
            <p>
              <a class="button secondary" href={`/verify?code=${s.code}`}>
                {ct(ctx.locale)('verify.submit')}
              </a>
            </p>
          </div>
        </div>
        <h2>{t('stmt.shareText')}</h2>
        <pre class="share-text">{share}</pre>
      </article>
    </Layout>
  );
}

/** What is wrong with a statement's signature, in words, or null when it is valid. */
export function signatureProblem(locale: Locale, sig: SignatureCheck, s: StatementRow): string | null {
  const t = ct(locale);
  const when = (d: string | Date | null) => formatDateTime(locale, d ? new Date(d) : null);
  const keyId = sig.key?.keyId ?? s.key_id ?? '—';
  const at = when(s.released_at);
  switch (sig.status) {
    case 'valid':
      return null;
    case 'compromised':
      return t('verify.compromised', { keyId, since: when(sig.key!.compromisedSince) });
    case 'unknown-key':
      return t('verify.keyUnknown', { keyId });
    case 'key-retired':
      return t('verify.keyRetired', { keyId, at, until: when(sig.key!.validUntil) });
    case 'key-not-yet-valid':
      return t('verify.keyNotYetValid', { keyId, at, from: when(sig.key!.validFrom) });
    default:
      return t('verify.signatureBad');
  }
}

export function VerifyPage({
  ctx,
  values,
  errors,
  outcome,
  keyId,
}: {
  ctx: PageCtx;
  values: FormValues;
  errors: FieldErrors;
  outcome: VerifyOutcome | null;
  keyId: string;
}) {
  const t = ct(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('verify.title')} head={<CrisisHead />}>
      <h1>{t('verify.title')}</h1>
      {outcome ? <Outcome ctx={ctx} o={outcome} /> : null}
      <p>{t('verify.intro')}</p>
      <form method="get" action="/verify" class="stack">
        <Field
          name="code"
          label={t('verify.code')}
          hint={t('verify.codeHint')}
          values={values}
          errors={errors}
          maxLength={20}
          autocomplete="off"
        />
        <button type="submit">{t('verify.submit')}</button>
      </form>
      <form method="post" action="/verify" class="stack">
        <Csrf token={ctx.csrf} />
        <Field
          name="text"
          label={t('verify.text')}
          values={values}
          errors={errors}
          multiline
          rows={8}
          maxLength={20000}
        />
        <button type="submit">{t('verify.submit')}</button>
      </form>
      <details class="technical">
        <summary>{t('verify.technical')}</summary>
        <p class="muted">
          {t('verify.publicKey')}: <a href="/.well-known/caunoi-statements.pub">/.well-known/caunoi-statements.pub</a>{' '}
          (Ed25519, {keyId}); <a href="/.well-known/caunoi-statements.json">{t('verify.allKeys')}</a>
        </p>
      </details>
    </Layout>
  );
}

function Outcome({ ctx, o }: { ctx: PageCtx; o: VerifyOutcome }) {
  const t = ct(ctx.locale);
  if (o.kind === 'not-issued') {
    // a mistyped code is far more likely than a forgery: ask to check it first, showing the code as we read it
    return (
      <div class="verify-not-issued">
        <div class="notice warning verdict" role="status">
          <h2>{t('verify.checkTyped')}</h2>
          <p>
            {t('verify.codeAsRead')} <strong class="code code-as-read">{o.code}</strong>
          </p>
          <p>{t('verify.compareCode')}</p>
          <p>{t('verify.codeAlphabet')}</p>
        </div>
        <div class="notice error verdict verdict-bad" role="alert">
          <p>
            <strong>{t('verify.notIssuedAfterCheck')}</strong>
          </p>
        </div>
      </div>
    );
  }
  if (o.kind === 'no-match') {
    return (
      <div class="notice error verdict verdict-bad" role="alert">
        <p>
          <strong>{t('verify.notIssuedText')}</strong>
        </p>
        {o.closest && o.diff ? (
          <section class="verify-diff">
            <h2>{t('verify.diffTitle', { number: o.closest.number! })}</h2>
            <p class="muted">{t('verify.diffLegend')}</p>
            <p class="diff">
              <DiffText parts={o.diff} locale={ctx.locale} />
            </p>
          </section>
        ) : null}
        {o.closest ? (
          <>
            <p>{t('verify.closest', { number: o.closest.number! })}</p>
            <StatementBlock locale={ctx.locale} s={o.closest} />
          </>
        ) : null}
      </div>
    );
  }
  const sig = o.signature;
  const problem = signatureProblem(ctx.locale, sig, o.statement);
  const technical = (lines: (string | null)[]) => (
    <details class="technical">
      <summary>{t('verify.technical')}</summary>
      {lines.filter(Boolean).map((l) => (
        <p>{l}</p>
      ))}
    </details>
  );
  if (sig.status === 'compromised') {
    return (
      <div class="notice warning verdict verdict-warn" role="alert">
        <p>
          <strong>{t('verify.plainCompromised')}</strong>
        </p>
        {technical([problem, t('verify.algorithm', { keyId: sig.key?.keyId ?? o.statement.key_id ?? '—' })])}
        <h2>{t('verify.recordedText')}</h2>
        <StatementBlock locale={ctx.locale} s={o.statement} />
      </div>
    );
  }
  if (problem) {
    return (
      <div class="notice error verdict verdict-bad" role="alert" data-signature={sig.status}>
        <p>
          <strong>{t('verify.plainUnconfirmed')}</strong>
        </p>
        {technical([problem, t('verify.algorithm', { keyId: sig.key?.keyId ?? o.statement.key_id ?? '—' })])}
      </div>
    );
  }
  const last = o.later[o.later.length - 1];
  const key = sig.key!;
  const keyId = key.keyId;
  const when = (d: string | Date | null) => formatDateTime(ctx.locale, d ? new Date(d) : null);
  return (
    <div class="notice success verdict verdict-ok" role="status">
      <p>
        <strong>{o.via === 'code' ? t('verify.genuine') : t('verify.genuineText')}</strong>
      </p>
      {technical([
        key.validUntil
          ? t('verify.signatureOkRetired', { keyId, from: when(key.validFrom), until: when(key.validUntil) })
          : t('verify.signatureOkCurrent', { keyId, from: when(key.validFrom) }),
        t('verify.algorithm', { keyId }),
      ])}
      {last ? (
        <p class="notice warning">
          {t('verify.superseded', { kind: t(`kind.${last.kind}`).toLowerCase(), number: last.number! })}{' '}
          <a href={`/statements/${last.number}`}>{last.number}</a>
        </p>
      ) : null}
      <h2>{t('verify.officialText')}</h2>
      <StatementBlock locale={ctx.locale} s={o.statement} />
    </div>
  );
}

export function HomeBanner({ locale, incidents }: { locale: Locale; incidents: IncidentRow[] }) {
  const t = ct(locale);
  return (
    <section class="crisis-banner notice error" aria-label={t('incidents.active')}>
      {incidents.map((i) => (
        <p>
          <strong>
            {langOf(locale, i.title_en) ? (
              <>
                {t('home.banner', { title: '' })}
                <span lang="vi">{i.title}</span>
              </>
            ) : (
              t('home.banner', { title: pick(locale, i.title, i.title_en) })
            )}
          </strong>{' '}
          — <a href={`/incidents/${i.id}`}>{t('home.bannerMore')}</a>
        </p>
      ))}
    </section>
  );
}

export const StaffSection = ({ title, line }: { title: string; line: string }) => (
  <section class="card crisis-staff-section">
    <h2>
      <a href="/staff/crisis">{title}</a>
    </h2>
    <p>{line}</p>
  </section>
);

/** The pasted text with what differs from the genuine statement marked (and what the genuine one says, struck through). */
function DiffText({ parts, locale }: { parts: DiffPart[]; locale: Locale }) {
  const t = ct(locale);
  return (
    <>
      {parts.map((p) =>
        p.op === 'same' ? (
          p.text
        ) : p.op === 'added' ? (
          <ins class="diff-added" title={t('verify.diffAdded')}>
            {p.text}
          </ins>
        ) : (
          <del class="diff-removed" title={t('verify.diffRemoved')}>
            {p.text}
          </del>
        ),
      )}
    </>
  );
}
