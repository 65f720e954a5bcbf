import type { Db } from '../../db/client.js';

/**
 * Choosing a unit in a form: the installation's root unit (a setting) bounds every picker, so a national
 * `import-units` does not put the whole country in front of a ward's staff; each choice is labelled with
 * its ancestors ("Phường An Cựu, Thành phố Huế") so that communes with the same name can be told apart.
 */
export interface PickedUnit {
  id: number;
  code: string;
  path: string;
  depth: number;
  /** "Phường X, Tỉnh Y" in the page's language. */
  label: string;
}

/** The settings key holding the root unit's code (`npm run cli -- root-unit CODE`). */
export const ROOT_SETTING = 'units.root';

/** The root unit: the one named by the setting, else the first top-level unit (the demo's and a single-province import's). */
export async function installationRoot(db: Db): Promise<{ id: number; code: string; path: string } | null> {
  const chosen = await db.one<{ id: number; code: string; path: string }>(
    `SELECT u.id, u.code, u.path::text AS path FROM settings s JOIN units u ON u.code = s.value #>> '{}' AND u.retired_at IS NULL WHERE s.key = $1`,
    [ROOT_SETTING],
  );
  return (
    chosen ??
    (await db.one(
      `SELECT id, code, path::text AS path FROM units WHERE parent_id IS NULL AND retired_at IS NULL ORDER BY id LIMIT 1`,
    )) ??
    null
  );
}

export async function setInstallationRoot(db: Db, code: string): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [ROOT_SETTING, JSON.stringify(code)],
  );
}

export interface PickQuery {
  q: string;
  /** Subtrees the form allows (the person's scope); none: the whole root unit. */
  within?: string[];
  /** Only units without active children (wards and communes), e.g. where a resident lives. */
  leaves?: boolean;
  locale: 'vi' | 'en';
  limit?: number;
}

const LABEL = (en: boolean) => `${en ? 'COALESCE(u.name_en, u.full_name)' : 'u.full_name'} || COALESCE((
    SELECT ', ' || string_agg(${en ? 'COALESCE(a.name_en, a.full_name)' : 'a.full_name'}, ', ' ORDER BY a.depth DESC)
    FROM units a WHERE a.path @> u.path AND a.id <> u.id), '')`;

/** The words typed (folded like vn_fold) each found in the unit's name, or the exact code; best matches first. */
export async function pickUnits(db: Db, root: string, p: PickQuery): Promise<PickedUnit[]> {
  const words = p.q.trim().split(/\s+/).filter(Boolean).slice(0, 6);
  return db.query<PickedUnit>(
    `SELECT u.id, u.code, u.path::text AS path, u.depth, ${LABEL(p.locale === 'en')} AS label
     FROM units u
     WHERE u.retired_at IS NULL AND u.path <@ $1::ltree
       AND (cardinality($2::text[]) = 0 OR u.path <@ ANY($2::ltree[]))
       AND (NOT $3::boolean OR NOT EXISTS (SELECT 1 FROM units c WHERE c.parent_id = u.id AND c.retired_at IS NULL))
       AND (u.code = $5 OR NOT EXISTS (
         SELECT 1 FROM unnest($4::text[]) w WHERE vn_fold(u.full_name || ' ' || COALESCE(u.name_en, '')) NOT LIKE '%' || vn_fold(w) || '%'))
     ORDER BY u.code = $5 DESC, vn_fold(u.name) LIKE vn_fold($5) || '%' DESC, u.depth, u.full_name
     LIMIT $6`,
    [root, p.within ?? [], Boolean(p.leaves), words, p.q.trim(), p.limit ?? 12],
  );
}

/** How many units a picker could offer at all: a short list is shown whole, before anything is typed. */
export async function countPickable(db: Db, root: string, within: string[], leaves: boolean): Promise<number> {
  const r = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM units u WHERE u.retired_at IS NULL AND u.path <@ $1::ltree
       AND (cardinality($2::text[]) = 0 OR u.path <@ ANY($2::ltree[]))
       AND (NOT $3::boolean OR NOT EXISTS (SELECT 1 FROM units c WHERE c.parent_id = u.id AND c.retired_at IS NULL))`,
    [root, within, leaves],
  );
  return r?.n ?? 0;
}

/** Whether a unit posted by a form is one a picker of the installation could have offered (live, inside the root unit). */
export async function insideRoot(db: Db, unitId: number): Promise<boolean> {
  const root = await installationRoot(db);
  if (!root) return false;
  const r = await db.one(`SELECT 1 FROM units WHERE id = $1 AND retired_at IS NULL AND path <@ $2::ltree`, [
    unitId,
    root.path,
  ]);
  return Boolean(r);
}

/** Labels of chosen units (a form coming back), whatever their place. */
export async function labelUnits(db: Db, ids: number[], locale: 'vi' | 'en'): Promise<PickedUnit[]> {
  if (ids.length === 0) return [];
  return db.query<PickedUnit>(
    `SELECT u.id, u.code, u.path::text AS path, u.depth, ${LABEL(locale === 'en')} AS label FROM units u WHERE u.id = ANY($1::int[]) ORDER BY u.depth, u.full_name`,
    [ids],
  );
}
