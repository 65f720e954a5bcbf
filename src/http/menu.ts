import { common } from '../platform/i18n/common.js';
import type { Menus } from './context.js';
import type { AppModule } from './module.js';

const label = (key: 'staff.users' | 'staff.audit' | 'staff.tokens' | 'staff.account') => ({
  vi: common.vi[key],
  en: common.en[key],
});

/** The platform's own staff pages, after the modules' items; each shown only to those who may use it. */
const platformMenu = [
  { href: '/staff/users', label: label('staff.users'), action: 'users.manage' },
  { href: '/staff/audit', label: label('staff.audit'), action: 'audit.read' },
  { href: '/staff/tokens', label: label('staff.tokens'), action: 'tokens.manage-own' },
  { href: '/staff/account', label: label('staff.account'), action: 'staff.enter' },
];

/** One app's menus, from its module list (built at boot and carried in Deps; the layout reads them from PageCtx). */
export function buildMenus(modules: readonly AppModule[]): Menus {
  return {
    staff: [...modules.flatMap((m) => m.staffMenu ?? []), ...platformMenu],
    public: modules.flatMap((m) => m.publicNav ?? []),
  };
}
