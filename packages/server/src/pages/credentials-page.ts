/**
 * The credentials page: one form per loaded instance, from its connector's credential specs. Saved
 * values are never written into the page, plain ones included: the form only says when they were
 * saved, and saving replaces the whole set. After a save the script swaps in the instance's
 * status line rendered anew (by id).
 */

import type { BootedServer } from '../boot/boot.js';
import type { UserRecord } from '../store/types.js';
import { renderField } from './fields.js';
import { html, type SafeHtml } from './html.js';
import { formatTime } from './layout.js';

export async function credentialsBody(booted: BootedServer, user: UserRecord): Promise<SafeHtml> {
  const { registry } = booted;
  if (registry.instances.length === 0) {
    return html`<p class="muted">No connector instance is loaded; an administrator sets the connector list on the configuration page.</p>`;
  }
  const saved = new Map(
    (await booted.store.listCredentials(user.id)).map((summary) => [summary.instance, summary.updatedAt]),
  );
  const forms = registry.instances.map((info) => {
    const specs = registry.instance(info.name).definition.credentials;
    const updatedAt = saved.get(info.name);
    return html`<section class="card">
<h2>${info.name} <small>${info.cloud} · connector ${info.connector}</small></h2>
<p class="muted" id="credentials-status-${info.name}" data-status>${updatedAt === undefined ? 'not set' : `saved ${formatTime(updatedAt)}`}</p>
<form data-credentials="${info.name}" novalidate>
${specs.map((spec) => renderField(`credentials-${info.name}`, spec))}
<button type="submit">Save credentials</button>
<div class="message" data-message role="status" hidden></div>
</form>
</section>`;
  });
  return html`<p class="muted">Your credentials for each cloud instance. Secret values are stored encrypted and never shown again; saving replaces what was saved.</p>
${forms}`;
}
