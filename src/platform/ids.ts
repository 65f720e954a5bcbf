/** The largest id a PostgreSQL integer column holds. */
export const MAX_ID = 2_147_483_647;

/** A row id that came from outside (a form's hidden field, a query): a whole number from 1 to 2,147,483,647, else null. */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_ID ? n : null;
}
