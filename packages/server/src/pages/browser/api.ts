/**
 * Talking to the server: the REST API as JSON (with the session's CSRF token on every request), and
 * server-rendered HTML for the parts of a page that change, so rows are rendered in one place only.
 */

const NO_ANSWER = 'The server did not answer; check that it is running and try again.';

/** The session's CSRF token, which the layout puts in a meta tag (absent on the login page). */
const csrfToken = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

export interface ApiProblem {
  readonly instance?: string;
  readonly key?: string;
  readonly message: string;
}

/** The API's error shape (every refusal answers it). */
interface ErrorBody {
  readonly error?: { readonly message?: string; readonly problems?: readonly ApiProblem[] };
}

export type Refusal = { readonly ok: false; readonly status: number; readonly data: ErrorBody | null };
/** An API answer; `status` 0 when the server did not answer at all. */
export type ApiAnswer<T> = { readonly ok: true; readonly status: number; readonly data: T } | Refusal;

/** Calls the REST API. `T` is what the route documents for success; the answer is not checked against it. */
export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken !== '') headers['x-csrf-token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    const data = parseJson(text);
    return response.ok
      ? { ok: true, status: response.status, data: data as T }
      : { ok: false, status: response.status, data: data as ErrorBody | null };
  } catch {
    return { ok: false, status: 0, data: null };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function errorMessage(refusal: Refusal): string {
  const message = refusal.data?.error?.message;
  if (message) return message;
  if (refusal.status === 0) return NO_ANSWER;
  return `The request failed with status ${refusal.status}.`;
}

/** Every problem of a refusal as "instance · key: message", or its message alone. */
export function problemLines(refusal: Refusal): string[] {
  const problems = refusal.data?.error?.problems;
  if (!Array.isArray(problems) || problems.length === 0) return [errorMessage(refusal)];
  return problems.map((problem) => {
    const where = [problem.instance, problem.key].filter(Boolean).join(' · ');
    return (where ? `${where}: ` : '') + problem.message;
  });
}

/** To the login page, coming back here afterwards. */
export function goToLogin(): void {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export type HtmlAnswer =
  | { readonly kind: 'document'; readonly document: Document }
  | { readonly kind: 'logged-out' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * A page or page fragment of this server, parsed but inert: DOMParser runs no script, and the markup
 * is the server's own escaped rendering, the same that the page was first rendered with.
 */
export async function fetchHtml(url: string): Promise<HtmlAnswer> {
  try {
    const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    // A fragment answers 401 once the session is gone; a page redirects to the login page (which fetch follows).
    if (response.status === 401 || new URL(response.url).pathname === '/login') return { kind: 'logged-out' };
    if (!response.ok)
      return { kind: 'failed', message: `The request failed with status ${response.status}.` };
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) {
      return { kind: 'failed', message: 'The server answered with something other than a page.' };
    }
    const document = new DOMParser().parseFromString(await response.text(), 'text/html');
    return { kind: 'document', document };
  } catch {
    return { kind: 'failed', message: NO_ANSWER };
  }
}

/**
 * Replaces the elements with these ids by the same elements of a fresh rendering of `url`. Returns
 * undefined when done, else why not (the elements on screen are then left as they were).
 */
export async function swapFromServer(url: string, ids: readonly string[]): Promise<string | undefined> {
  const answer = await fetchHtml(url);
  if (answer.kind === 'logged-out') {
    goToLogin();
    return 'Your session has ended; log in again.';
  }
  if (answer.kind === 'failed') return answer.message;
  const swaps: [current: Element, fresh: Element][] = [];
  for (const id of ids) {
    const current = document.getElementById(id);
    const fresh = answer.document.getElementById(id);
    if (current === null || fresh === null) return 'The server sent an unexpected page; reload this one.';
    swaps.push([current, fresh]);
  }
  for (const [current, fresh] of swaps) current.replaceWith(document.adoptNode(fresh));
  return undefined;
}
