/** The credentials page: one form per instance, each saved whole with PUT /api/credentials/{instance}. */

import { api, problemLines, swapFromServer } from './api.js';
import { showMessage } from './dom.js';
import { fieldValues } from './fields.js';

interface SavedCredentials {
  /** True when the cloud accepted them; false when it could not be asked (a warning says why). */
  readonly checked?: boolean;
  /** Saved either way; e.g. VMs launched with another cloud account are now out of reach. */
  readonly warnings?: readonly string[];
}

export function setUpCredentials(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-credentials]')) {
    const instance = form.dataset.credentials ?? '';
    const box = form.querySelector<HTMLElement>('[data-message]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const answer = await api<SavedCredentials>(
        'PUT',
        `/api/credentials/${encodeURIComponent(instance)}`,
        fieldValues(form),
      );
      if (!answer.ok) {
        if (box !== null) showMessage(box, 'error', problemLines(answer));
        return;
      }
      form.reset();
      // "saved <when>" as the server renders it.
      const failed = await swapFromServer('/credentials', [`credentials-status-${instance}`]);
      const trouble = [...(answer.data.warnings ?? []), ...(failed === undefined ? [] : [failed])];
      if (box === null) return;
      // Saved either way; a warning is shown where it cannot be missed, as an error.
      // Credentials the cloud refused were not saved: the server answered an error, shown above.
      const saved = answer.data.checked === true ? 'Saved: the cloud accepted them.' : 'Saved.';
      if (trouble.length > 0) showMessage(box, 'error', [saved, ...trouble]);
      else showMessage(box, 'ok', saved);
    });
  }
}
