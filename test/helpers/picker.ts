/** Reading a unit picker's choices out of a page, as a person sees them: which units are offered and which are chosen. */

export interface PickerChoice {
  id: number;
  /** ticked (several units) or chosen (one unit) */
  checked: boolean;
  /** "Phường X, Tỉnh Y" */
  label: string;
}

/** The choices of the picker for field `name`: checkboxes when it takes several units, radios when it takes one. */
export function pickerChoices(html: string, name: string, type: 'checkbox' | 'radio'): PickerChoice[] {
  const re = new RegExp(
    `<input type="${type}" name="${name}" value="(\\d+)"( checked(?:="")?)?[^>]*>\\s*([^<]+)<`,
    'g',
  );
  return [...html.matchAll(re)].map((m) => ({ id: Number(m[1]), checked: Boolean(m[2]), label: m[3].trim() }));
}

/** The ids of the units ticked in a several-units picker, in ascending order. */
export const tickedUnits = (html: string, name: string) =>
  pickerChoices(html, name, 'checkbox')
    .filter((b) => b.checked)
    .map((b) => b.id)
    .sort((a, b) => a - b);
