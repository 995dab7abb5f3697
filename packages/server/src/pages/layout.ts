/** The frame every page shares: head (stylesheet, script, CSRF token), header with navigation, banner. */

import type { LoadProblem } from '@slipstream/connector-core';
import type { UserRecord } from '../store/types.js';
import { html, type SafeHtml } from './html.js';

/** No inline script or style anywhere, so an injected tag could do nothing even if one slipped through. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export const STYLESHEET_PATH = '/assets/slipstream.css';
export const SCRIPT_PATH = '/assets/slipstream.js';

export const RESTART_MESSAGE =
  'The saved configuration differs from the one loaded at boot: restart the server to apply it.';

/** The logged-in user a page is rendered for. */
export interface Viewer {
  readonly user: UserRecord;
  /** The session's CSRF token: the script sends it with every state-changing request. */
  readonly csrfToken: string;
  /** Administrators only: the stored configuration differs from the loaded one. */
  readonly restartRequired: boolean;
}

export type Section = 'vms' | 'credentials' | 'connectors' | 'configuration' | 'users' | 'tokens';

const NAV: readonly { readonly section: Section; readonly label: string; readonly admin: boolean }[] = [
  { section: 'vms', label: 'VMs', admin: false },
  { section: 'credentials', label: 'Credentials', admin: false },
  { section: 'connectors', label: 'Connectors', admin: false },
  { section: 'configuration', label: 'Configuration', admin: true },
  { section: 'users', label: 'Users', admin: true },
  { section: 'tokens', label: 'API tokens', admin: false },
];

function head(title: string, csrfToken: string | undefined): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${csrfToken === undefined ? '' : html`<meta name="csrf-token" content="${csrfToken}">`}
<title>${title} · SlipStream</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<script src="${SCRIPT_PATH}" defer></script>
</head>`;
}

export interface PageFrame {
  readonly title: string;
  readonly section?: Section | undefined;
  readonly viewer: Viewer;
  readonly body: SafeHtml;
}

/** A whole page for a logged-in user. */
export function layout(frame: PageFrame): SafeHtml {
  const { user, csrfToken, restartRequired } = frame.viewer;
  const admin = user.role === 'admin';
  const links = NAV.filter((item) => admin || !item.admin).map(
    (item) =>
      html`<a href="/${item.section}"${item.section === frame.section ? html` aria-current="page"` : ''}>${item.label}</a>`,
  );
  return html`<!doctype html>
<html lang="en">
${head(frame.title, csrfToken)}
<body data-page="${frame.section ?? ''}">
<header class="top"><div class="container bar">
<a class="brand" href="/vms">SlipStream</a>
<nav>${links}</nav>
<div class="who"><span class="user">${user.name}</span> <span class="role">${user.role}</span>
<button type="button" id="logout">Log out</button></div>
</div></header>
<main class="container">
${admin && restartRequired ? html`<div id="restart-banner" class="banner" role="status">${RESTART_MESSAGE}</div>` : ''}
<h1>${frame.title}</h1>
${frame.body}
</main>
</body>
</html>
`;
}

/** A page for someone not logged in (the login page). */
export function bareLayout(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
${head(title, undefined)}
<body data-page="login">
<header class="top"><div class="container bar"><span class="brand">SlipStream</span></div></header>
<main class="container">${body}</main>
</body>
</html>
`;
}

/** The boot's loading problems; nothing when there are none. */
export function problemsBox(problems: readonly LoadProblem[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<div id="problems" class="error-box" role="alert">
<h2>${problems.length === 1 ? 'One connector problem' : `${problems.length} connector problems`} at boot</h2>
<ul>${problems.map(
    (problem) =>
      html`<li><span class="code">${problem.code}</span>${problem.instance === undefined ? '' : html` <strong>${problem.instance}</strong>`}: ${problem.message}</li>`,
  )}</ul>
</div>`;
}

/** An ISO timestamp as the pages (and the script) show it: `2025-01-31 12:00:00 UTC`. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
