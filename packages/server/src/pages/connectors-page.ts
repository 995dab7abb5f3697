/**
 * The connectors page: the loaded instances with their packages, versions and licenses, the
 * instances that did not load, and the installed packages compared with what this boot loaded.
 */

import type { BootedServer } from '../boot/boot.js';
import { html, type SafeHtml } from './html.js';
import { type InstalledComparison, installedComparison, installedStatusText } from './installed-packages.js';
import { problemsBox } from './layout.js';

function instancesTable(booted: BootedServer): SafeHtml {
  const loaded = booted.registry.instances.map(
    (info) => html`<tr data-instance="${info.name}">
<td>${info.name}</td><td>${info.connector}</td><td>${info.cloud}</td><td class="code">${info.package}</td><td>${info.version}</td><td>${info.license}</td><td>${info.openSource ? 'yes' : 'no'}</td><td class="status">loaded</td><td class="details">${info.description}</td>
</tr>`,
  );
  // One row per instance that did not load, with every problem it has.
  const failed = new Map<string, { connector?: string | undefined; messages: string[] }>();
  for (const problem of booted.problems) {
    if (problem.instance === undefined || booted.registry.has(problem.instance)) continue;
    const entry = failed.get(problem.instance) ?? { connector: problem.connector, messages: [] };
    entry.messages.push(problem.message);
    failed.set(problem.instance, entry);
  }
  const notLoaded = [...failed].map(
    ([instance, entry]) => html`<tr data-instance="${instance}" class="not-loaded">
<td>${instance}</td><td>${entry.connector ?? ''}</td><td></td><td></td><td></td><td></td><td></td><td class="status">not loaded</td><td class="details note">${entry.messages.join(' ')}</td>
</tr>`,
  );
  const empty =
    loaded.length + notLoaded.length === 0
      ? html`<tr class="empty"><td colspan="9">The connector list is empty: add instances on the configuration page.</td></tr>`
      : '';
  return html`<table id="connectors-table">
<thead><tr><th>Instance</th><th>Connector</th><th>Cloud</th><th>Package</th><th>Version</th><th>License</th><th>Open source</th><th>Status</th><th>Details</th></tr></thead>
<tbody>${loaded}${notLoaded}${empty}</tbody>
</table>`;
}

function packagesTable(comparison: readonly InstalledComparison[]): SafeHtml {
  const rows = comparison.map(
    (entry) => html`<tr data-package="${entry.package}" data-status="${entry.status}">
<td class="code">${entry.package}</td><td>${entry.connector}</td><td>${entry.version ?? ''}</td><td>${entry.loadedVersion ?? ''}</td><td class="status">${installedStatusText(entry)}</td>
</tr>`,
  );
  return html`<table id="packages-table">
<thead><tr><th>Package</th><th>Connector</th><th>Installed</th><th>Loaded</th><th>Status</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr class="empty"><td colspan="5">No connector package is installed next to the server.</td></tr>`}</tbody>
</table>`;
}

export async function connectorsBody(booted: BootedServer, from: string | URL): Promise<SafeHtml> {
  return html`${problemsBox(booted.problems)}
${instancesTable(booted)}
<h2>Installed connector packages</h2>
<p class="muted">Packages installed, upgraded or removed next to the server take effect when it restarts.</p>
${packagesTable(await installedComparison(booted, from))}`;
}
