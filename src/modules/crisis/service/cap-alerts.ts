/** CAP 1.2 alerts: one frozen message per released statement of a public-alert incident, and a Cancel on closing. */
import type { Db } from '../../../db/client.js';
import * as repo from '../repo.js';
import { capReference, type CapAlert, type CapInfo } from './cap.js';
import { crisisText } from '../i18n.js';
import type { SiteInfo } from './common.js';

/** How long /alerts.atom keeps listing an incident's closing (Cancel) message, so feed readers and aggregators see it. */
export const CLOSED_ALERT_KEEP_HOURS = 48;

const SEVERITY: Record<repo.Severity, CapInfo['severity']> = {
  minor: 'Minor',
  moderate: 'Moderate',
  severe: 'Severe',
  extreme: 'Extreme',
};

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host.replace(/[^A-Za-z0-9.-]/g, '-');
  } catch {
    return 'localhost';
  }
}

export interface AlertData {
  sender: string;
  note?: string;
  incidents: string;
  info: CapInfo[];
  area: CapAlert['area'];
}

export async function produceAlert(
  tx: Db,
  incident: repo.IncidentRow,
  statement: (repo.StatementRow & { number: string }) | null,
  forced: 'Cancel' | null,
  site: SiteInfo,
): Promise<void> {
  const previous = await repo.alertsOfIncident(tx, incident.id);
  const live = previous.filter((p) => p.msg_type !== 'Cancel');
  const msgType = forced ?? (live.length === 0 ? 'Alert' : 'Update');
  if (msgType === 'Cancel' && live.length === 0) return;
  const host = hostOf(site.baseUrl);
  const sender = `caunoi@${host}`;
  const identifier = `caunoi.${host}.incident-${incident.id}.${previous.length + 1}`;
  const units = await repo.incidentUnits(tx, incident.id);
  const sentAt = new Date();
  const refs =
    msgType === 'Alert'
      ? ''
      : live
          .map((p) =>
            capReference({
              sender: (p.data as unknown as AlertData).sender,
              identifier: p.identifier,
              sent: new Date(p.sent_at),
            }),
          )
          .join(' ');
  const web = `${site.baseUrl}/incidents/${incident.id}`;
  const contact = [incident.spokesperson_name, incident.spokesperson_phone, incident.spokesperson_email]
    .filter(Boolean)
    .join(', ');
  const info = (['vi', 'en'] as const).map((lang): CapInfo => {
    const t = crisisText.t(lang);
    const en = lang === 'en';
    const title = en
      ? statement?.title_en || incident.title_en || statement?.title || incident.title
      : (statement?.title ?? incident.title);
    const body = en
      ? statement?.body_en || incident.summary_en || statement?.body || incident.summary
      : (statement?.body ?? incident.summary);
    return {
      language: en ? 'en-US' : 'vi-VN',
      category: incident.cap_category,
      event: t(`type.${incident.type}`),
      urgency:
        msgType === 'Cancel'
          ? 'Past'
          : incident.severity === 'extreme' || incident.severity === 'severe'
            ? 'Immediate'
            : 'Expected',
      severity: SEVERITY[incident.severity],
      certainty: msgType === 'Cancel' ? 'Observed' : incident.cap_certainty,
      // a closing message stays valid as long as the feed keeps it
      expires: new Date(
        sentAt.getTime() + (msgType === 'Cancel' ? CLOSED_ALERT_KEEP_HOURS : incident.alert_expires_hours) * 3600_000,
      ).toISOString(),
      senderName: site.orgName,
      headline:
        msgType === 'Cancel'
          ? `${t('status.closed')}: ${en ? incident.title_en || incident.title : incident.title}`
          : title,
      description:
        (msgType === 'Cancel'
          ? (en ? incident.summary_en || incident.summary : incident.summary) || t('event.closed')
          : body) +
        (statement ? `\n\n${t('stmt.number')} ${statement.number} — ${t('stmt.code')}: ${statement.code}` : ''),
      instruction:
        msgType === 'Cancel'
          ? t('cap.cancelInstruction')
          : (en ? incident.alert_instruction_en || incident.alert_instruction : incident.alert_instruction) ||
            undefined,
      web,
      contact,
    };
  });
  const data: AlertData = {
    sender,
    incidents: `incident-${incident.id}`,
    info,
    area: {
      areaDesc: units.map((u) => u.full_name).join('; ') || incident.unit_name,
      polygon: incident.area_polygon,
      circle: incident.area_circle,
      geocodes: (units.length ? units : [{ code: '' }])
        .filter((u) => u.code)
        .map((u) => ({ valueName: 'VN-ADMIN-2025', value: u.code })),
    },
  };
  await repo.insertAlert(tx, {
    incidentId: incident.id,
    statementId: statement?.id ?? null,
    identifier,
    msgType,
    refs,
    sentAt,
    data,
  });
}

export function capOf(a: repo.AlertRow): CapAlert {
  const d = a.data as unknown as AlertData;
  return {
    identifier: a.identifier,
    sender: d.sender,
    sent: new Date(a.sent_at),
    msgType: a.msg_type,
    references: a.refs,
    incidents: d.incidents,
    info: d.info,
    area: d.area,
  };
}
