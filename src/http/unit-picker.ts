import { parseId } from '../platform/ids.js';
import type { Hono } from 'hono';
import type { Db } from '../db/client.js';
import { findUnitByCode } from '../platform/units/repo.js';
import { countPickable, installationRoot, labelUnits, pickUnits, type PickedUnit } from '../platform/units/picker.js';
import type { AppEnv, Ctx } from './context.js';
import { type FormValues, formValues } from './forms.js';

/** What a unit picker shows: the typed search, the matches to choose from, and the current choice. */
export interface PickerState {
  name: string;
  q: string;
  options: PickedUnit[];
  selected: PickedUnit | null;
  /** A search was made (the list is its answer, possibly empty). */
  searched: boolean;
  /** Matches of the search (the choice already made is listed too, but not counted). */
  matches: number;
  /** More matches exist than are shown. */
  more: boolean;
  /** Query string for the JSON search (`/units/pick?…`): the same bounds as the server's list. */
  src: string;
  valueKind: 'id' | 'code';
}

export interface PickerOptions {
  /** The form field holding the chosen unit (its id, or its code with valueKind 'code'). */
  name: string;
  /** What was typed or sent (the query on a GET search, the body on a refused POST). */
  values?: FormValues;
  /** The person's scope for the form's action (unit paths); empty or absent: the whole root unit. */
  within?: string[];
  /** Wards and communes only (units without children). */
  leaves?: boolean;
  valueKind?: 'id' | 'code';
}

const LIMIT = 12;

export async function pickerState(db: Db, locale: 'vi' | 'en', o: PickerOptions): Promise<PickerState> {
  const values = o.values ?? {};
  const q = (values[`${o.name}_q`] ?? '').trim().slice(0, 100);
  const root = await installationRoot(db);
  const within = o.within ?? [];
  const leaves = Boolean(o.leaves);
  const valueKind = o.valueKind ?? 'id';
  const src = new URLSearchParams({
    leaves: leaves ? '1' : '0',
    ...(within.length ? { within: within.join(',') } : {}),
  }).toString();
  const chosenRaw = (values[o.name] ?? '').trim();
  let selected: PickedUnit | null = null;
  if (chosenRaw) {
    const id = valueKind === 'id' ? parseId(chosenRaw) : null;
    const byCode = valueKind === 'code' ? await findUnitByCode(db, chosenRaw) : undefined;
    const unitId = id ?? byCode?.id;
    if (unitId) selected = (await labelUnits(db, [unitId], locale))[0] ?? null;
  }
  if (!root)
    return {
      name: o.name,
      q,
      options: selected ? [selected] : [],
      selected,
      searched: Boolean(q),
      matches: 0,
      more: false,
      src,
      valueKind,
    };
  const short = !q && (await countPickable(db, root.path, within, leaves)) <= LIMIT;
  const found = q || short ? await pickUnits(db, root.path, { q, within, leaves, locale, limit: LIMIT + 1 }) : [];
  const more = found.length > LIMIT;
  const options = found.slice(0, LIMIT);
  const matches = options.length;
  if (selected && !options.some((u) => u.id === selected!.id)) options.unshift(selected);
  return { name: o.name, q, options, selected, searched: Boolean(q), matches, more, src, valueKind };
}

/** The same, from a request: the query string on a GET (the no-JavaScript search), the given values otherwise. */
export function unitPicker(c: Ctx, o: PickerOptions): Promise<PickerState> {
  const values = o.values ?? (c.req.method === 'GET' ? (c.req.query() as FormValues) : {});
  return pickerState(c.get('deps').db, c.get('locale') === 'en' ? 'en' : 'vi', { ...o, values });
}

/** What a picker of several units shows: the units chosen (ticked, to untick), the typed search and its matches. */
export interface MultiPickerState {
  name: string;
  q: string;
  /** The units sent as chosen, ticked. */
  chosen: PickedUnit[];
  /** Matches of the search not chosen yet, offered unticked. */
  options: PickedUnit[];
  searched: boolean;
  matches: number;
  more: boolean;
  src: string;
}

export type MultiPickerOptions = Omit<PickerOptions, 'valueKind'>;

