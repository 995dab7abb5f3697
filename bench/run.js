// `pnpm bench`: every benchmark in this folder, one after the other. Benchmarks compare against a
// baseline measured side by side in the same run, because the machines are shared and noisy.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// `node bench/run.js [name…] [--record]`: the benchmarks whose file names contain one of the names,
// or all of them.
const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const file of readdirSync(here)
  .filter((name) => name.endsWith('.bench.js'))
  .sort()) {
  if (names.length > 0 && !names.some((name) => file.includes(name))) continue;
  console.log(`\n# ${file}`);
  const { run } = await import(new URL(file, import.meta.url).href);
  await run();
}
// With --record, the charts of docs/benchmarks.md are drawn again from the figures just recorded.
if (process.argv.includes('--record')) {
  const { writeCharts } = await import('./charts.js');
  for (const file of writeCharts()) console.log(`chart: ${file}`);
}
