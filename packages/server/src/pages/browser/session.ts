/** Logging in (the login page) and out (the header's button). */

import { api, errorMessage } from './api.js';
import { byId, control, hide } from './dom.js';

export function setUpLogout(): void {
  byId('logout', HTMLButtonElement)?.addEventListener('click', async () => {
    await api('POST', '/api/logout');
    location.assign('/login');
  });
}

export function setUpLogin(): void {
  const form = byId('login-form', HTMLFormElement);
  const error = byId('login-error', HTMLElement);
  if (form === undefined || error === undefined) return;
  const username = control(form, 'username', HTMLInputElement);
  const password = control(form, 'password', HTMLInputElement);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hide(error);
    // The form's field keeps the name "username" for password managers; the API calls it "name".
    const answer = await api('POST', '/api/login', { name: username.value, password: password.value });
    if (answer.ok) location.assign(form.dataset.next || '/vms');
    else {
      error.textContent = errorMessage(answer);
      error.hidden = false;
    }
  });
}
