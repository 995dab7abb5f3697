// What the describe benchmarks share: a simulator fleet in a child process, and the side-by-side
// measurement of the connector against its raw floor, interleaved round by round.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lineChannel } from './lines.js';
import { record } from './results.js';

// A full garbage collection before each measured listing, outside its time: the sides take turns
// in one process, and without it one side's garbage is collected in the next side's turn (a side
// that allocates more then looks cheaper, its neighbour dearer, by chance of when V8 collects).
setFlagsFromString('--expose-gc');
export const collectGarbage = runInNewContext('gc');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 3;
// The measured rounds are shared out among this many processes, one after another. One process's
// ratio is partly luck: how V8 compiled the code the two sides share, and how it sized the heap,
// differ from process to process (the same CloudStack code measured from ×1.0 to ×1.4 in single
// processes), so a benchmark pools rounds from several, the first of which is this one.
const PROCESSES = Math.max(1, Number(process.env.BENCH_PROCESSES ?? 4));
// Set in the processes compare() starts: which one it is (1, 2, ...).
const WORKER = process.env.BENCH_DESCRIBE_WORKER;
const SAMPLES_MARK = 'describe-samples ';

/**
 * Starts `clouds` simulators of `vms` running VMs each; resolves with their accounts, `stop()`,
 * and `requests(index)`: simulator `index`'s requests since the last call, as [receivedAt,
 * answeredAt] pairs of its request log. `options`: `latency` (ms added to every answer) and
 * `maxPageSize` (the largest page the cloud grants).
 */
export async function startFleet(cloud, clouds, vms, options = {}) {
  const script = new URL('fleet.js', import.meta.url).pathname;
  const args = [script, '--cloud', cloud, '--clouds', String(clouds), '--vms', String(vms)];
  if (options.latency !== undefined) args.push('--latency', String(options.latency));
  if (options.maxPageSize !== undefined) args.push('--max-page-size', String(options.maxPageSize));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, 'line');
  const ask = lineChannel(child, 'the simulator fleet', lines);
  return {
    fleet: JSON.parse(line),
    stop: () => child.stdin.end(),
    requests: (index) => ask(`requests ${index}`),
  };
}

/**
 * The round trips on a listing's critical path, from its requests' log: a request waited for
 * every answer given before it arrived, so its depth is one more than the deepest of those; the
 * listing's is its deepest request's. The sequential floor's is its page count; pages asked
 * together share a depth. Counted on the server's event counter, so CPU and noise do not enter.
 */
export function criticalPath(events) {
  const byArrival = [...events].sort((a, b) => a[0] - b[0]);
  const depths = [];
  let deepest = 0;
  for (const [receivedAt] of byArrival) {
    let depth = 1;
    for (let index = 0; index < depths.length; index += 1) {
      if (byArrival[index][1] < receivedAt) depth = Math.max(depth, depths[index] + 1);
    }
    depths.push(depth);
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

function median(values) {
  return quantile(values, 0.5);
}

/** The value below which a share `q` of `values` lies (the nearest rank). */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** Wall time and this process's CPU time of one call, checking it saw every VM. */
async function measure(fn, expected) {
  collectGarbage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const total = results.reduce((sum, list) => sum + list.length, 0);
  if (total !== expected) throw new Error(`expected ${expected} VMs, got ${total}`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * One process's share of the rounds: the floor and the connector alternately, which goes first
 * alternating too (from round to round, and from process to process), so that neither always runs
 * on a warmer machine or trains the shared code first.
 */
async function measureRounds(sides, expected, rounds, processIndex) {
  const samples = { floor: [], connector: [] };
  for (let round = 0; round < WARMUP + rounds; round += 1) {
    for (const side of (round + processIndex) % 2 === 0 ? ['floor', 'connector'] : ['connector', 'floor']) {
      const sample = await measure(sides[side], expected);
      if (round >= WARMUP) samples[side].push(sample);
    }
  }
  return samples;
}

/** Runs `file`'s benchmark again in a new process as its `index`th and resolves with its samples. */
async function samplesOfProcess(file, index) {
  const script = new URL('describe-worker.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, file], {
    env: { ...process.env, BENCH_DESCRIBE_WORKER: String(index) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let samples;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith(SAMPLES_MARK)) samples = JSON.parse(line.slice(SAMPLES_MARK.length));
  }
  const [code] = child.exitCode === null ? await once(child, 'exit') : [child.exitCode];
  if (code !== 0 || samples === undefined)
    throw new Error(`describe benchmark process ${index} of ${file} failed (${code})`);
  return samples;
}

/**
 * Measures the floor and the connector side by side, `BENCH_ROUNDS` rounds shared among
 * `BENCH_PROCESSES` processes (this one, then the others one after another, each running `file`
 * — the calling benchmark's module — again), prints medians and ratios of the pooled rounds as a
 * Markdown table and records them as `name`.
 */
export async function compare({ name, title, file, expected, floor, connector, floorLabel }) {
  const sides = { floor, connector };
  const perProcess = Math.ceil(ROUNDS / PROCESSES);
  if (WORKER !== undefined) {
    const samples = await measureRounds(sides, expected, perProcess, Number(WORKER));
    process.stdout.write(`${SAMPLES_MARK}${JSON.stringify(samples)}\n`);
    return;
  }
  const processes = [await measureRounds(sides, expected, perProcess, 0)];
  for (let index = 1; index < PROCESSES; index += 1) processes.push(await samplesOfProcess(file, index));
  const samples = {
    floor: processes.flatMap((one) => one.floor),
    connector: processes.flatMap((one) => one.connector),
  };
  const wall = (side) => median(samples[side].map((s) => s.wallMs));
  const cpu = (side) => median(samples[side].map((s) => s.cpuMs));
  // How far single rounds stray: the middle half of the rounds' own CPU ratios (each round runs
  // both sides back to back), so that a reader can tell a real difference from this machine's noise.
  const roundRatios = samples.connector.map((s, index) => s.cpuMs / samples.floor[index].cpuMs);
  const cpuRatioSpread = [quantile(roundRatios, 0.25), quantile(roundRatios, 0.75)];
  // And single processes: each one's median CPU ratio.
  const processCpuRatios = processes.map(
    (one) => median(one.connector.map((s) => s.cpuMs)) / median(one.floor.map((s) => s.cpuMs)),
  );
  const rounds = samples.floor.length;
  const row = (label, side) =>
    `| ${label} | ${wall(side).toFixed(1)} ms | ×${(wall(side) / wall('floor')).toFixed(2)} | ${cpu(side).toFixed(1)} ms | ×${(cpu(side) / cpu('floor')).toFixed(2)} |`;
  console.log(`${title}; median of ${rounds} rounds in ${PROCESSES} processes (${WARMUP} warm-up each)`);
  console.log('| side | wall time | vs floor | client CPU | vs floor |');
  console.log('|---|---|---|---|---|');
  console.log(row(floorLabel ?? 'raw floor (undici + JSON.parse)', 'floor'));
  console.log(row('connector describe()', 'connector'));
  console.log(
    `CPU ratio of single rounds, middle half: ×${cpuRatioSpread[0].toFixed(2)} to ×${cpuRatioSpread[1].toFixed(2)}; of single processes: ${processCpuRatios.map((ratio) => `×${ratio.toFixed(2)}`).join(', ')}`,
  );
  record(name, {
    title,
    rounds,
    processes: PROCESSES,
    cpuRatioSpread,
    processCpuRatios,
    rows: ['floor', 'connector'].map((side) => ({
      side,
      wallMs: wall(side),
      cpuMs: cpu(side),
      vms: expected,
    })),
  });
}
