import type { FieldErrors, FormValues } from '../forms.js';
import { Field, type FieldProps, Select, type SelectProps } from './components.js';

/**
 * `Field` and `Select` bound to one form's typed values and errors, so that each field names only what is its own:
 * `const f = formFields(values, errors)`, then `<f.Field name="code" label={…} required />`.
 */
export function formFields(values: FormValues | undefined, errors: FieldErrors | undefined) {
  return {
    Field: (p: Omit<FieldProps, 'values' | 'errors'>) => Field({ values, errors, ...p }),
    Select: (p: Omit<SelectProps, 'values' | 'errors'>) => Select({ values, errors, ...p }),
  };
}
