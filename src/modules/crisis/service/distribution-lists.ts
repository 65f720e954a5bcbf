/** Distribution lists (press, officials, unit leaders, network, custom) and their contacts. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import {
  assertOutboundAllowed,
  OutboundRefusedError,
  type OutboundCode,
  type OutboundOptions,
} from '../../../platform/net/outbound.js';
import type { CrisisKey } from '../i18n.js';
import * as repo from '../repo.js';
import { invalid, notFound, type Actor } from './common.js';
import { label } from './internal.js';

export async function createList(db: Db, a: Actor, name: string, kind: repo.ListKind, unitId: number): Promise<number> {
  const unit = await repo.unitById(db, unitId);
  if (!unit) throw invalid({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  return db.tx(async (tx) => {
    const id = await repo.insertList(tx, name, kind, unitId);
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.list.create',
      entityType: 'crisis.list',
      entityId: id,
      unitId,
      ip: a.ip,
      data: { name, kind },
    });
    return id;
  });
}

const outboundField: Record<OutboundCode, CrisisKey> = {
  'outbound.invalidUrl': 'err.contactUrl',
  'outbound.scheme': 'err.contactUrl',
  'outbound.httpsOnly': 'err.webhookHttps',
  'outbound.credentials': 'err.webhookCredentials',
  'outbound.private': 'err.webhookPrivate',
  'outbound.unresolvable': 'err.webhookUnresolvable',
  'outbound.tooManyRedirects': 'err.contactUrl',
};

/** A gateway address must not point into this machine or its network (the sender would work as a port scanner). */
export async function checkWebhookAddress(url: string, outbound?: OutboundOptions): Promise<void> {
  try {
    await assertOutboundAllowed(url, outbound);
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw invalid({ address: outboundField[e.code] });
    throw e;
  }
}

export async function addContact(
  db: Db,
  a: Actor,
  listId: number,
  c: {
    name: string;
    organisation: string;
    channel: 'email' | 'webhook';
    address: string;
    secret?: string;
    locale: Locale;
  },
  opts: { outbound?: OutboundOptions } = {},
): Promise<number> {
  const list = await repo.getList(db, listId);
  if (!list) throw notFound();
  assertCan(a.principal, 'crisis.manage', list.unit_path);
  if (c.channel === 'webhook') await checkWebhookAddress(c.address, opts.outbound);
  return db.tx(async (tx) => {
    let address = c.address;
    if (c.channel === 'webhook')
      address = String(await repo.insertWebhookEndpoint(tx, `${c.name} (crisis)`, c.address, c.secret ?? ''));
    const id = await repo.insertContact(tx, {
      listId,
      name: c.name,
      organisation: c.organisation,
      channel: c.channel,
      address,
      locale: c.locale,
    });
    // personal data stays out of the audit log: only the channel is recorded
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.contact.add',
      entityType: 'crisis.list',
      entityId: listId,
      unitId: list.unit_id,
      ip: a.ip,
      data: { contactId: id, channel: c.channel },
    });
    return id;
  });
}

async function contactOrThrow(db: Db, a: Actor, listId: number, contactId: number) {
  const list = await repo.getList(db, listId);
  if (!list) throw notFound();
  assertCan(a.principal, 'crisis.manage', list.unit_path);
  const contact = await repo.getContact(db, listId, contactId);
  if (!contact) throw notFound();
  return { list, contact };
}

