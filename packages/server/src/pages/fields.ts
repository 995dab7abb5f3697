/**
 * Form fields rendered from core's parameter and credential specs. The script reads `data-key` and
 * `data-type` to build the JSON body. A secret's value, stored or default, is never written into
 * the page: the field only says whether one is set.
 */

import { type FieldSpec, isSecretField } from '@slipstream/connector-core';
import { html, type SafeHtml } from './html.js';

export interface FieldState {
  /** The stored plain value, shown in the input. */
  readonly value?: unknown;
  /** Whether a secret has a stored value (which stays on the server); undefined: not said. */
  readonly secretSet?: boolean;
}

/** A DOM id from a scope and a key; keys are dotted lowercase, so this stays readable and unique. */
function fieldId(scope: string, key: string): string {
  return `f-${scope}-${key}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function control(spec: FieldSpec, id: string, state: FieldState): SafeHtml {
  const common = html`id="${id}" name="${spec.key}" data-key="${spec.key}"`;
  const fallback = spec.default === undefined ? undefined : String(spec.default);
  if (isSecretField(spec)) {
    // Unknown (credentials, which a save replaces whole): no hint at all.
    const placeholder =
      state.secretSet === true
        ? 'set — leave empty to keep'
        : state.secretSet === false
          ? `not set${spec.default === undefined ? '' : ' (its default applies)'}`
          : '';
    return html`<input type="password" ${common} data-type="secret" autocomplete="new-password" placeholder="${placeholder}">${
      state.secretSet
        ? html`<label class="clear"><input type="checkbox" data-clear="${spec.key}"> clear</label>`
        : ''
    }`;
  }
  const value = text(state.value);
  switch (spec.type) {
    case 'boolean': {
      const checked = typeof state.value === 'boolean' ? state.value : spec.default === true;
      return html`<input type="checkbox" ${common} data-type="boolean"${checked ? html` checked` : ''}>`;
    }
    case 'enum': {
      const selected = value ?? '';
      const blank =
        spec.required && fallback === undefined ? 'choose…' : `(default${fallback ? `: ${fallback}` : ''})`;
      return html`<select ${common} data-type="enum"><option value="">${blank}</option>${(
        spec.values ?? []
      ).map(
        (item) => html`<option value="${item}"${item === selected ? html` selected` : ''}>${item}</option>`,
      )}</select>`;
    }
    case 'integer':
      return html`<input type="number" step="1"${spec.min === undefined ? '' : html` min="${spec.min}"`}${
        spec.max === undefined ? '' : html` max="${spec.max}"`
      } ${common} data-type="integer" value="${value ?? ''}" placeholder="${fallback ?? ''}">`;
    default:
      return html`<input type="text"${spec.type === 'url' ? html` inputmode="url"` : ''} ${common} data-type="${spec.type}" value="${value ?? ''}" placeholder="${fallback ?? ''}">`;
  }
}

/** One labelled field: the key as label, the spec's label and description as help text. */
export function renderField(scope: string, spec: FieldSpec, state: FieldState = {}): SafeHtml {
  const id = fieldId(scope, spec.key);
  return html`<div class="field">
<label for="${id}">${spec.key}${spec.required ? html`<span class="required" title="required">*</span>` : ''}</label>
<div class="control">${control(spec, id, state)}
<p class="help">${spec.label}: ${spec.description}</p></div>
</div>`;
}
