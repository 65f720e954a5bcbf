import type { MenuItem, NavItem } from './context.js';

/** Filled once when the app is assembled from its modules; read by the layout. */
export const menus: { staff: MenuItem[]; public: NavItem[] } = { staff: [], public: [] };
