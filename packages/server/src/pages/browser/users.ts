/**
 * The users page (administrators): role, status and password buttons (PATCH /api/users/{name}) and
 * the create form (POST /api/users). After a change the rows are swapped for the server's rendering
 * of the page; a generated password is shown once, here, and never rendered by the server.
 */

import { api, errorMessage, problemLines, swapFromServer } from './api.js';
import { byId, closest, hide, showMessage, showOnce } from './dom.js';

interface Account {
  readonly name: string;
  readonly role: 'admin' | 'user';
  readonly disabled: boolean;
}
interface ChangedAccount {
  readonly user: Account;
  /** Only when the server generated one. */
  readonly password?: string;
}

type Change = { role: 'admin' | 'user' } | { disabled: boolean } | { password: null };

/** What a button asks for, after the confirmation it needs; undefined: nothing (declined or unknown). */
function changeOf(action: string | undefined, row: HTMLTableRowElement, name: string): Change | undefined {
  switch (action) {
    case 'role':
      return { role: row.dataset.role === 'admin' ? 'user' : 'admin' };
    case 'disable':
      return confirm(`Disable ${name}? Their sessions end at once and their API tokens stop working.`)
        ? { disabled: true }
        : undefined;
    case 'enable':
      return { disabled: false };
    case 'password':
      return confirm(`Reset the password of ${name}? A new one is generated and their sessions end.`)
        ? { password: null }
        : undefined;
    default:
      return undefined;
  }
}

export function setUpUsers(): void {
  const table = byId('users-table', HTMLTableElement);
  const message = byId('users-message', HTMLElement);
  const passwordBox = byId('user-password', HTMLElement);
  const form = byId('user-form', HTMLFormElement);
  const formMessage = byId('user-form-message', HTMLElement);
  if (table === undefined || message === undefined || passwordBox === undefined) return;
  const self = table.dataset.self;
  const showPassword = (name: string, password: string): void =>
    showOnce(
      passwordBox,
      `The password of ${name}:`,
      password,
      `It is not shown again: copy it now and give it to ${name}.`,
    );
  /** The rows as the server renders them now; undefined when swapped, else why not. */
  const refreshRows = (): Promise<string | undefined> => swapFromServer('/users', ['users-rows']);

  table.addEventListener('click', async (event) => {
    const button = closest(event.target, 'button[data-action]', HTMLButtonElement);
    const row = button?.closest('tr');
    const name = row?.dataset.user;
    if (button === undefined || row == null || name === undefined) return;
    const change = changeOf(button.dataset.action, row, name);
    if (change === undefined) return;
    button.disabled = true;
    const answer = await api<ChangedAccount>('PATCH', `/api/users/${encodeURIComponent(name)}`, change);
    button.disabled = false;
    if (!answer.ok) {
      showMessage(message, 'error', errorMessage(answer));
      return;
    }
    hide(message);
    // Stepping down (or out): this page is no longer theirs.
    if (name === self && (answer.data.user.role !== 'admin' || answer.data.user.disabled)) {
      location.reload();
      return;
    }
    if (answer.data.password !== undefined) showPassword(name, answer.data.password);
    const failed = await refreshRows();
    if (failed !== undefined) showMessage(message, 'error', `Saved; the list was not refreshed: ${failed}`);
  });

  if (form === undefined || formMessage === undefined) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const request: Record<string, string> = {
      name: String(data.get('name') ?? '').trim(),
      role: String(data.get('role') ?? 'user'),
    };
    const password = String(data.get('password') ?? '');
    // Empty: the server generates one and answers it once.
    if (password !== '') request.password = password;
    hide(formMessage);
    hide(passwordBox);
    const answer = await api<ChangedAccount>('POST', '/api/users', request);
    if (!answer.ok) {
      showMessage(formMessage, 'error', problemLines(answer));
      return;
    }
    form.reset();
    const { user } = answer.data;
    if (answer.data.password !== undefined) showPassword(user.name, answer.data.password);
    else showMessage(formMessage, 'ok', `Created ${user.name}.`);
    const failed = await refreshRows();
    if (failed !== undefined)
      showMessage(formMessage, 'error', `Created ${user.name}; the list was not refreshed: ${failed}`);
  });
}
