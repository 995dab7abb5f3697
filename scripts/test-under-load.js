// `pnpm test:under-load [runs] [burners]`: the whole test suite, `runs` times in a row (3 by
// default), with `burners` CPU-burning processes (2 by default: every core of a 2-core machine) alongside, as a
// loaded CI machine would. Turbo's cache is bypassed, so every run really runs every test. Exits 1
// at the first red run. Only the burners this script started are stopped, by their PIDs.
import { spawn } from 'node:child_process';

const runs = Number(process.argv[2] ?? 3);
const burnerCount = Number(process.argv[3] ?? 2);

const burners = Array.from({ length: burnerCount }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('SIGINT', () => {
  stopBurners();
  process.exit(130);
});

const results = [];
try {
  for (let run = 1; run <= runs; run += 1) {
    console.log(
      `\n# run ${run} of ${runs}, with ${burnerCount} CPU burners (PIDs ${burners.map((b) => b.pid).join(', ')})`,
    );
    const started = Date.now();
    const code = await new Promise((resolve) => {
      spawn('pnpm', ['test', '--force'], { stdio: 'inherit' }).on('exit', (exit) => resolve(exit ?? 1));
    });
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    results.push({ run, code, minutes });
    console.log(`# run ${run}: ${code === 0 ? 'green' : `red (exit ${code})`} in ${minutes} min`);
    if (code !== 0) break;
  }
} finally {
  stopBurners();
}
console.log('\n| run | result | minutes |\n|---|---|---|');
for (const { run, code, minutes } of results)
  console.log(`| ${run} | ${code === 0 ? 'green' : 'red'} | ${minutes} |`);
process.exit(results.length === runs && results.every((result) => result.code === 0) ? 0 : 1);
