// Apache Libcloud's side of the benchmarks that compare with it: Debian's python3-libcloud (installed
// with apt-get when missing) and bench/libcloud-worker.py, a persistent worker driven one JSON line
// at a time.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { lineChannel } from './lines.js';

const run$ = promisify(execFile);

/** The Python that imports libcloud: the PATH's, else the system's (where Debian installs it). */
async function findPython() {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      await run$(python, ['-c', 'import libcloud.compute.drivers.cloudstack'], { timeout: 60_000 });
      return python;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/**
 * The Python with libcloud, installing Debian's python3-libcloud when missing, as
 * packages/cloud-simulators/src/testing/apt.ts does for the client tests: repair a dpkg run that
 * was interrupted, install, and when that fails `apt-get update` and install again.
 */
export async function pythonWithLibcloud() {
  const found = await findPython();
  if (found) return found;
  console.log('python3-libcloud is missing: installing it with apt-get…');
  const options = { timeout: 15 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const install = [...lock, 'install', '-y', '--no-install-recommends', 'python3-libcloud'];
  await run$('dpkg', ['--configure', '-a'], options).catch(() => undefined);
  try {
    await run$('apt-get', install, options);
  } catch {
    await run$('apt-get', [...lock, 'update'], options);
    await run$('apt-get', install, options);
  }
  const installed = await findPython();
  if (!installed) throw new Error('python3-libcloud was installed but python3 cannot import libcloud');
  return installed;
}

/** bench/libcloud-worker.py, started once: one JSON command a line in, one JSON answer a line out. */
export function startWorker(python) {
  const script = new URL('libcloud-worker.py', import.meta.url).pathname;
  const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const send = lineChannel(child, 'libcloud worker');
  const ask = async (command) => {
    const result = await send(JSON.stringify(command));
    if (!result.ok) throw new Error(`libcloud: ${result.error}`);
    return result;
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    await once(child, 'exit');
  };
  return { ask, stop };
}
