import { inspect } from 'node:util';

/**
 * Values shorter than this are not searched for: core's redaction leaves them alone too, because
 * a one- to three-character "secret" matches ordinary text everywhere and protects nothing.
 */
export const MIN_SECRET_LENGTH = 4;

/** One place an error shows a secret value. */
export interface SecretLeak {
  /** Position of the leaked value in the `secrets` passed to {@link findSecretLeaks}. */
  readonly index: number;
  /**
   * Where the value shows: `message`, `stack`, `JSON.stringify`, `util.inspect` (stack, cause
   * chain and every enumerable property), or a problem field such as `problems[1].message`.
   */
  readonly where: string;
  /** Whether the value appeared as given or percent-encoded (as in a query string or form body). */
  readonly form: 'verbatim' | 'percent-encoded';
  /** The value masked for display: its first two characters and its length. */
  readonly hint: string;
}

/**
 * Finds every place `error` shows one of `secrets`: its message, its stack, its JSON form, its
 * `util.inspect` rendering (which covers the cause chain, nested errors and extra properties) and
 * the text of each of its `problems`. Empty when the error is safe to log and show to users.
 * Accepts anything thrown, not only Errors.
 */
export function findSecretLeaks(error: unknown, secrets: readonly string[]): SecretLeak[] {
  const surfaces = surfacesOf(error);
  const leaks: SecretLeak[] = [];
  secrets.forEach((secret, index) => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    const forms: [SecretLeak['form'], string][] = [['verbatim', secret]];
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) forms.push(['percent-encoded', encoded]);
    for (const [where, text] of surfaces) {
      const found = forms.find(([, value]) => text.includes(value));
      if (found) leaks.push({ index, where, form: found[0], hint: maskSecret(secret) });
    }
  });
  return leaks;
}

/** A secret's first two characters and its length: enough to tell which one leaked. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 2)}… (${secret.length} characters)`;
}

function surfacesOf(error: unknown): [string, string][] {
  const surfaces: [string, string][] = [];
  const object = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined;
  if (object) {
    if (typeof object.message === 'string') surfaces.push(['message', object.message]);
    if (typeof object.stack === 'string') surfaces.push(['stack', object.stack]);
  } else {
    surfaces.push(['String(error)', String(error)]);
  }
  surfaces.push(['JSON.stringify', safely(() => JSON.stringify(error) ?? '')]);
  surfaces.push(['util.inspect', safely(() => inspect(error, { depth: 10 }))]);
  const problems = object?.problems;
  if (Array.isArray(problems)) {
    problems.forEach((problem: unknown, i) => {
      if (typeof problem === 'string') {
        surfaces.push([`problems[${i}]`, problem]);
        return;
      }
      if (typeof problem !== 'object' || problem === null) return;
      for (const [field, value] of Object.entries(problem)) {
        if (typeof value === 'string') surfaces.push([`problems[${i}].${field}`, value]);
      }
    });
  }
  return surfaces;
}

// An error that cannot be serialized (a cycle, a BigInt) is still checked through its other forms.
function safely(render: () => string): string {
  try {
    return render();
  } catch {
    return '';
  }
}
