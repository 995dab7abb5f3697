/** Small typed helpers over the DOM of the server-rendered pages. */

/** The element with this id when it is of the expected kind; the markup is the server's, so a miss means "not this page". */
export function byId<T extends Element>(id: string, kind: abstract new () => T): T | undefined {
  const found = document.getElementById(id);
  return found instanceof kind ? found : undefined;
}

/** A named control of a form; the server renders the forms, so a missing one is a bug worth a loud error. */
export function control<T extends Element>(
  form: HTMLFormElement,
  name: string,
  kind: abstract new () => T,
): T {
  const found = form.elements.namedItem(name);
  if (!(found instanceof kind)) throw new Error(`The form #${form.id} has no ${kind.name} named ${name}.`);
  return found;
}

/** The closest element (from an event's target up) matching the selector, of the expected kind. */
export function closest<T extends Element>(
  target: EventTarget | null,
  selector: string,
  kind: abstract new () => T,
): T | undefined {
  const found = target instanceof Element ? target.closest(selector) : null;
  return found instanceof kind ? found : undefined;
}

/** Shows one line as text or several as a list, built with textContent only. */
export function showLines(box: HTMLElement, lines: string | readonly string[]): void {
  const list = typeof lines === 'string' ? [lines] : lines;
  if (list.length === 1) box.textContent = list[0] ?? '';
  else {
    const items = document.createElement('ul');
    for (const line of list) {
      const item = document.createElement('li');
      item.textContent = line;
      items.append(item);
    }
    box.replaceChildren(items);
  }
  box.hidden = false;
}

/** A `.message` box shown as a success or a failure. */
export function showMessage(box: HTMLElement, kind: 'ok' | 'error', lines: string | readonly string[]): void {
  box.className = `message ${kind}`;
  showLines(box, lines);
}

export function hide(box: HTMLElement): void {
  box.hidden = true;
  box.replaceChildren();
}

/** Shows a secret the server returns once (a password, a token), with the note that it is not shown again. */
export function showOnce(box: HTMLElement, label: string, secret: string, note: string): void {
  const line = document.createElement('div');
  line.textContent = label;
  const code = document.createElement('code');
  code.textContent = secret;
  const warning = document.createElement('p');
  warning.className = 'note';
  warning.textContent = note;
  box.replaceChildren(line, code, warning);
  box.hidden = false;
}
