/**
 * Response templates per category and agency, kept by reviewers (and admins) of a unit, picked by handlers
 * when drafting an answer: the placeholders are filled on the server, so it works without JavaScript.
 */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan, can, inSubtree, scopeOf, type Principal } from '../../../platform/auth/permissions.js';
import { formatDate } from '../../../platform/i18n/index.js';
import * as tplRepo from '../repo/templates.js';
import * as repo from '../repo.js';
import { LIMITS, MailboxError } from '../service.js';
import { InvalidFields } from './errors.js';
import { xt } from '../views/redaction-i18n.js';

export const PLACEHOLDERS = [
  'code',
  'title',
  'category',
  'unit',
  'agency',
  'deadline',
  'received',
  'resident_name',
] as const;
const NAME_MAX = 150;

export interface TemplateInput {
  name: string;
  body: string;
  category: string;
  agency: string;
  active: boolean;
}

/** The unit subtrees whose templates this person keeps. */
export const templateScope = (p: Principal) => scopeOf(p, 'mailbox.templates');

export const listTemplates = (db: Db, p: Principal) => tplRepo.listInScope(db, templateScope(p));

export async function getTemplate(db: Db, p: Principal, id: number): Promise<tplRepo.TemplateRow> {
  const t = await tplRepo.findTemplate(db, id);
  if (!t || !can(p, 'mailbox.templates', t.unit_path)) throw new MailboxError(404, 'not_found');
  return t;
}

/** Checks a template; the errors are catalog keys beside the fields (all of them at once). */
async function check(
  db: Db,
  p: Principal,
  input: TemplateInput,
): Promise<{ write: Omit<tplRepo.TemplateWrite, 'unitId'>; unitPath: string; unitId: number }> {
  const errors: Record<string, { key: string; vars?: Record<string, string> }> = {};
  const name = input.name.trim();
  const body = input.body.replace(/\r\n/g, '\n').trim();
  if (!name || name.length > NAME_MAX) errors.name = { key: 'tpl.err.name' };
  if (!body || body.length > LIMITS.description) errors.body = { key: 'tpl.err.body' };
  const unknown = [...body.matchAll(/\{([^{}\s]{1,40})\}/g)]
    .map((m) => m[1])
    .find((n) => !(PLACEHOLDERS as readonly string[]).includes(n));
  if (unknown && !errors.body)
    errors.body = {
      key: 'tpl.err.placeholder',
      vars: { name: `{${unknown}}`, list: PLACEHOLDERS.map((x) => `{${x}}`).join(', ') },
    };
  let categoryId: number | null = null;
  if (input.category) {
    const c = /^\d{1,9}$/.test(input.category) ? await repo.findCategory(db, Number(input.category)) : undefined;
    if (!c) errors.category = { key: 'tpl.err.category' };
    else categoryId = c.id;
  }
  const scope = templateScope(p);
  let agencyId: number | null = null;
  let unitPath = scope[0] ?? '';
  if (input.agency) {
    const a = /^\d{1,9}$/.test(input.agency) ? await tplRepo.agencyUnit(db, Number(input.agency)) : undefined;
    // an agency of the reviewer's units, or a department above them that handles their reports
    if (!a || !scope.some((s) => inSubtree(a.path, s) || inSubtree(s, a.path)))
      errors.agency = { key: 'tpl.err.agency' };
    else {
      agencyId = a.id;
      unitPath = scope.find((s) => inSubtree(a.path, s)) ? a.path : scope.find((s) => inSubtree(s, a.path))!;
    }
  }
  const first = Object.entries(errors)[0];
  if (first) throw new InvalidFields(errors);
  const unit = await tplRepo.unitByPath(db, unitPath);
  if (!unit) throw new MailboxError(422, 'tpl.err.agency', {}, 'agency');
  return { write: { categoryId, agencyId, name, body, active: input.active }, unitPath, unitId: unit.id };
}

export async function saveTemplate(
  deps: Pick<Deps, 'db'>,
  a: Actor,
  id: number | null,
  input: TemplateInput,
): Promise<number> {
  const { principal: p, ip } = a;
  assertCan(p, 'mailbox.templates');
  return deps.db.tx(async (tx) => {
    const old = id ? await getTemplate(tx, p, id) : null;
    const { write, unitPath, unitId } = await check(tx, p, input);
    assertCan(p, 'mailbox.templates', unitPath);
    const row = { ...write, unitId };
    const tid = old
      ? (await tplRepo.updateTemplate(tx, old.id, row), old.id)
      : await tplRepo.insertTemplate(tx, row, p.userId);
    const view = (t: {
      name: string;
      body: string;
      category_id?: number | null;
      categoryId?: number | null;
      agency_id?: number | null;
      agencyId?: number | null;
      active: boolean;
    }) => ({
      name: t.name,
      body: t.body,
      category_id: t.category_id ?? t.categoryId ?? null,
      agency_id: t.agency_id ?? t.agencyId ?? null,
      active: t.active,
    });
    await recordAudit(tx, {
      actorId: p.userId,
      actorLabel: p.email,
      action: old ? 'mailbox.template.update' : 'mailbox.template.create',
      entityType: 'mailbox.template',
      entityId: tid,
      unitId,
      ip,
      data: { old: old ? view(old) : null, new: view(row) },
    });
    return tid;
  });
}

/** The templates a handler may pick for a report. */
export const templatesFor = (db: Db, r: repo.ReportRow) => tplRepo.forReport(db, r);

/**
 * A template's text for one report. {resident_name} is the resident's name for staff who may see it
 * (the public answer masks it unless the resident allowed it to be shown).
 */
export function fillTemplate(body: string, r: repo.ReportRow, o: { showContact: boolean }): string {
  const locale = r.locale === 'en' ? 'en' : 'vi';
  const vars: Record<string, string> = {
    code: r.code,
    title: r.title,
    category: locale === 'en' ? r.category_name_en : r.category_name,
    unit: locale === 'en' ? (r.unit_name_en ?? r.unit_full_name) : r.unit_full_name,
    agency: (locale === 'en' ? (r.agency_name_en ?? r.agency_name) : r.agency_name) ?? '',
    deadline: r.deadline_at ? formatDate(locale, r.deadline_at) : '',
    received: formatDate(locale, r.received_at),
    resident_name: (o.showContact || r.show_name) && r.contact_name ? r.contact_name : xt.t(locale)('tpl.resident'),
  };
  return body.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? vars[k] : m));
}
