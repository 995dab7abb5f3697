#!/usr/bin/env node
/**
 * The root scripts that build before they run (`pnpm start`, `pnpm slipstream`, `pnpm demo`) and
 * `pnpm build` itself:
 *
 *   node scripts/built.js build [turbo flags…]
 *   node scripts/built.js run <package> <entry.js> [arguments…]
 *
 * turbo's own output is a dozen lines of header and summary on every run, and with
 * `--output-logs=errors-only` a cold build says nothing for a minute. This reads turbo's NDJSON
 * (`--json`) instead and prints one line per package actually built (nothing when all is cached),
 * or, when the build fails, the failed tasks' output and turbo's errors.
 *
 * `run` then starts `<entry.js>` in a child Node process and exits with its status. It exists so that
 * Ctrl+C ends quietly: a terminal sends SIGINT to the whole foreground process group, and pnpm also
 * forwards it to its script's process. When that process is the `sh` pnpm starts, sh dies of the
 * SIGINT once its child has exited, and pnpm prints a red "ELIFECYCLE Command failed"; when it is
 * the program itself, the program sees two SIGINTs and takes the second for an impatient operator.
 * So the root scripts `exec` this launcher (no sh left between pnpm and it), the program gets the
 * terminal's one SIGINT, and the launcher, which receives pnpm's, only waits.
 */

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TURBO = join(ROOT, 'node_modules', '.bin', 'turbo');

/** Signals this launcher received; a program they ended has not failed. */
const received = new Set();
let child;

/**
 * SIGINT reaches the program from the terminal (same process group), so it is not forwarded:
 * forwarding would make it a second Ctrl+C. SIGTERM and SIGHUP may come from pnpm alone (a process
 * manager stopping it), so the first of each is passed on.
 */
function onSignal(signal) {
  const first = !received.has(signal);
  received.add(signal);
  if (signal !== 'SIGINT' && first && child !== undefined && child.exitCode === null) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

/** The status a shell would report for a process ended by `signal`. */
function signalStatus(signal) {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs `turbo run build` with `flags`: a line on stderr per package it builds (not for cache hits),
 * and on failure the output of the failed tasks. Resolves with turbo's exit status.
 */
function build(flags) {
  return new Promise((done) => {
    const started = Date.now();
    const args = ['run', 'build', ...flags, '--no-update-notifier', '--output-logs=new-only', '--json'];
    child = spawn(TURBO, args, {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    /** Each task's output lines, in the order turbo printed them. */
    const logs = new Map();
    const turboLines = [];
    const errors = [];
    let stderr = '';
    let builtCount = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        // Not an event (a turbo that predates --json?): keep it for the failure report.
        turboLines.push(line);
        return;
      }
      const text = String(event.text ?? '');
      if (event.source === 'turbo') {
        (event.level === 'error' ? errors : turboLines).push(text);
        return;
      }
      const task = String(event.source);
      if (!logs.has(task)) {
        logs.set(task, []);
        // A task's first line is turbo's "cache hit, …" or "cache miss, executing <hash>".
        if (!text.startsWith('cache hit')) {
          builtCount += 1;
          process.stderr.write(`building ${task.replace(/#build$/, '')}\n`);
        }
      }
      logs.get(task).push(text);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      process.stderr.write(`Could not start turbo (${TURBO}): ${error.message}. Run pnpm install first.\n`);
      done(1);
    });
    child.on('close', (code, signal) => {
      child = undefined;
      const status = code ?? signalStatus(signal);
      if (status === 0) {
        if (builtCount > 0) {
          const seconds = Math.round((Date.now() - started) / 1000);
          process.stderr.write(`built ${builtCount} package${builtCount === 1 ? '' : 's'} in ${seconds} s\n`);
        }
      } else if (received.size === 0) {
        process.stderr.write(failureReport(logs, turboLines, errors, stderr));
      }
      done(status);
    });
  });
}

/** What to show when the build failed: the failed tasks' output, else everything turbo printed. */
function failureReport(logs, turboLines, errors, stderr) {
  const failedLine = turboLines.find((line) => /^\s*Failed:/.test(line));
  const failed = failedLine === undefined ? [] : failedLine.replace(/^\s*Failed:\s*/, '').split(/,\s*/);
  const shown = failed.filter((task) => logs.has(task));
  const sections =
    shown.length > 0
      ? shown.map((task) => `── ${task} failed:\n${logs.get(task).join('\n')}`)
      : [...[...logs].map(([task, lines]) => `── ${task}:\n${lines.join('\n')}`), turboLines.join('\n')];
  return `${[...sections, ...errors, stderr.trim()].filter((part) => part !== '').join('\n\n')}\n`;
}

/** Starts `entry` with `args` in a child Node and resolves with the status to exit with. */
function runProgram(entry, args) {
  return new Promise((done) => {
    child = spawn(process.execPath, [resolve(ROOT, entry), ...args], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`Could not start ${entry}: ${error.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      // Stopped by the operator (Ctrl+C, or a stop signal passed on): a clean end, not a failure,
      // however the program reports it (0, 130 as the CLI does, or dying of the signal).
      const stopped = signal !== null || code === 0 || code === 130 || code === 143;
      if (received.size > 0 && stopped) done(0);
      else done(code ?? signalStatus(signal));
    });
  });
}

async function main(argv) {
  const [mode, ...rest] = argv;
  if (mode === 'build') return build(rest);
  if (mode === 'run' && rest.length >= 2) {
    const [pkg, entry, ...args] = rest;
    const status = await build([`--filter=${pkg}...`]);
    // Ctrl+C during the build: the operator changed their mind, which is not a failure either.
    if (status !== 0) return received.size > 0 ? 0 : status;
    if (received.size > 0) return 0;
    return runProgram(entry, args);
  }
  process.stderr.write(
    'usage: node scripts/built.js build [turbo flags…]\n' +
      '       node scripts/built.js run <package> <entry.js> [arguments…]\n',
  );
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
