import type { Child } from 'hono/jsx';
import type { FieldErrors, FormValues } from '../forms.js';

/** Hidden CSRF field; every POST form includes it. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export interface FieldProps {
  name: string;
  label: string;
  values?: FormValues;
  errors?: FieldErrors;
  type?: string;
  required?: boolean;
  maxLength?: number;
  hint?: Child;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  value?: string;
  inputmode?: 'none' | 'search' | 'numeric' | 'decimal' | 'url' | 'email' | 'text' | 'tel';
  placeholder?: string;
  list?: string;
}

/**
 * The frame a form control sits in: its label (a legend for a group of boxes), a hint, the control, and its error
 * right beside it, announced by screen readers. The control's own ids: `f-NAME`, `f-NAME-hint`, `f-NAME-err`.
 */
export function FieldFrame(p: {
  name: string;
  label: Child;
  error?: string;
  hint?: Child;
  /** A fieldset with a legend (a group of checkboxes) instead of a div with a label for one control. */
  group?: boolean;
  children?: Child;
}) {
  const id = `f-${p.name}`;
  const cls = `field${p.error ? ' has-error' : ''}`;
  const inner = (
    <>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.children}
      {p.error ? (
        <p class="error" id={`${id}-err`} role="alert">
          {p.error}
        </p>
      ) : null}
    </>
  );
  return p.group ? (
    <fieldset class={cls} id={id}>
      <legend>{p.label}</legend>
      {inner}
    </fieldset>
  ) : (
    <div class={cls}>
      <label for={id}>{p.label}</label>
      {inner}
    </div>
  );
}

/** A labelled input whose error sits right beside it and is announced by screen readers. */
export function Field(p: FieldProps) {
  const err = p.errors?.[p.name];
  const id = `f-${p.name}`;
  const value = p.values?.[p.name] ?? p.value ?? '';
  const describedBy = [p.hint ? `${id}-hint` : '', err ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const attrs = {
    id,
    name: p.name,
    required: p.required,
    maxlength: p.maxLength,
    'aria-invalid': err ? 'true' : undefined,
    'aria-describedby': describedBy,
    autocomplete: p.autocomplete,
    placeholder: p.placeholder,
  };
  return (
    <FieldFrame name={p.name} label={p.label} error={err} hint={p.hint}>
      {p.multiline ? (
        <textarea {...attrs} rows={p.rows ?? 5}>
          {value}
        </textarea>
      ) : (
        <input {...attrs} type={p.type ?? 'text'} value={value} inputmode={p.inputmode} list={p.list} />
      )}
    </FieldFrame>
  );
}

export interface SelectProps {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  required?: boolean;
  value?: string;
  empty?: string;
}

export function Select(p: SelectProps) {
  const err = p.errors?.[p.name];
  const id = `f-${p.name}`;
  const current = p.values?.[p.name] ?? p.value ?? '';
  return (
    <FieldFrame name={p.name} label={p.label} error={err}>
      <select
        id={id}
        name={p.name}
        required={p.required}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={err ? `${id}-err` : undefined}
      >
        {p.empty !== undefined ? <option value="">{p.empty}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function ErrorSummary({ errors, title }: { errors?: FieldErrors; title: string }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div class="notice error-summary" role="alert" tabindex={-1}>
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {Object.entries(errors).map(([field, msg]) => (
          <li>{field === '_form' ? msg : <a href={`#f-${field}`}>{msg}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export const Notice = ({
  children,
  kind = 'info',
}: {
  children?: Child;
  kind?: 'info' | 'success' | 'warning' | 'error';
}) => (
  <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    {children}
  </div>
);
