/** The configuration page (administrators): adding setting rows and saving the whole form. */

import { api, problemLines } from './api.js';
import { byId, control, showLines } from './dom.js';
import { type FieldValue, fieldValues } from './fields.js';

export function setUpConfiguration(): void {
  const form = byId('configuration-form', HTMLFormElement);
  if (form === undefined) return;
  const settings = byId('settings', HTMLElement);
  // The server renders the empty setting row once, as a template, so its markup lives in one place.
  const template = byId('setting-template', HTMLTemplateElement);
  const problems = byId('configuration-problems', HTMLElement);
  const save = byId('save-configuration', HTMLButtonElement);
  const connectors = control(form, 'basics.connectors', HTMLInputElement);

  byId('add-setting', HTMLButtonElement)?.addEventListener('click', () => {
    if (settings === undefined || template === undefined) return;
    const row = document.importNode(template.content, true).querySelector('.setting');
    if (row === null) return;
    settings.append(row);
    row.querySelector<HTMLInputElement>('.setting-key')?.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const basics: Record<string, string> = { connectors: connectors.value };
    for (const row of form.querySelectorAll('.setting')) {
      const key = row.querySelector<HTMLInputElement>('.setting-key')?.value.trim() ?? '';
      // An emptied name removes the setting.
      if (key !== '') basics[key] = row.querySelector<HTMLInputElement>('.setting-value')?.value ?? '';
    }
    const instances: Record<string, Record<string, FieldValue>> = {};
    for (const section of form.querySelectorAll<HTMLElement>('section[data-instance]')) {
      const instance = section.dataset.instance;
      // A connector that is not installed has no fields: its stored values stay as they are.
      if (instance === undefined || section.hasAttribute('data-missing')) continue;
      instances[instance] = fieldValues(section);
    }
    if (save !== undefined) save.disabled = true;
    const answer = await api('PUT', '/api/configuration', { basics, instances });
    if (save !== undefined) save.disabled = false;
    // Reloaded, the page shows what was stored and whether a restart is needed.
    if (answer.ok) location.reload();
    else if (problems !== undefined) showLines(problems, problemLines(answer));
  });
}
