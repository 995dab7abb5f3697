/**
 * The VMs page: the launch form and the caller's VMs (an administrator's "all users" adds
 * everyone's), from the same listing as GET /api/vms. Rows are rendered here only: the script
 * refreshes the table every 2 s with vmRowsFragment (GET /vms/rows) and fills the image, size and
 * zone lists per instance.
 */

import type { UserRecord } from '../store/types.js';
import { type ListError, listVms, type VmContext, type VmView } from '../vms/index.js';
import { html, type SafeHtml } from './html.js';
import { formatTime } from './layout.js';

/** The state a row shows: the cloud's when it answered, else where the server's record stands. */
function stateOf(view: VmView): string {
  if (view.unreachable !== undefined) return 'unreachable';
  if (view.vm !== undefined) return view.vm.state;
  return view.recordState === 'launched' ? 'unknown' : view.recordState;
}

/** One table row. */
export function vmRow(view: VmView, owners: boolean): SafeHtml {
  const { vm } = view;
  const state = stateOf(view);
  const note = view.unreachable ?? view.error?.message;
  const actions =
    view.cloudId !== undefined && view.recordState !== 'terminating' && view.unreachable === undefined
      ? html`<button type="button" data-action="stop"${state === 'running' ? '' : html` disabled`}>Stop</button><button type="button" data-action="start"${state === 'stopped' ? '' : html` disabled`}>Start</button><button type="button" data-action="terminate">Terminate</button>`
      : '';
  return html`<tr data-vm-id="${view.cloudId ?? ''}" data-instance="${view.instance}" data-record-id="${view.recordId}">
<td>${view.instance}</td><td>${view.name}${note === undefined ? '' : html`<div class="note">${note}</div>`}</td><td>${view.cloudId ?? ''}</td><td class="state">${state}</td><td>${vm === undefined ? '' : [...vm.publicIps, ...vm.privateIps].join(', ')}</td><td>${vm?.image ?? ''}</td><td>${vm?.size ?? ''}</td><td>${formatTime(vm?.createdAt ?? view.recordedAt)}</td>${owners ? html`<td>${view.owner}</td>` : ''}<td class="actions">${actions}</td>
</tr>`;
}

function errorsBox(errors: readonly ListError[]): SafeHtml {
  const lines = errors.map(
    (error) => `${error.instance}${error.owner === undefined ? '' : ` (${error.owner})`}: ${error.message}`,
  );
  return html`<div id="vm-errors" class="error-box" role="alert"${lines.length === 0 ? html` hidden` : ''}>${
    lines.length === 1
      ? lines[0]
      : lines.length > 1
        ? html`<ul>${lines.map((line) => html`<li>${line}</li>`)}</ul>`
        : ''
  }</div>`;
}

async function launchForm(context: VmContext, user: UserRecord): Promise<SafeHtml> {
  const { registry, store } = context.booted;
  if (registry.instances.length === 0) {
    return html`<p class="muted">No connector instance is loaded, so there is nowhere to launch a VM yet.</p>`;
  }
  const withCredentials = new Set((await store.listCredentials(user.id)).map((item) => item.instance));
  const missing = registry.instances
    .filter((info) => !withCredentials.has(info.name))
    .map((info) => info.name);
  // Preselect an instance the user can launch on.
  const first = registry.instances.find((info) => withCredentials.has(info.name))?.name;
  const options = registry.instances.map((info) => {
    const has = withCredentials.has(info.name);
    return html`<option value="${info.name}" data-credentials="${has ? 'true' : 'false'}"${info.name === first ? html` selected` : ''}>${info.name}${has ? '' : ' (no credentials)'}</option>`;
  });
  return html`<section>
<h2>Launch</h2>
${missing.length === 0 ? '' : html`<p class="muted" id="missing-credentials">No credentials saved for ${missing.join(', ')}: <a href="/credentials">add them on the credentials page</a> to launch there.</p>`}
<form id="launch-form" novalidate>
<div class="row">
<label>Instance<select name="instance">${options}</select></label>
<label>Image<select name="image"></select></label>
<label>Size<select name="size"></select></label>
<label>Zone<select name="zone"></select></label>
<label>Name<input type="text" name="name" placeholder="generated when empty" maxlength="255"></label>
<label>Count<input type="number" name="count" min="1" max="10" step="1" value="1"></label>
<button type="submit" name="launch" id="launch">Launch</button>
</div>
<div class="message" data-message role="status" hidden></div>
</form>
</section>`;
}

interface VmTableParts {
  readonly columns: readonly string[];
  readonly rows: SafeHtml;
  readonly errors: SafeHtml;
}

/** The table's columns, rows and errors box for a user: administrators get an owner column. */
async function vmTableParts(context: VmContext, user: UserRecord, all: boolean): Promise<VmTableParts> {
  const admin = user.role === 'admin';
  const list = await listVms(context, user, { all: admin && all });
  const columns = ['Instance', 'Name', 'ID', 'State', 'IP addresses', 'Image', 'Size', 'Created'];
  if (admin) columns.push('Owner');
  columns.push('Actions');
  const rows =
    list.vms.length > 0
      ? html`${list.vms.map((view) => vmRow(view, admin))}`
      : html`<tr class="empty"><td colspan="${columns.length}">No VMs yet: launch one above.</td></tr>`;
  return { columns, rows, errors: errorsBox(list.errors) };
}

/**
 * What the script swaps in when it refreshes the table: the errors box and the rows (in a table, so
 * that an HTML parser keeps them), with the same ids as on the page.
 */
export async function vmRowsFragment(context: VmContext, user: UserRecord, all: boolean): Promise<SafeHtml> {
  const { rows, errors } = await vmTableParts(context, user, all);
  return html`${errors}
<table><tbody id="vm-rows">${rows}</tbody></table>
`;
}

export async function vmsBody(context: VmContext, user: UserRecord, all: boolean): Promise<SafeHtml> {
  const admin = user.role === 'admin';
  const { columns, rows, errors } = await vmTableParts(context, user, all);
  return html`${await launchForm(context, user)}
<h2>Your VMs</h2>
${admin ? html`<p><label><input type="checkbox" id="all-users"${all ? html` checked` : ''}> all users</label></p>` : ''}
${errors}
<div id="vm-message" class="message error" role="alert" hidden></div>
<table id="vms-table">
<thead><tr>${columns.map((column) => html`<th>${column}</th>`)}</tr></thead>
<tbody id="vm-rows">${rows}</tbody>
</table>`;
}
