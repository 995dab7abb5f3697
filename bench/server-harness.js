// What the server benchmarks share: rounds of several sides run in turn (the order rotating each
// round, so that no side always runs first on a colder or last on a warmer machine), medians and a
// Markdown table; HTTP calls to the server with undici.
import { request } from 'undici';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
export const WARMUP = 3;

/** The server package: `dist` is built by `pnpm bench`; its connector packages are installed next to it. */
export const SERVER_DIR = new URL('../packages/server/', import.meta.url);

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs every side once per round for `warmup` + `rounds` rounds (default WARMUP + ROUNDS), in an
 * order that rotates each round. A side resolves with its sample (an object of numbers); the
 * warm-up rounds are dropped.
 */
export async function interleave(sides, { rounds = ROUNDS, warmup = WARMUP } = {}) {
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round += 1) {
    const shift = round % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const sample = await sides[name]();
      if (round >= warmup) samples[name].push(sample);
    }
  }
  return samples;
}

/** The median of one field of a side's samples. */
export function medianOf(samples, side, field = 'ms') {
  return median(samples[side].map((sample) => sample[field]));
}

/** Prints a Markdown table: a header row, then rows of cells. */
export function printTable(header, rows) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

export const ms = (value) => `${value.toFixed(1)} ms`;
export const ratio = (value, base) => `×${(value / base).toFixed(2)}`;

/** One HTTP call to the server: its status and parsed JSON body (undefined when empty). */
export async function call(baseUrl, method, path, { headers = {}, body, dispatcher } = {}) {
  const response = await request(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

/** Like `call`, failing with the server's answer unless the status is the expected one. */
export async function expectCall(baseUrl, method, path, status, options) {
  const answer = await call(baseUrl, method, path, options);
  if (answer.status !== status) {
    throw new Error(
      `${method} ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 500)}`,
    );
  }
  return answer;
}