/** Chosen units a form may carry back (more is a crafted request: the services refuse what they do not allow). */
const MAX_CHOSEN = 200;

/** The chosen units come as `values[name]`, ids joined by newlines (formValues of repeated checkboxes). */
export async function multiPickerState(db: Db, locale: 'vi' | 'en', o: MultiPickerOptions): Promise<MultiPickerState> {
  const values = o.values ?? {};
  const q = (values[`${o.name}_q`] ?? '').trim().slice(0, 100);
  const within = o.within ?? [];
  const leaves = Boolean(o.leaves);
  const src = new URLSearchParams({
    leaves: leaves ? '1' : '0',
    ...(within.length ? { within: within.join(',') } : {}),
  }).toString();
  const ids = [
    ...new Set(
      (values[o.name] ?? '')
        .split('\n')
        .map((v) => parseId(v.trim()))
        .filter((id): id is number => id !== null),
    ),
  ].slice(0, MAX_CHOSEN);
  const chosen = await labelUnits(db, ids, locale);
  const root = await installationRoot(db);
  const short = root && !q && (await countPickable(db, root.path, within, leaves)) <= LIMIT;
  const found =
    root && (q || short) ? await pickUnits(db, root.path, { q, within, leaves, locale, limit: LIMIT + 1 }) : [];
  const shown = found.slice(0, LIMIT);
  const taken = new Set(chosen.map((u) => u.id));
  return {
    name: o.name,
    q,
    chosen,
    options: shown.filter((u) => !taken.has(u.id)),
    searched: Boolean(q),
    matches: shown.length,
    more: found.length > LIMIT,
    src,
  };
}

/** The same, from a request: on a GET (the no-JavaScript search) the query string with every chosen unit kept. */
export function multiUnitPicker(c: Ctx, o: MultiPickerOptions): Promise<MultiPickerState> {
  const values = o.values ?? (c.req.method === 'GET' ? formValues(c.req.queries()) : {});
  return multiPickerState(c.get('deps').db, c.get('locale') === 'en' ? 'en' : 'vi', { ...o, values });
}

/** A GET that re-renders a form for the no-JavaScript unit search (the picker's Search button). */
export const isPickerSearch = (c: Ctx) => c.req.method === 'GET' && c.req.query('_pick') !== undefined;

/**
 * A form sent by Enter with JavaScript off (the picker's hidden first button) whose search text changed since its list
 * was shown: the Enter was pressed in the search box, so the form is shown again with the matches instead of sent.
 * A form with several pickers names them all: Enter presses the first picker's hidden button whichever box it was in.
 */
export function enterSearches(body: Record<string, unknown>, name: string | string[]): boolean {
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const names = typeof name === 'string' ? [name] : name;
  return text('_enter') !== '' && names.some((n) => text(`${n}_q`) !== text(`${n}_q0`));
}

/**
 * A form sent back by a picker without JavaScript, to be shown again and not saved: its Search button in 'post' mode
 * (`action=find-unit`, a form with files or long text) or Enter in its search box.
 */
export const isPickerPost = (body: Record<string, unknown>, name: string | string[]) =>
  body.action === 'find-unit' || enterSearches(body, name);

/** `GET /units/pick?q=…&leaves=1&within=PATH,PATH`: the picker's search as you type. Unit names are public. */
export function unitPickerRoutes(app: Hono<AppEnv>): void {
  app.get('/units/pick', async (c) => {
    const db = c.get('deps').db;
    const within = (c.req.query('within') ?? '')
      .split(',')
      .filter((p) => /^[0-9]+(\.[0-9]+)*$/.test(p))
      .slice(0, 50);
    const root = await installationRoot(db);
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const leaves = c.req.query('leaves') === '1';
    const found = root
      ? await pickUnits(db, root.path, {
          q,
          within,
          leaves,
          locale: c.get('locale') === 'en' ? 'en' : 'vi',
          limit: LIMIT + 1,
        })
      : [];
    c.header('cache-control', 'private, max-age=60');
    return c.json({
      units: found.slice(0, LIMIT).map((u) => ({ id: u.id, code: u.code, label: u.label })),
      more: found.length > LIMIT,
    });
  });
}
