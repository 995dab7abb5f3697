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
 * One process's share of the rounds: every side once per round, in an order that rotates from
 * round to round and from process to process, so that none always runs on a warmer machine or
 * trains the shared code first.
 */
async function measureRounds(sides, expected, rounds, processIndex) {
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((side) => [side, []]));
  for (let round = 0; round < WARMUP + rounds; round += 1) {
    const first = (round + processIndex) % names.length;
    for (const side of [...names.slice(first), ...names.slice(0, first)]) {
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
 * Markdown table and records them as `name`. `references` ({ side, label, run }) are measured in
 * the same rounds, for a ratio of the connector against each besides the floor's.
 */
export async function compare({
  name,
  title,
  file,
  expected,
  floor,
  connector,
  floorLabel,
  references = [],
}) {
  const sides = { floor, ...Object.fromEntries(references.map((one) => [one.side, one.run])), connector };
  const perProcess = Math.ceil(ROUNDS / PROCESSES);
  if (WORKER !== undefined) {
    const samples = await measureRounds(sides, expected, perProcess, Number(WORKER));
    process.stdout.write(`${SAMPLES_MARK}${JSON.stringify(samples)}\n`);
    return;
  }
  const processes = [await measureRounds(sides, expected, perProcess, 0)];
  for (let index = 1; index < PROCESSES; index += 1) processes.push(await samplesOfProcess(file, index));
  const samples = Object.fromEntries(
    Object.keys(sides).map((side) => [side, processes.flatMap((one) => one[side])]),
  );
  const wall = (side) => median(samples[side].map((s) => s.wallMs));
  const cpu = (side) => median(samples[side].map((s) => s.cpuMs));
  // How far single rounds stray: the middle half of the rounds' own CPU ratios (each round runs
  // every side back to back), so that a reader can tell a real difference from this machine's noise.
  const spread = (base) => {
    const ratios = samples.connector.map((s, index) => s.cpuMs / samples[base][index].cpuMs);
    return [quantile(ratios, 0.25), quantile(ratios, 0.75)];
  };
  // And single processes: each one's median CPU ratio.
  const perProcessRatios = (base) =>
    processes.map((one) => median(one.connector.map((s) => s.cpuMs)) / median(one[base].map((s) => s.cpuMs)));
  const cpuRatioSpread = spread('floor');
  const processCpuRatios = perProcessRatios('floor');
  const rounds = samples.floor.length;
  const labels = {
    floor: floorLabel ?? 'raw floor (undici + JSON.parse)',
    ...Object.fromEntries(references.map((one) => [one.side, one.label])),
    connector: 'connector describe()',
  };
  const row = (side) =>
    `| ${labels[side]} | ${wall(side).toFixed(1)} ms | ×${(wall(side) / wall('floor')).toFixed(2)} | ${cpu(side).toFixed(1)} ms | ×${(cpu(side) / cpu('floor')).toFixed(2)} |`;
  const ratios = (range) => range.map((ratio) => `×${ratio.toFixed(2)}`);
  console.log(`${title}; median of ${rounds} rounds in ${PROCESSES} processes (${WARMUP} warm-up each)`);
  console.log('| side | wall time | vs floor | client CPU | vs floor |');
  console.log('|---|---|---|---|---|');
  for (const side of Object.keys(sides)) console.log(row(side));
  console.log(
    `CPU ratio of single rounds, middle half: ${ratios(cpuRatioSpread).join(' to ')}; of single processes: ${ratios(processCpuRatios).join(', ')}`,
  );
  for (const { side, label } of references) {
    console.log(
      `connector vs ${label}: client CPU ×${(cpu('connector') / cpu(side)).toFixed(2)}, single rounds' middle half ${ratios(spread(side)).join(' to ')}, single processes ${ratios(perProcessRatios(side)).join(', ')}`,
    );
  }
  record(name, {
    title,
    rounds,
    processes: PROCESSES,
    cpuRatioSpread,
    processCpuRatios,
    ...(references.length === 0
      ? {}
      : {
          references: references.map(({ side }) => ({
            side,
            cpuRatio: cpu('connector') / cpu(side),
            cpuRatioSpread: spread(side),
            processCpuRatios: perProcessRatios(side),
          })),
        }),
    rows: Object.keys(sides).map((side) => ({
      side,
      label: labels[side],
      wallMs: wall(side),
      cpuMs: cpu(side),
      vms: expected,
    })),
  });
}
