// Talking to a child process one line at a time: a command line on its stdin, one JSON line back
// on its stdout, answers in the order asked (bench/fleet.js, bench/libcloud-worker.py).
import { createInterface } from 'node:readline';

/**
 * `ask(line)` writes `line` to the child's stdin and resolves with the next JSON line it prints;
 * those still waiting when it exits are rejected. `lines` is the child's stdout as a readline
 * interface, when the caller has read lines of its own from it first.
 */
export function lineChannel(child, name, lines = createInterface({ input: child.stdout })) {
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => {
    for (const { reject } of waiting.splice(0)) reject(new Error(`${name} exited (${code})`));
  });
  return (line) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin.write(`${line}\n`);
    });
}
