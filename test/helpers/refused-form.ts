/** Reading a refused form's page: the message shown beside a field, and what the field holds. */

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The error message beside the field `name` (components.tsx `Field`: `<p class="error" id="f-NAME-err">`), or null. */
export function errorBeside(html: string, name: string): string | null {
  const m = new RegExp(`<p class="error" id="f-${name}-err"[^>]*>([^]*?)</p>`).exec(html);
  return m ? unescape(m[1].trim()) : null;
}

/** What the field `name` shows: an input's value or a textarea's text (id `f-NAME`), or null when there is no such field. */
export function fieldValue(html: string, name: string): string | null {
  const area = new RegExp(`<textarea[^>]*\\bid="f-${name}"[^>]*>([^]*?)</textarea>`).exec(html);
  if (area) return unescape(area[1]);
  const input = new RegExp(`<input[^>]*\\bid="f-${name}"[^>]*>`).exec(html);
  if (!input) return null;
  const v = /\bvalue="([^"]*)"/.exec(input[0]);
  return v ? unescape(v[1]) : '';
}
