import type { TestApp } from './app.js';
import {
  type Account,
  makeFactcheck,
  makeStaffSet,
  makeUnit,
  realUnit,
  type STAFF_ROLES,
  type Unit,
} from './factories.js';

export interface Office {
  unit: Unit;
  staff: Record<(typeof STAFF_ROLES)[number], Account>;
  /** The ids of the fact-checks published at the start, in the order given. */
  factchecks: number[];
}

/**
 * An exchange partner's office on its own installation `t`: its top unit (Thành phố Huế by its official code '46',
 * or a new province by `name`), one account of every staff role on it (`role@tag.test`, password demo1234), and a
 * fact-check published through the desk (its editor writes, its reviewer approves and publishes) for each title.
 */
export async function makeOffice(
  t: TestApp,
  o: { tag: string; province: { code: '46' } | { name: string }; factchecks?: string[] },
): Promise<Office> {
  const unit =
    'code' in o.province
      ? await realUnit(t.db, o.province.code)
      : await makeUnit(t.db, { name: o.province.name, level: 'province' });
  const staff = await makeStaffSet(t.db, unit, o.tag);
  const factchecks: number[] = [];
  for (const title of o.factchecks ?? [])
    factchecks.push(
      await makeFactcheck(t.deps, {
        author: staff.editor.id,
        reviewer: staff.reviewer.id,
        status: 'published',
        form: { title, claim: `Lời đồn: ${title}`, summary: `Sai. ${title} là tin bịa đặt.` },
      }),
    );
  return { unit, staff, factchecks };
}
