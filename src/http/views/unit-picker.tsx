import type { FieldErrors } from '../forms.js';
import type { PageCtx } from '../context.js';
import type { MultiPickerState, PickerState } from '../unit-picker.js';
import { assetUrl } from '../assets.js';

export interface UnitPickerProps {
  ctx: PageCtx;
  state: PickerState;
  label: string;
  errors?: FieldErrors;
  required?: boolean;
  hint?: string;
  search?: PickerSearch;
  /** A filter's "any unit" choice (value ""), shown above the matches and chosen while no unit is. */
  any?: string;
}

/**
 * Where a picker's Search button sends the form without JavaScript: a GET to this page (default) re-renders the form
 * with what was typed; 'post' submits the form to its own action with `action=find-unit` (a form with files or long text).
 */
export type PickerSearch = { method: 'get'; action: string } | { method: 'post' };

/**
 * Enter in a text field presses the form's FIRST submit button, which would be the picker's Search. A hidden button
 * placed before it takes Enter instead: it sends the form marked `_enter=NAME`, with the search text the list answers
 * (`NAME_q0`) so the server tells "Enter in the search box" (the text changed: search) from "Enter in another field"
 * (send the form). See enterSearches() in http/unit-picker.ts.
 */
function EnterButton(p: { name: string; q: string }) {
  return (
    <>
      <input type="hidden" name={`${p.name}_q0`} value={p.q} />
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: never reached by Tab (tabindex -1); it only takes Enter */}
      <input type="submit" name="_enter" value={p.name} class="sr-only" tabindex={-1} aria-hidden="true" />
    </>
  );
}

/** The search text and its Search button (pressed without JavaScript; with it the matches follow the typing). */
function SearchBox(p: { id: string; name: string; q: string; t: PageCtx['t']; search: PickerSearch }) {
  const { id, name, t, search } = p;
  return (
    <div class="up-search">
      <label for={`${id}_q`} class="sr-only">
        {t('unitPicker.search')}
      </label>
      <input
        type="search"
        id={`${id}_q`}
        name={`${name}_q`}
        value={p.q}
        maxlength={100}
        autocomplete="off"
        aria-describedby={`${id}-hint`}
        placeholder={t('unitPicker.search')}
      />
      {search.method === 'get' ? (
        <button
          type="submit"
          class="secondary"
          name="_pick"
          value={name}
          formmethod="get"
          formaction={search.action || undefined}
          formnovalidate
        >
          {t('unitPicker.find')}
        </button>
      ) : (
        <button type="submit" class="secondary" name="action" value="find-unit" formnovalidate>
          {t('unitPicker.find')}
        </button>
      )}
    </div>
  );
}

/**
 * One way to choose a unit in every form: type a name, press Search (the page comes back with the matches),
 * choose one. With JavaScript the matches follow the typing. Each choice is named with its province.
 */
export function UnitPicker(p: UnitPickerProps) {
  const { state: s, ctx } = p;
  const t = ctx.t;
  const id = `f-${s.name}`;
  const err = p.errors?.[s.name];
  const value = (u: { id: number; code: string }) => (s.valueKind === 'code' ? u.code : String(u.id));
  const search = p.search ?? { method: 'get' as const, action: '' };
  const status = s.searched ? (s.matches === 0 ? t('unitPicker.none') : t('unitPicker.found', { n: s.matches })) : '';
  return (
    <fieldset
      class={`field unit-picker${err ? ' has-error' : ''}`}
      id={id}
      data-unit-picker={s.src}
      data-name={s.name}
      data-value-kind={s.valueKind}
      aria-describedby={err ? `${id}-err` : undefined}
    >
      <legend>
        {p.label}
        {p.required ? null : ` ${t('common.optional')}`}
      </legend>
      <p class="hint" id={`${id}-hint`}>
        {p.hint ?? t('unitPicker.hint')}
      </p>
      <EnterButton name={s.name} q={s.q} />
      <SearchBox id={id} name={s.name} q={s.q} t={t} search={search} />
      <p
        class="hint up-status"
        role="status"
        aria-live="polite"
        data-none={t('unitPicker.none')}
        data-found={t('unitPicker.found', { n: '{n}' })}
      >
        {status}
        {s.more ? ` ${t('unitPicker.more', { n: s.matches })}` : ''}
      </p>
      {p.any ? (
        <p class="up-any">
          <label class="check">
            <input type="radio" name={s.name} value="" checked={!s.selected} /> {p.any}
          </label>
        </p>
      ) : null}
      <ul class="up-options">
        {s.options.map((u) => (
          <li>
            <label class="check">
              <input
                type="radio"
                name={s.name}
                value={value(u)}
                checked={s.selected?.id === u.id}
                required={p.required}
              />{' '}
              {u.label}
            </label>
          </li>
        ))}
      </ul>
      {err ? (
        <p class="error" id={`${id}-err`} role="alert">
          {err}
        </p>
      ) : null}
      <script src={assetUrl('unit-picker.js')} defer></script>
    </fieldset>
  );
}

export interface MultiUnitPickerProps {
  ctx: PageCtx;
  state: MultiPickerState;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  search?: PickerSearch;
}

/**
 * Several units in one field: the chosen ones are ticked checkboxes (untick to remove), and a search offers more as
 * unticked checkboxes. Without JavaScript, Search brings the form back with what was typed and the matches; with it,
 * the matches follow the typing and a ticked match joins the chosen list at once.
 */
export function MultiUnitPicker(p: MultiUnitPickerProps) {
  const { state: s, ctx } = p;
  const t = ctx.t;
  const id = `f-${s.name}`;
  const err = p.errors?.[s.name];
  const status = s.searched
    ? s.matches === 0
      ? t('unitPicker.none')
      : t('unitPicker.foundMany', { n: s.matches })
    : '';
  const box = (u: { id: number; label: string }, checked: boolean) => (
    <li>
      <label class="check">
        <input type="checkbox" name={s.name} value={String(u.id)} checked={checked} /> {u.label}
      </label>
    </li>
  );
  return (
    <fieldset
      class={`field unit-picker up-multi${err ? ' has-error' : ''}`}
      id={id}
      data-unit-picker={s.src}
      data-name={s.name}
      data-multi="1"
      aria-describedby={err ? `${id}-err` : undefined}
    >
      <legend>{p.label}</legend>
      <p class="hint" id={`${id}-hint`}>
        {p.hint ?? t('unitPicker.hintMany')}
      </p>
      <p class="hint up-none" hidden={s.chosen.length > 0}>
        {t('unitPicker.noneChosen')}
      </p>
      <ul class="up-chosen" aria-label={t('unitPicker.chosen')}>
        {s.chosen.map((u) => box(u, true))}
      </ul>
      <EnterButton name={s.name} q={s.q} />
      <SearchBox id={id} name={s.name} q={s.q} t={t} search={p.search ?? { method: 'get', action: '' }} />
      <p
        class="hint up-status"
        role="status"
        aria-live="polite"
        data-none={t('unitPicker.none')}
        data-found={t('unitPicker.foundMany', { n: '{n}' })}
        data-added={t('unitPicker.added', { name: '{name}' })}
      >
        {status}
        {s.more ? ` ${t('unitPicker.more', { n: s.matches })}` : ''}
      </p>
      <ul class="up-options">{s.options.map((u) => box(u, false))}</ul>
      {err ? (
        <p class="error" id={`${id}-err`} role="alert">
          {err}
        </p>
      ) : null}
      <script src={assetUrl('unit-picker.js')} defer></script>
    </fieldset>
  );
}
