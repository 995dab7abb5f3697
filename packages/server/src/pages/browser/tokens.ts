/**
 * The API tokens page: the create form (POST /api/tokens) and Revoke buttons (DELETE
 * /api/tokens/{id}). After a change the rows are swapped for the server's rendering of the page; a
 * new token is shown once, here, and never rendered by the server.
 */

import { api, errorMessage, problemLines, swapFromServer } from './api.js';
import { byId, closest, hide, showMessage, showOnce } from './dom.js';

interface CreatedToken {
  readonly id: string;
  readonly name: string;
  /** The secret itself, answered this once. */
  readonly token: string;
}

export function setUpTokens(): void {
  const table = byId('tokens-table', HTMLTableElement);
  const message = byId('tokens-message', HTMLElement);
  const form = byId('token-form', HTMLFormElement);
  const formMessage = byId('token-form-message', HTMLElement);
  const newToken = byId('new-token', HTMLElement);
  if (table === undefined || message === undefined) return;
  /** The rows as the server renders them now; undefined when swapped, else why not. */
  const refreshRows = (): Promise<string | undefined> => swapFromServer('/tokens', ['tokens-rows']);

  table.addEventListener('click', async (event) => {
    const button = closest(event.target, 'button[data-action="revoke"]', HTMLButtonElement);
    const row = button?.closest('tr');
    const id = row?.dataset.token;
    if (button === undefined || row == null || id === undefined) return;
    const name = row.querySelector('td.name')?.textContent ?? id;
    if (!confirm(`Revoke the API token ${name}? Scripts using it stop working at once.`)) return;
    button.disabled = true;
    const answer = await api('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
    if (!answer.ok) {
      button.disabled = false;
      showMessage(message, 'error', errorMessage(answer));
      return;
    }
    showMessage(message, 'ok', `Revoked ${name}.`);
    const failed = await refreshRows();
    if (failed !== undefined)
      showMessage(message, 'error', `Revoked ${name}; the list was not refreshed: ${failed}`);
  });

  if (form === undefined || formMessage === undefined || newToken === undefined) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hide(formMessage);
    hide(newToken);
    const name = String(new FormData(form).get('name') ?? '').trim();
    const answer = await api<CreatedToken>('POST', '/api/tokens', { name });
    if (!answer.ok) {
      showMessage(formMessage, 'error', problemLines(answer));
      return;
    }
    form.reset();
    const token = answer.data;
    showOnce(
      newToken,
      `Your new token ${token.name}:`,
      token.token,
      'It is not shown again: copy it now and keep it somewhere safe.',
    );
    const failed = await refreshRows();
    if (failed !== undefined)
      showMessage(formMessage, 'error', `Created ${token.name}; the list was not refreshed: ${failed}`);
  });
}
