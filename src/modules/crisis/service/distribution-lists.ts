/** Distribution lists (press, officials, unit leaders, network, custom) and their contacts. */
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { assertCan } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { assertOutboundAllowed, OutboundRefusedError, type OutboundCode, type OutboundOptions } from '../../../platform/net/outbound.js';
import type { CrisisKey } from '../i18n.js';
import * as repo from '../repo.js';
import { CrisisFormError, NotFoundError, type Actor } from './common.js';
import { label } from './internal.js';

export async function createList(db: Db, a: Actor, name: string, kind: repo.ListKind, unitId: number): Promise<number> {
  const unit = await repo.unitById(db, unitId);
  if (!unit) throw new CrisisFormError({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  return db.tx(async (tx) => {
    const id = await repo.insertList(tx, name, kind, unitId);
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.list.create', entityType: 'crisis.list', entityId: id, unitId, ip: a.ip, data: { name, kind } });
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
    if (e instanceof OutboundRefusedError) throw new CrisisFormError({ address: outboundField[e.code] });
    throw e;
  }
}

export async function addContact(
  db: Db, a: Actor, listId: number,
  c: { name: string; organisation: string; channel: 'email' | 'webhook'; address: string; secret?: string; locale: Locale },
  opts: { outbound?: OutboundOptions } = {},
): Promise<number> {
  const list = await repo.getList(db, listId);
  if (!list) throw new NotFoundError();
  assertCan(a.principal, 'crisis.manage', list.unit_path);
  if (c.channel === 'webhook') await checkWebhookAddress(c.address, opts.outbound);
  return db.tx(async (tx) => {
    let address = c.address;
    if (c.channel === 'webhook') address = String(await repo.insertWebhookEndpoint(tx, `${c.name} (crisis)`, c.address, c.secret ?? ''));
    const id = await repo.insertContact(tx, { listId, name: c.name, organisation: c.organisation, channel: c.channel, address, locale: c.locale });
    // personal data stays out of the audit log: only the channel is recorded
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.contact.add', entityType: 'crisis.list', entityId: listId, unitId: list.unit_id, ip: a.ip, data: { contactId: id, channel: c.channel } });
    return id;
  });
}
