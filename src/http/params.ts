import type { Ctx } from './context.js';
import { notFound } from './errors.js';
import { parseId } from '../platform/ids.js';

/** The row id in a path segment (or the leading digits of one, as in "12-slug"); a 404 when it cannot name a row. */
export function pathId(c: Ctx, name = 'id', text: string = c.req.param(name) ?? ''): number {
  const id = parseId(/^\d+/.exec(text)?.[0]);
  if (id === null) throw notFound();
  return id;
}
