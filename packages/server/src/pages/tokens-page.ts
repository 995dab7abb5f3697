/**
 * The API tokens page (every user): the caller's tokens with Revoke buttons, and a form to create
 * one. The script sends POST /api/tokens and DELETE /api/tokens/{id}, then swaps in this page's
 * rows rendered anew; a new token is shown once, by the script, and never written into the page here.
 */

import { type TokenView, tokenView } from '../accounts/tokens.js';
import type { Store, UserRecord } from '../store/types.js';
import { html, type SafeHtml } from './html.js';
import { formatTime } from './layout.js';

const NO_TOKENS = 'No API tokens yet: create one above.';

/** One table row. */
export function tokenRow(token: TokenView): SafeHtml {
  return html`<tr data-token="${token.id}">
<td class="name">${token.name}</td><td>${formatTime(token.createdAt)}</td><td>${token.lastUsedAt === null ? 'never' : formatTime(token.lastUsedAt)}</td><td class="actions"><button type="button" data-action="revoke">Revoke</button></td>
</tr>`;
}

export async function tokensBody(store: Store, user: UserRecord): Promise<SafeHtml> {
  const tokens = (await store.listApiTokens(user.id)).map(tokenView);
  const rows =
    tokens.length === 0
      ? html`<tr class="empty"><td colspan="4">${NO_TOKENS}</td></tr>`
      : tokens.map((token) => tokenRow(token));
  return html`<p class="muted">An API token lets a script call the REST API as you, with the header <span class="code">Authorization: Bearer ssk_…</span>. Revoke a token you no longer use; it stops working at once.</p>
<section class="card">
<h2>Create a token</h2>
<form id="token-form" class="row" novalidate>
<label>Name<input type="text" name="name" required maxlength="100" autocomplete="off" placeholder="what it is for, e.g. ci"></label>
<button type="submit">Create token</button>
</form>
<div class="message" id="token-form-message" role="status" hidden></div>
<div class="message ok shown-once" id="new-token" role="status" hidden></div>
</section>
<div class="message" id="tokens-message" role="status" hidden></div>
<table id="tokens-table">
<thead><tr><th>Name</th><th>Created</th><th>Last used</th><th>Actions</th></tr></thead>
<tbody id="tokens-rows">${rows}</tbody>
</table>`;
}
