import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/audit.js';
import { grantRole } from '../auth/repo.js';
import { createUser } from '../auth/service.js';
import { upsertAgency, upsertUnit } from '../units/repo.js';
import { demoAgencies, demoCommunes, demoProvince } from './units.js';

export const DEMO_LOGINS = ['admin', 'editor', 'reviewer', 'handler', 'member'] as const;

export interface PlatformDemo {
  provinceId: number;
  communeIds: number[];
  agencyIds: number[];
  users: Record<(typeof DEMO_LOGINS)[number], number>;
}

const names: Record<(typeof DEMO_LOGINS)[number], string> = {
  admin: 'Nguyễn Văn Quản',
  editor: 'Trần Thị Biên',
  reviewer: 'Lê Minh Duyệt',
  handler: 'Phạm Thu Xử',
  member: 'Hoàng Văn Chia',
};

/** Units, agencies and one account per role (all on the province, so they see everything). */
export async function seedPlatformDemo(db: Db, password: string): Promise<PlatformDemo> {
  const provinceId = await upsertUnit(db, { ...demoProvince, parentId: null });
  const communeIds: number[] = [];
  for (const c of demoCommunes) communeIds.push(await upsertUnit(db, { ...c, parentId: provinceId }));
  const byCode = new Map([
    [demoProvince.code, provinceId],
    ...demoCommunes.map((c, i) => [c.code, communeIds[i]] as [string, number]),
  ]);
  const agencyIds: number[] = [];
  for (const a of demoAgencies)
    agencyIds.push(
      await upsertAgency(db, { unitId: byCode.get(a.unit)!, code: a.code, name: a.name, nameEn: a.nameEn }),
    );
  const users = {} as PlatformDemo['users'];
  for (const role of DEMO_LOGINS) {
    const id = await createUser(db, { email: `${role}@demo.local`, name: names[role], password }, 'demo-seed');
    await grantRole(db, id, role, role === 'member' ? communeIds[0] : provinceId, null);
    users[role] = id;
  }
  await recordAudit(db, {
    actorLabel: 'demo-seed',
    action: 'demo.seed',
    entityType: 'platform',
    data: { units: communeIds.length + 1 },
  });
  return { provinceId, communeIds, agencyIds, users };
}
