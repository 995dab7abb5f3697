/**
 * Values of the fields the server renders from connector specs (pages/fields.ts): each control has
 * `data-key` (the parameter or credential key) and `data-type` (its spec type).
 */

export type FieldValue = string | number | boolean;

/** A field's value for the API; undefined leaves it out (a secret kept, an empty optional field). */
function fieldValue(control: HTMLInputElement | HTMLSelectElement): FieldValue | undefined {
  const type = control.dataset.type;
  if (type === 'boolean' && control instanceof HTMLInputElement) return control.checked;
  if (type === 'secret') {
    const clear = control.closest('.field')?.querySelector<HTMLInputElement>('input[data-clear]');
    // An empty string clears the stored secret; leaving the key out keeps it.
    if (clear?.checked) return '';
    return control.value === '' ? undefined : control.value;
  }
  if (control.value.trim() === '') return undefined;
  if (type === 'integer') {
    const number = Number(control.value);
    // Not a number: sent as typed, for the server to explain what it expected.
    return Number.isFinite(number) ? number : control.value;
  }
  return control.value;
}

/** The values of every spec field inside `scope`, by key. */
export function fieldValues(scope: ParentNode): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const control of scope.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
    'input[data-key], select[data-key]',
  )) {
    const key = control.dataset.key;
    const value = fieldValue(control);
    if (key !== undefined && value !== undefined) values[key] = value;
  }
  return values;
}
