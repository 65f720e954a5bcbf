/** Filing a report: checked, routed, given a deadline and a tracking code; retried submissions get the first result. */
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../../http/context.js';
import { formatDateTime, localDate, type Locale } from '../../../platform/i18n/index.js';
import { once } from '../../../platform/idempotency.js';
import { send } from '../../../platform/notify/notify.js';
import { addWorkingDays } from './deadline.js';
import * as repo from '../repo.js';
import { pickRoute } from './rules.js';
import { deadlineAndRouting } from './config-cache.js';
import { MailboxError } from './errors.js';
import { sendReportEvent } from './internal.js';
import { privateToken, privateUrl, sha256 } from './private-links.js';
import type { ReportInput } from './report-input.js';
import { queueStaffEvent } from './staff-notify.js';

export interface CreateMeta {
  source: 'web' | 'open311' | 'api' | 'demo';
  locale: Locale;
  photoIds?: string[];
  /** (scope, key) for replay protection: the form's one-time key or the Idempotency-Key header. */
  idempotency?: { scope: string; key: string | null | undefined };
  receivedAt?: Date;
}

export interface Created {
  id: number;
  code: string;
  token: string;
  apiToken: string;
  replayed: boolean;
}

/** Files a report: checked, routed, given a deadline and a tracking code; retried submissions get the first result. */
export async function createReport(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  input: ReportInput,
  meta: CreateMeta,
): Promise<Created> {
  const db = deps.db;
  const [{ category, unit }, { holidays, rules }] = await Promise.all([
    repo.categoryAndUnit(db, input.category, input.unit, meta.source === 'open311'), // Open311: the root by default
    deadlineAndRouting(deps),
  ]);
  if (!category || !category.active) throw new MailboxError(422, 'err.category', {}, 'category');
  if (!unit) throw new MailboxError(422, 'err.unit', {}, 'unit');
  const receivedAt = meta.receivedAt ?? new Date();
  const deadline = addWorkingDays(receivedAt, category.handling_days, holidays);
  const agencyId = pickRoute(rules, category.id, unit.path);
  const { result, replayed } = await once(
    db,
    meta.idempotency?.scope ?? 'mailbox.report',
    meta.idempotency?.key,
    async (tx) => {
      const year = Number(localDate(receivedAt).slice(0, 4));
      const apiToken = randomBytes(12).toString('hex');
      const token = await privateToken({ db: tx, state: deps.state }, apiToken);
      const { id, code } = await repo.insertNumberedReport(tx, year, {
        tokenHash: sha256(token),
        apiToken,
        categoryId: category.id,
        unitId: unit.id,
        agencyId,
        title: input.title,
        description: input.description,
        address: input.address,
        lat: input.lat,
        lon: input.lon,
        contactName: input.name,
        contactPhone: input.phone,
        contactEmail: input.email,
        showName: input.show_name && Boolean(input.name),
        locale: meta.locale,
        source: meta.source,
        deadlineAt: deadline,
        receivedAt,
      });
      if (meta.photoIds?.length) await repo.attachPhotos(tx, id, meta.photoIds, 'resident');
      if (meta.source !== 'demo') {
        const vars = {
          code,
          title: input.title,
          deadline: formatDateTime(meta.locale, deadline),
          url: privateUrl(deps.config.baseUrl, token),
        };
        if (input.email)
          await send(tx, [
            {
              channel: 'email',
              recipient: input.email,
              template: 'mailbox.received',
              locale: meta.locale,
              vars,
              refType: 'mailbox.report',
              refId: id,
            },
          ]);
        await sendReportEvent(
          tx,
          'mailbox.received',
          { code, title: input.title, status: 'received', url: vars.url, locale: meta.locale },
          { id, phone: input.phone },
        );
        await queueStaffEvent(tx, { kind: 'new', reportId: id, agencyId }); // the agency at arrival, not after a later routing
      }
      return { id, code, token, apiToken };
    },
  );
  return { ...result, replayed };
}
