/** The login page, and where it may send the browser afterwards. */

import { html, type SafeHtml } from './html.js';
import { bareLayout } from './layout.js';

export const DEFAULT_NEXT = '/vms';

/**
 * `next` when it is a path on this site, else the default: an absolute or scheme-relative URL
 * (`https://…`, `//evil`, `/\evil`) would turn the login page into an open redirect.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return DEFAULT_NEXT;
  // Only URL path, query and fragment characters: no backslash, space or control character, which
  // browsers rewrite or strip in ways that can rebuild a `//host` prefix.
  if (!/^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$/.test(value)) return DEFAULT_NEXT;
  return value;
}

/** Where a page sends someone not logged in. */
export function loginLocation(path: string): string {
  return `/login?next=${encodeURIComponent(safeNext(path))}`;
}

export function loginPage(next: string): SafeHtml {
  return bareLayout(
    'Log in',
    html`<section class="login">
<h1>Log in</h1>
<form id="login-form" data-next="${next}" novalidate>
<div class="field"><label for="login-username">User name</label><div class="control"><input type="text" id="login-username" name="username" autocomplete="username" required autofocus></div></div>
<div class="field"><label for="login-password">Password</label><div class="control"><input type="password" id="login-password" name="password" autocomplete="current-password" required></div></div>
<div id="login-error" class="message error" role="alert" hidden></div>
<button type="submit">Log in</button>
</form>
</section>`,
  );
}
