/**
 * The users page (administrators): every account with buttons to change its role, disable or
 * enable it and reset its password, and a form to create one. The script sends the changes to
 * PATCH /api/users/{name} and POST /api/users, then swaps in this page's rows rendered anew; a
 * generated password is shown once, by the script, and never written into the page here.
 */

import { type AccountView, accountView, renamedFromOf } from '../accounts/users.js';
import type { Store, UserRecord } from '../store/types.js';
import { html, type SafeHtml } from './html.js';
import { formatTime } from './layout.js';

/** One table row. */
export function userRow(account: AccountView, self: boolean): SafeHtml {
  const admin = account.role === 'admin';
  return html`<tr data-user="${account.name}" data-role="${account.role}" data-disabled="${account.disabled ? 'true' : 'false'}"${account.disabled ? html` class="disabled"` : ''}>
<td class="name">${account.name}${self ? html` <span class="muted">(you)</span>` : ''}${renamedNote(account)}</td><td class="role">${account.role}</td><td class="status">${account.disabled ? 'disabled' : 'enabled'}</td><td>${formatTime(account.createdAt)}</td><td class="actions"><button type="button" data-action="role">${admin ? 'Make user' : 'Make admin'}</button><button type="button" data-action="${account.disabled ? 'enable' : 'disable'}">${account.disabled ? 'Enable' : 'Disable'}</button><button type="button" data-action="password">Reset password</button></td>
</tr>`;
}

/** Tells administrators why an account's name changed under them, and what it logs in with now. */
function renamedNote(account: AccountView): SafeHtml | string {
  if (account.renamedFrom === undefined) return '';
  return html` <span class="muted renamed" title="User names are not case-sensitive, and this account's old name differed only in case from an older account's. It logs in with its new name.">(renamed from ${account.renamedFrom})</span>`;
}

function createForm(): SafeHtml {
  return html`<section class="card">
<h2>Create a user</h2>
<form id="user-form" class="row" novalidate>
<label>Name<input type="text" name="name" required maxlength="64" autocomplete="off" spellcheck="false"></label>
<label>Role<select name="role"><option value="user" selected>user</option><option value="admin">admin</option></select></label>
<label>Password<input type="password" name="password" autocomplete="new-password" placeholder="empty: generate one"></label>
<button type="submit">Create user</button>
</form>
<div class="message" id="user-form-message" role="status" hidden></div>
<div class="message ok shown-once" id="user-password" role="status" hidden></div>
</section>`;
}

export async function usersBody(store: Store, viewer: UserRecord): Promise<SafeHtml> {
  const renamedFrom = await renamedFromOf(store);
  const rows = (await store.listUsers()).map((user) =>
    userRow(accountView(user, renamedFrom), user.id === viewer.id),
  );
  return html`${createForm()}
<div class="message" id="users-message" role="status" hidden></div>
<table id="users-table" data-self="${viewer.name}">
<thead><tr><th>Name</th><th>Role</th><th>Status</th><th>Created</th><th>Actions</th></tr></thead>
<tbody id="users-rows">${rows}</tbody>
</table>
<p class="help">Disabling a user ends their login sessions at once and refuses their API tokens until they are enabled again. The server always keeps one enabled administrator.</p>`;
}