/** Changes a contact's name, organisation, address and language (a gateway: its URL, and its secret when a new one is given). */
export async function updateContact(
  db: Db,
  a: Actor,
  listId: number,
  contactId: number,
  c: {
    name: string;
    organisation: string;
    channel: 'email' | 'webhook';
    address: string;
    secret?: string;
    locale: Locale;
  },
  opts: { outbound?: OutboundOptions } = {},
): Promise<void> {
  const { list, contact } = await contactOrThrow(db, a, listId, contactId);
  if (c.channel !== contact.channel) throw invalid({ channel: 'err.channelFixed' });
  if (c.channel === 'webhook') await checkWebhookAddress(c.address, opts.outbound);
  await db.tx(async (tx) => {
    if (contact.channel === 'webhook') {
      await repo.updateWebhookEndpoint(
        tx,
        Number(contact.address),
        `${c.name} (crisis)`,
        c.address,
        c.secret ? c.secret : null,
      );
      await repo.updateContact(tx, contactId, {
        name: c.name,
        organisation: c.organisation,
        address: contact.address,
        locale: c.locale,
      });
    } else if (
      !(await repo.updateContact(tx, contactId, {
        name: c.name,
        organisation: c.organisation,
        address: c.address,
        locale: c.locale,
      }))
    ) {
      throw invalid({ address: 'err.contactDuplicate' });
    }
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.contact.edit',
      entityType: 'crisis.list',
      entityId: listId,
      unitId: list.unit_id,
      ip: a.ip,
      data: { contactId, channel: c.channel },
    });
  });
}

export async function removeContact(db: Db, a: Actor, listId: number, contactId: number): Promise<void> {
  const { list, contact } = await contactOrThrow(db, a, listId, contactId);
  await db.tx(async (tx) => {
    await repo.deleteContact(tx, contactId);
    // the gateway stops receiving statements (kept, inactive, so past deliveries still name it)
    if (contact.channel === 'webhook') await repo.deactivateWebhookEndpoint(tx, Number(contact.address));
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.contact.remove',
      entityType: 'crisis.list',
      entityId: listId,
      unitId: list.unit_id,
      ip: a.ip,
      data: { contactId, channel: contact.channel },
    });
  });
}

export interface ImportResult {
  added: number;
  skipped: { line: number; text: string; reason: CrisisKey }[];
}

export const IMPORT_MAX_LINES = 5000;

/**
 * Contacts from CSV (e-mail contacts only; gateways need a secret and are added one by one): columns
 * name, organisation, email, language (vi/en, optional); a first line naming the columns is skipped. Each line is
 * added or reported with its reason; nothing is half-written (one transaction).
 */
export async function importContacts(db: Db, a: Actor, listId: number, csv: string): Promise<ImportResult> {
  const list = await repo.getList(db, listId);
  if (!list) throw notFound();
  assertCan(a.principal, 'crisis.manage', list.unit_path);
  const rows = parseCsv(csv);
  if (rows.length === 0) throw invalid({ csv: 'err.csvEmpty' });
  if (rows.length > IMPORT_MAX_LINES) throw invalid({ csv: 'err.csvTooLong' });
  const result: ImportResult = { added: 0, skipped: [] };
  const seen = new Set<string>();
  return db.tx(async (tx) => {
    for (const [i, cols] of rows.entries()) {
      const line = i + 1;
      const [name = '', organisation = '', email = '', lang = ''] = cols.map((c) => c.trim());
      if (i === 0 && /^(name|tên|ten|họ tên)$/i.test(name) && /mail/i.test(email)) continue;
      const text = cols.join(', ').slice(0, 200);
      let reason: CrisisKey | null = null;
      if (!name || name.length > 120) reason = 'err.csvName';
      else if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(email) || email.length > 200)
        reason = 'err.contactEmail';
      else if (lang && !['vi', 'en'].includes(lang.toLowerCase())) reason = 'err.csvLocale';
      else if (organisation.length > 200) reason = 'err.csvName';
      else if (seen.has(email.toLowerCase()) || (await repo.contactExists(tx, listId, 'email', email)))
        reason = 'err.contactDuplicate';
      if (reason) {
        result.skipped.push({ line, text, reason });
        continue;
      }
      seen.add(email.toLowerCase());
      await repo.insertContact(tx, {
        listId,
        name,
        organisation,
        channel: 'email',
        address: email,
        locale: lang.toLowerCase() === 'en' ? 'en' : 'vi',
      });
      result.added++;
    }
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.contact.import',
      entityType: 'crisis.list',
      entityId: listId,
      unitId: list.unit_id,
      ip: a.ip,
      data: { added: result.added, skipped: result.skipped.length },
    });
    return result;
  });
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF; a comma or semicolon as separator); blank lines dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f.trim())) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim())) rows.push(row);
  return rows;
}
