// Where benchmarks leave their figures: every run writes `bench/results/<name>.json` (not committed);
// `node bench/run.js --record` also writes `docs/benchmarks/<name>.json`, the
// figures the committed charts and tables in docs/benchmarks.md are generated from. Each file says
// which machine, Node and date produced it, so that a figure is never separated from its run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const LOCAL = new URL('results/', import.meta.url);
export const RECORDED = new URL('../docs/benchmarks/', import.meta.url);

export const recording = process.argv.includes('--record');

export function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Saves one benchmark's results: `data` is the benchmark's own plain object (a title, its rows of
 * numbers); the date and machine are added here. Returns the saved document.
 */
export function record(name, data) {
  const document = { name, date: new Date().toISOString(), machine: machine(), ...data };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const targets = recording ? [LOCAL, RECORDED] : [LOCAL];
  for (const directory of targets) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(new URL(`${name}.json`, directory), text);
  }
  return document;
}
