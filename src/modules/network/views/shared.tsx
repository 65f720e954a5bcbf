import { assetUrl } from '../../../http/assets.js';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { nt } from '../i18n.js';

export const n = (ctx: PageCtx) => nt.t(ctx.locale);

export const Head = () => (
  <>
    <link rel="stylesheet" href={assetUrl('network/network.css')} />
    <script src={assetUrl('network/network.js')} defer></script>
  </>
);

/** A group of checkboxes whose error sits beside it; checked values come back from `values[name]` (newline-joined). */
export function Checks(p: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  hint?: string;
}) {
  const err = p.errors?.[p.name];
  const chosen = new Set((p.values?.[p.name] ?? '').split('\n').filter(Boolean));
  return (
    <fieldset
      class={`field checks${err ? ' has-error' : ''}`}
      id={`f-${p.name}`}
      aria-describedby={err ? `f-${p.name}-err` : undefined}
    >
      <legend>{p.legend}</legend>
      {p.hint ? <p class="hint">{p.hint}</p> : null}
      {p.options.map((o) => (
        <label class="check">
          <input type="checkbox" name={p.name} value={o.value} checked={chosen.has(o.value)} /> {o.label}
        </label>
      ))}
      {err ? (
        <p class="error" id={`f-${p.name}-err`} role="alert">
          {err}
        </p>
      ) : null}
    </fieldset>
  );
}

export const unitName = (ctx: PageCtx, r: { unit_name: string; unit_name_en: string | null }) =>
  ctx.locale === 'en' ? (r.unit_name_en ?? r.unit_name) : r.unit_name;
