// The loader's cost at boot: a Node process that loads 100 instances of 8 connector packages,
// against a bare Node start measured in the same run, interleaved so that machine noise hits both;
// and the same with the real @slipstream/connector-aws as one of the 8, whose AWS SDK must not be
// imported until a session opens.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 3;
const CONNECTORS = 8;
const INSTANCES = 100;
const core = fileURLToPath(new URL('../packages/connector-core/dist/index.js', import.meta.url));
const awsPackage = fileURLToPath(new URL('../packages/connector-aws', import.meta.url));

/** A connector package as a real one is shaped: package.json with exports, one ESM module. */
function writeFixture(modules, index) {
  const name = `fx${index}`;
  const dir = join(modules, '@slipstream', `connector-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `@slipstream/connector-${name}`,
      version: '1.0.0',
      license: index % 2 ? 'Apache-2.0' : 'SEE LICENSE IN LICENSE',
      type: 'module',
      exports: { '.': { types: './index.d.ts', import: './index.js' } },
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `export default {
  name: '${name}', cloud: 'Fixture ${index}', contract: 1,
  parameters: [
    { key: 'endpoint', label: 'Endpoint', description: 'API URL', type: 'url', required: true },
    { key: 'region', label: 'Region', description: 'Region', type: 'enum', values: ['a', 'b', 'c'], default: 'a' },
    { key: 'timeout', label: 'Timeout', description: 'Seconds', type: 'integer', default: 30, min: 1 },
  ],
  credentials: [{ key: 'key', label: 'Key', description: '', type: 'string', required: true }, { key: 'secret', label: 'Secret', description: '', type: 'secret', required: true }],
  capabilities: { stopStart: true, zones: true, sshKeys: true, userData: true, tags: true },
  states: { up: 'running', down: 'stopped' },
  create: (context) => ({ session: () => { throw new Error('not used: ' + context.instance); } }),
};
`,
  );
  return name;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeProcess(script) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-'));
  try {
    const modules = join(root, 'node_modules');
    const names = Array.from({ length: CONNECTORS }, (_, i) => writeFixture(modules, i + 1));
    const entries = Array.from({ length: INSTANCES }, (_, i) => `i${i + 1}:${names[i % CONNECTORS]}`);
    const parameters = Object.fromEntries(
      entries.map((entry) => [
        entry.split(':')[0],
        { endpoint: 'https://cloud.example.org/api', region: 'b' },
      ]),
    );
    const coreUrl = pathToFileURL(core).href;

    const bare = join(root, 'bare.mjs');
    writeFileSync(bare, '');
    const importOnly = join(root, 'import-core.mjs');
    writeFileSync(importOnly, `await import(${JSON.stringify(coreUrl)});\n`);
    const loadScript = (file, list, values, from) => {
      writeFileSync(
        file,
        `const started = performance.now();
const { loadConnectors } = await import(${JSON.stringify(coreUrl)});
const registry = await loadConnectors(${JSON.stringify(list.join(','))}, { from: ${JSON.stringify(from)}, parameters: ${JSON.stringify(values)}, strict: true });
if (registry.instances.length !== ${INSTANCES}) throw new Error('expected ${INSTANCES} instances');
await registry.close();
process.stdout.write(String(performance.now() - started));
`,
      );
      return file;
    };
    const load = loadScript(join(root, 'load.mjs'), entries, parameters, root);

    // The same fleet with aws in place of the eighth fixture: its package linked in, as installed.
    const awsRoot = join(root, 'with-aws');
    const awsModules = join(awsRoot, 'node_modules');
    const awsNames = Array.from({ length: CONNECTORS - 1 }, (_, i) => writeFixture(awsModules, i + 1));
    awsNames.push('aws');
    symlinkSync(awsPackage, join(awsModules, '@slipstream', 'connector-aws'), 'dir');
    const awsEntries = Array.from({ length: INSTANCES }, (_, i) => `i${i + 1}:${awsNames[i % CONNECTORS]}`);
    const awsParameters = Object.fromEntries(
      awsEntries.map((entry) => {
        const [instance, connector] = entry.split(':');
        return [
          instance,
          connector === 'aws'
            ? { region: 'eu-central-1' }
            : { endpoint: 'https://cloud.example.org/api', region: 'b' },
        ];
      }),
    );
    const loadAws = loadScript(join(root, 'load-aws.mjs'), awsEntries, awsParameters, awsRoot);

    const samples = { bare: [], importCore: [], load: [], inProcess: [], loadAws: [] };
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const b = timeProcess(bare);
      const i = timeProcess(importOnly);
      const l = timeProcess(load);
      const a = timeProcess(loadAws);
      if (round < WARMUP) continue;
      samples.bare.push(b.ms);
      samples.importCore.push(i.ms);
      samples.load.push(l.ms);
      samples.inProcess.push(Number(l.stdout));
      samples.loadAws.push(a.ms);
    }

    const bareMs = median(samples.bare);
    const rows = [
      ['bare node start', bareMs],
      ['node + import core', median(samples.importCore)],
      [`node + load ${INSTANCES} instances of ${CONNECTORS} packages`, median(samples.load)],
      [`  the same, aws one of the ${CONNECTORS}`, median(samples.loadAws)],
    ];
    console.log(
      `${ROUNDS} interleaved rounds after ${WARMUP} warm-up rounds, medians, Node ${process.version}`,
    );
    for (const [label, ms] of rows) {
      console.log(
        `  ${label.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms   ×${(ms / bareMs).toFixed(2)} of bare`,
      );
    }
    const overhead = median(samples.load) - bareMs;
    console.log(
      `  loader cost over a bare start: +${overhead.toFixed(1)} ms (×${(median(samples.load) / bareMs).toFixed(2)})`,
    );
    console.log(`  inside the process (import + load + close): ${median(samples.inProcess).toFixed(1)} ms`);
    console.log(
      `  aws among the packages: ×${(median(samples.loadAws) / median(samples.load)).toFixed(2)} of the fixtures-only load`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
