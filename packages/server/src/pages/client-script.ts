/**
 * The pages' one script, served as /assets/slipstream.js (kept in code so `dist` needs no asset
 * copy). It only sends forms as JSON to the REST API with the session's CSRF token and refreshes
 * live data; every first render happens on the server. It builds DOM with textContent, never with
 * markup, so nothing an API returns can inject HTML. (No backticks, dollar-braces or backslashes
 * below: this is a template literal.)
 */
export const CLIENT_SCRIPT = `'use strict';
(() => {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  const byId = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  async function api(method, url, body) {
    const headers = { accept: 'application/json' };
    if (csrf) headers['x-csrf-token'] = csrf;
    const init = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const response = await fetch(url, init);
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch { data = null; }
      return { ok: response.ok, status: response.status, data };
    } catch {
      return { ok: false, status: 0, data: null };
    }
  }

  function errorMessage(answer) {
    if (answer.data && answer.data.error && answer.data.error.message) return answer.data.error.message;
    if (answer.status === 0) return 'The server did not answer; check that it is running and try again.';
    return 'The request failed with status ' + answer.status + '.';
  }

  /** Every problem of an error answer as "instance · key: message", or its message alone. */
  function problemLines(answer) {
    const problems = answer.data && answer.data.error && answer.data.error.problems;
    if (!Array.isArray(problems) || problems.length === 0) return [errorMessage(answer)];
    return problems.map((problem) => {
      const where = [problem.instance, problem.key].filter(Boolean).join(' · ');
      return (where ? where + ': ' : '') + problem.message;
    });
  }

  function show(box, kind, lines) {
    if (!box) return;
    box.replaceChildren();
    box.className = box.id === 'configuration-problems' || box.id === 'vm-errors' ? 'error-box' : 'message ' + kind;
    const list = Array.isArray(lines) ? lines : [lines];
    if (list.length === 1) box.textContent = list[0];
    else {
      const ul = document.createElement('ul');
      for (const line of list) { const li = document.createElement('li'); li.textContent = line; ul.append(li); }
      box.append(ul);
    }
    box.hidden = false;
  }
  function hide(box) { if (box) { box.hidden = true; box.replaceChildren(); } }

  function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  }

  /** A form field's value for the API; undefined leaves it out (a secret kept, an empty optional field). */
  function fieldValue(input) {
    const type = input.dataset.type;
    if (type === 'boolean') return input.checked;
    if (type === 'secret') {
      const field = input.closest('.field');
      const clear = field ? field.querySelector('input[data-clear]') : null;
      if (clear && clear.checked) return '';
      return input.value === '' ? undefined : input.value;
    }
    if (input.value.trim() === '') return undefined;
    if (type === 'integer') {
      const number = Number(input.value);
      return Number.isFinite(number) ? number : input.value;
    }
    return input.value;
  }
  function fieldValues(scope) {
    const values = {};
    for (const input of scope.querySelectorAll('[data-key]')) {
      const value = fieldValue(input);
      if (value !== undefined) values[input.dataset.key] = value;
    }
    return values;
  }

  // Header
  const logout = byId('logout');
  if (logout) logout.addEventListener('click', async () => {
    await api('POST', '/api/logout');
    location.assign('/login');
  });

  // Login
  const loginForm = byId('login-form');
  if (loginForm) loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = byId('login-error');
    hide(error);
    const answer = await api('POST', '/api/login', {
      username: loginForm.elements.username.value,
      password: loginForm.elements.password.value,
    });
    if (answer.ok) location.assign(loginForm.dataset.next || '/vms');
    else { error.textContent = errorMessage(answer); error.hidden = false; }
  });

  // Configuration
  const configurationForm = byId('configuration-form');
  if (configurationForm) {
    byId('add-setting').addEventListener('click', () => {
      const row = document.createElement('div');
      row.className = 'setting';
      const key = document.createElement('input');
      key.className = 'setting-key';
      key.placeholder = 'name, e.g. site.name';
      key.setAttribute('aria-label', 'Setting name');
      const value = document.createElement('input');
      value.className = 'setting-value';
      value.placeholder = 'value';
      value.setAttribute('aria-label', 'Setting value');
      row.append(key, value);
      byId('settings').append(row);
      key.focus();
    });
    configurationForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const problems = byId('configuration-problems');
      const basics = { connectors: configurationForm.elements['basics.connectors'].value };
      for (const row of configurationForm.querySelectorAll('.setting')) {
        const key = row.querySelector('.setting-key').value.trim();
        if (key) basics[key] = row.querySelector('.setting-value').value;
      }
      const instances = {};
      for (const section of configurationForm.querySelectorAll('section[data-instance]')) {
        if (section.hasAttribute('data-missing')) continue;
        instances[section.dataset.instance] = fieldValues(section);
      }
      const button = byId('save-configuration');
      button.disabled = true;
      const answer = await api('PUT', '/api/configuration', { basics, instances });
      button.disabled = false;
      if (answer.ok) location.reload();
      else show(problems, 'error', problemLines(answer));
    });
  }

  // Credentials
  for (const form of document.querySelectorAll('form[data-credentials]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const box = form.querySelector('[data-message]');
      const answer = await api('PUT', '/api/credentials/' + enc(form.dataset.credentials), fieldValues(form));
      if (!answer.ok) { show(box, 'error', problemLines(answer)); return; }
      form.reset();
      const warnings = answer.data.warnings || [];
      // Saved either way; a warning (VMs of another account) is shown where it cannot be missed.
      if (warnings.length > 0) show(box, 'error', ['Saved.'].concat(warnings));
      else show(box, 'ok', 'Saved.');
      const status = form.parentElement.querySelector('[data-status]');
      if (status) status.textContent = 'saved ' + formatTime(new Date().toISOString());
    });
  }

  // VMs
  const table = byId('vms-table');
  const allUsers = byId('all-users');
  let refreshing = false;
  async function refreshVms() {
    if (!table || refreshing) return;
    refreshing = true;
    const answer = await api('GET', '/api/vms' + (allUsers && allUsers.checked ? '?all=true' : ''));
    refreshing = false;
    if (answer.status === 401) { location.assign('/login?next=' + enc(location.pathname)); return; }
    if (!answer.ok) { show(byId('vm-errors'), 'error', [errorMessage(answer)]); return; }
    renderVms(answer.data);
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }
  function actionButton(action, label, enabled) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.textContent = label;
    button.disabled = !enabled;
    return button;
  }
  function vmState(view) {
    if (view.unreachable) return 'unreachable';
    if (view.vm) return view.vm.state;
    return view.recordState === 'launched' ? 'unknown' : view.recordState;
  }
  let carryOver = true;
  function markTerminated(row) {
    row.querySelector('.state').textContent = 'terminated';
    row.classList.add('terminated');
    const actions = row.querySelector('td.actions');
    if (actions) actions.replaceChildren();
    return row;
  }
  function renderVms(data) {
    const owners = table.dataset.owners === 'true';
    const body = table.tBodies[0];
    const rows = [];
    for (const view of data.vms) {
      const vm = view.vm;
      const state = vmState(view);
      const tr = document.createElement('tr');
      tr.dataset.vmId = view.cloudId || '';
      tr.dataset.instance = view.instance;
      tr.dataset.recordId = view.recordId;
      const name = cell(view.name);
      const said = view.unreachable || (view.error && view.error.message);
      if (said) {
        const note = document.createElement('div');
        note.className = 'note';
        note.textContent = said;
        name.append(note);
      }
      tr.append(cell(view.instance), name, cell(view.cloudId || ''), cell(state, 'state'));
      tr.append(cell(vm ? vm.publicIps.concat(vm.privateIps).join(', ') : ''));
      tr.append(cell(vm && vm.image ? vm.image : ''), cell(vm && vm.size ? vm.size : ''));
      tr.append(cell(formatTime(vm && vm.createdAt ? vm.createdAt : view.recordedAt)));
      if (owners) tr.append(cell(view.owner));
      const actions = cell('', 'actions');
      if (view.cloudId && view.recordState !== 'terminating' && !view.unreachable) {
        actions.append(
          actionButton('stop', 'Stop', state === 'running'),
          actionButton('start', 'Start', state === 'stopped'),
          actionButton('terminate', 'Terminate', true),
        );
      }
      tr.append(actions);
      rows.push(tr);
    }
    // The listing leaves terminated VMs out; rows that were on screen stay, marked terminated, so
    // the user sees the end of the VM's life instead of a row vanishing (until the page reloads).
    const present = new Set(data.vms.map((view) => view.recordId));
    for (const old of carryOver ? body.querySelectorAll('tr[data-record-id]') : []) {
      if (!present.has(old.dataset.recordId)) rows.push(markTerminated(old));
    }
    carryOver = true;
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      tr.className = 'empty';
      const td = cell('No VMs yet: launch one above.');
      td.colSpan = table.tHead.rows[0].cells.length;
      tr.append(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    const lines = data.errors.map((error) =>
      error.instance + (error.owner ? ' (' + error.owner + ')' : '') + ': ' + error.message);
    if (lines.length > 0) show(byId('vm-errors'), 'error', lines);
    else hide(byId('vm-errors'));
  }

  if (table) {
    setInterval(() => { if (document.visibilityState === 'visible') refreshVms(); }, 2000);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refreshVms(); });
    if (allUsers) allUsers.addEventListener('change', () => {
      // Another listing: rows missing from it were not terminated.
      carryOver = false;
      refreshVms();
    });
    table.addEventListener('click', async (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const row = button.closest('tr');
      const action = button.dataset.action;
      const id = row.dataset.vmId;
      const instance = row.dataset.instance;
      if (action === 'terminate' && !confirm('Terminate the VM ' + id + ' on ' + instance + '? This cannot be undone.')) return;
      button.disabled = true;
      const url = '/api/vms/' + enc(instance) + '/' + enc(id) + (action === 'terminate' ? '' : '/' + action);
      const answer = await api(action === 'terminate' ? 'DELETE' : 'POST', url);
      const message = byId('vm-message');
      if (answer.ok) {
        hide(message);
        if (action === 'terminate') markTerminated(row);
      } else show(message, 'error', errorMessage(answer));
      refreshVms();
    });
  }

  const launchForm = byId('launch-form');
  if (launchForm) {
    const elements = launchForm.elements;
    const message = launchForm.querySelector('[data-message]');
    const newKey = () => {
      if (crypto.randomUUID) return crypto.randomUUID();
      return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    };
    // One key per launch the user means: a double click or a retry after a lost answer sends the
    // same request with the same key, so the server returns the first launch instead of a second.
    let key = newKey();
    let busy = false;
    let generation = 0;
    const option = (value, label) => {
      const item = document.createElement('option');
      item.value = value;
      item.textContent = label;
      return item;
    };
    const labels = {
      images: (item) => item.name + (item.os ? ' (' + item.os + ')' : ''),
      sizes: (item) => item.name + (item.cpus ? ' (' + item.cpus + ' CPU, ' + item.memoryMb + ' MB)' : ''),
      zones: (item) => item.name + (item.available === false ? ' (unavailable)' : ''),
    };
    const selects = { images: elements.image, sizes: elements.size, zones: elements.zone };
    async function fillCatalog() {
      const instance = elements.instance.value;
      const mine = ++generation;
      hide(message);
      if (!instance) return;
      const failures = new Set();
      await Promise.all(Object.keys(selects).map(async (kind) => {
        const select = selects[kind];
        select.replaceChildren(option('', 'loading…'));
        select.disabled = true;
        const answer = await api('GET', '/api/clouds/' + enc(instance) + '/' + kind);
        if (mine !== generation) return;
        select.replaceChildren();
        if (kind === 'zones') select.append(option('', '(default zone)'));
        if (!answer.ok) { failures.add(errorMessage(answer)); return; }
        for (const item of answer.data[kind]) select.append(option(item.id, labels[kind](item)));
        select.disabled = false;
      }));
      if (mine === generation && failures.size > 0) show(message, 'error', [...failures]);
    }
    elements.instance.addEventListener('change', fillCatalog);
    launchForm.addEventListener('input', () => { if (!busy) key = newKey(); });
    launchForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      const instance = elements.instance.value;
      const count = Number(elements.count.value || '1');
      if (!Number.isInteger(count) || count < 1 || count > 10) {
        show(message, 'error', 'Count must be a whole number from 1 to 10.');
        return;
      }
      const request = {
        name: elements.name.value.trim() || 'vm-' + key.slice(0, 8),
        image: elements.image.value,
        size: elements.size.value,
        count,
        idempotencyKey: key,
      };
      if (elements.zone.value) request.zone = elements.zone.value;
      busy = true;
      elements.launch.disabled = true;
      const answer = await api('POST', '/api/clouds/' + enc(instance) + '/vms', request);
      busy = false;
      elements.launch.disabled = false;
      if (!answer.ok) { show(message, 'error', problemLines(answer)); return; }
      key = newKey();
      elements.name.value = '';
      const launched = answer.data.vms.length;
      show(message, 'ok', (answer.data.replayed ? 'Already launched: ' : 'Launched ') + launched + ' VM' + (launched === 1 ? '' : 's') + '.');
      refreshVms();
    });
    fillCatalog();
  }

  /** Shows a secret the server returns once (a password, a token) with the note that it is not shown again. */
  function showOnce(box, label, secret, note) {
    box.replaceChildren();
    const line = document.createElement('div');
    line.textContent = label;
    const code = document.createElement('code');
    code.textContent = secret;
    const warning = document.createElement('p');
    warning.className = 'note';
    warning.textContent = note;
    box.append(line, code, warning);
    box.hidden = false;
  }

  // Users (administrators)
  const usersTable = byId('users-table');
  function userRow(user, self) {
    const tr = document.createElement('tr');
    tr.dataset.user = user.name;
    tr.dataset.role = user.role;
    tr.dataset.disabled = user.disabled ? 'true' : 'false';
    if (user.disabled) tr.className = 'disabled';
    const name = cell(user.name, 'name');
    if (self) {
      const you = document.createElement('span');
      you.className = 'muted';
      you.textContent = '(you)';
      name.append(' ', you);
    }
    tr.append(name, cell(user.role, 'role'), cell(user.disabled ? 'disabled' : 'enabled', 'status'), cell(formatTime(user.createdAt)));
    const actions = cell('', 'actions');
    actions.append(
      actionButton('role', user.role === 'admin' ? 'Make user' : 'Make admin', true),
      actionButton(user.disabled ? 'enable' : 'disable', user.disabled ? 'Enable' : 'Disable', true),
      actionButton('password', 'Reset password', true),
    );
    tr.append(actions);
    return tr;
  }
  if (usersTable) {
    const self = usersTable.dataset.self;
    const message = byId('users-message');
    const passwordBox = byId('user-password');
    const showPassword = (name, password) => showOnce(passwordBox, 'The password of ' + name + ':', password,
      'It is not shown again: copy it now and give it to ' + name + '.');
    usersTable.addEventListener('click', async (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const row = button.closest('tr');
      const name = row.dataset.user;
      const action = button.dataset.action;
      let change;
      if (action === 'role') change = { role: row.dataset.role === 'admin' ? 'user' : 'admin' };
      else if (action === 'disable') {
        if (!confirm('Disable ' + name + '? Their sessions end at once and their API tokens stop working.')) return;
        change = { disabled: true };
      } else if (action === 'enable') change = { disabled: false };
      else if (action === 'password') {
        if (!confirm('Reset the password of ' + name + '? A new one is generated and their sessions end.')) return;
        change = { password: null };
      } else return;
      button.disabled = true;
      const answer = await api('PATCH', '/api/users/' + enc(name), change);
      button.disabled = false;
      if (!answer.ok) { show(message, 'error', errorMessage(answer)); return; }
      hide(message);
      // Stepping down (or out): this page is no longer theirs.
      if (name === self && (answer.data.user.role !== 'admin' || answer.data.user.disabled)) { location.reload(); return; }
      row.replaceWith(userRow(answer.data.user, name === self));
      if (answer.data.password) showPassword(name, answer.data.password);
    });
    const userForm = byId('user-form');
    userForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const formMessage = byId('user-form-message');
      const elements = userForm.elements;
      const request = { name: elements.name.value.trim(), role: elements.role.value };
      if (elements.password.value !== '') request.password = elements.password.value;
      hide(formMessage);
      passwordBox.hidden = true;
      passwordBox.replaceChildren();
      const answer = await api('POST', '/api/users', request);
      if (!answer.ok) { show(formMessage, 'error', problemLines(answer)); return; }
      userForm.reset();
      const user = answer.data.user;
      usersTable.tBodies[0].append(userRow({ name: user.name, role: user.role, disabled: false, createdAt: user.createdAt }, false));
      if (answer.data.password) showPassword(user.name, answer.data.password);
      else show(formMessage, 'ok', 'Created ' + user.name + '.');
    });
  }

  // API tokens
  const tokensTable = byId('tokens-table');
  function tokenRow(token) {
    const tr = document.createElement('tr');
    tr.dataset.token = token.id;
    tr.append(cell(token.name, 'name'), cell(formatTime(token.createdAt)), cell(token.lastUsedAt ? formatTime(token.lastUsedAt) : 'never'));
    const actions = cell('', 'actions');
    actions.append(actionButton('revoke', 'Revoke', true));
    tr.append(actions);
    return tr;
  }
  function emptyTokens() {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = cell(tokensTable.dataset.empty);
    td.colSpan = 4;
    tr.append(td);
    return tr;
  }
  if (tokensTable) {
    const body = tokensTable.tBodies[0];
    const message = byId('tokens-message');
    tokensTable.addEventListener('click', async (event) => {
      const button = event.target.closest('button[data-action="revoke"]');
      if (!button) return;
      const row = button.closest('tr');
      const name = row.querySelector('td.name').textContent;
      if (!confirm('Revoke the API token ' + name + '? Scripts using it stop working at once.')) return;
      button.disabled = true;
      const answer = await api('DELETE', '/api/tokens/' + enc(row.dataset.token));
      if (!answer.ok) { button.disabled = false; show(message, 'error', errorMessage(answer)); return; }
      show(message, 'ok', 'Revoked ' + name + '.');
      row.remove();
      if (body.rows.length === 0) body.append(emptyTokens());
    });
    const tokenForm = byId('token-form');
    tokenForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const formMessage = byId('token-form-message');
      const newToken = byId('new-token');
      hide(formMessage);
      newToken.hidden = true;
      newToken.replaceChildren();
      const answer = await api('POST', '/api/tokens', { name: tokenForm.elements.name.value.trim() });
      if (!answer.ok) { show(formMessage, 'error', problemLines(answer)); return; }
      tokenForm.reset();
      const token = answer.data;
      for (const empty of body.querySelectorAll('tr.empty')) empty.remove();
      body.append(tokenRow({ id: token.id, name: token.name, createdAt: token.createdAt, lastUsedAt: null }));
      showOnce(newToken, 'Your new token ' + token.name + ':', token.token,
        'It is not shown again: copy it now and keep it somewhere safe.');
    });
  }
})();
`;
