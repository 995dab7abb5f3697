import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { type RunningOpenNebula, startOpenNebula } from './index.js';

/**
 * Fidelity check with a client we did not write: Python's standard `xmlrpc.client`, which writes
 * its own methodCalls (typed `<int>`, `<string>`, `<boolean>` values), reads our answers with its
 * own parser (`<i8>` included) and raises our faults as `xmlrpc.client.Fault`. Each check runs a
 * short script with python3; the answers come back as JSON on its standard output.
 */

const run = promisify(execFile);
const PYTHON = 'python3';
const COMMAND_TIMEOUT_MS = 120_000;

async function hasPythonXmlRpc(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import xmlrpc.client, json'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** The helpers every script starts with: a proxy on the endpoint, the session, JSON output. */
const PRELUDE = `
import json, sys, time, xmlrpc.client
endpoint, session = sys.argv[1], sys.argv[2]
one = xmlrpc.client.ServerProxy(endpoint)
def done(value):
    print(json.dumps(value))
`;

describe("Python's xmlrpc.client against the OpenNebula simulator", {
  timeout: COMMAND_TIMEOUT_MS * 3,
}, () => {
  let sim: RunningOpenNebula;
  let directory: string;
  let session: string;

  beforeAll(async () => {
    await ensureDebianClient({
      packageName: 'python3',
      otherwise: 'a python3 with its standard library on the PATH',
      isInstalled: hasPythonXmlRpc,
    });
    directory = await mkdtemp(join(tmpdir(), 'slipstream-python-xmlrpc-'));
    sim = await startOpenNebula({ bootDelayMs: 50, haltDelayMs: 50 });
    session = `${sim.credentials.key}:${sim.credentials.secret}`;
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    if (!account) throw new Error('the simulator has no account for its own credentials');
    sim.control.cloud.seedVms(account.id, 3, {
      zone: '0',
      image: 'ubuntu-24.04',
      size: 'template-default',
      namePrefix: 'py',
    });
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    await sim?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  /** Runs a script (after the prelude) with the endpoint and a session; its JSON output. */
  async function python(name: string, body: string, sessionToUse = session): Promise<unknown> {
    const file = join(directory, `${name}.py`);
    await writeFile(file, `${PRELUDE}\n${body}\n`);
    const { stdout } = await run(PYTHON, [file, sim.rpcUrl, sessionToUse], { timeout: COMMAND_TIMEOUT_MS });
    return JSON.parse(stdout);
  }

  it('lists the template pool and the VM pool', async () => {
    const answer = (await python(
      'pools',
      `
import xml.etree.ElementTree as ET
ok, templates, code = one.one.templatepool.info(session, -2, -1, -1)
ok2, vms, code2 = one.one.vmpool.info(session, -2, -1, -1, -1)
done({
    "ok": [ok, code, ok2, code2],
    "templates": [(t.findtext("ID"), t.findtext("NAME"), t.findtext("UNAME")) for t in ET.fromstring(templates).findall("VMTEMPLATE")],
    "vms": [(v.findtext("ID"), v.findtext("NAME"), v.findtext("STATE"), v.findtext("TEMPLATE/NIC/IP")) for v in ET.fromstring(vms).findall("VM")],
})
`,
    )) as { ok: unknown[]; templates: string[][]; vms: string[][] };
    expect(answer.ok).toEqual([true, 0, true, 0]);
    expect(answer.templates).toEqual([
      ['3', 'slipstream-app', 'slipstream'],
      ['2', 'AlmaLinux 9', 'oneadmin'],
      ['1', 'Debian 12', 'oneadmin'],
      ['0', 'Ubuntu 24.04', 'oneadmin'],
    ]);
    expect(answer.vms.map(([id, name, state]) => [id, name, state])).toEqual([
      ['2', 'py-3', '3'],
      ['1', 'py-2', '3'],
      ['0', 'py-1', '3'],
    ]);
    expect(answer.vms[0]?.[3]).toMatch(/^198\.18\./);
  });

  it('instantiates a template, sees the VM run, terminates it hard, and sees it DONE', async () => {
    const answer = (await python(
      'lifecycle',
      `
import xml.etree.ElementTree as ET
extra = 'MEMORY="512" NIC=[NETWORK_ID="1"] SLIPSTREAM_IDEMPOTENCY_KEY="from-python"'
ok, vm_id, code = one.one.template.instantiate(session, 0, "from-python", False, extra, False)
def state():
    ok, body, code = one.one.vm.info(session, vm_id)
    vm = ET.fromstring(body)
    return (vm.findtext("STATE"), vm.findtext("LCM_STATE"), vm.findtext("USER_TEMPLATE/SLIPSTREAM_IDEMPOTENCY_KEY"), vm.findtext("TEMPLATE/NIC/NETWORK"))
deadline = time.time() + 60
while state()[:2] != ("3", "3") and time.time() < deadline:
    time.sleep(0.05)
running = state()
terminated = one.one.vm.action(session, "terminate-hard", vm_id)
while state()[0] != "6" and time.time() < deadline:
    time.sleep(0.05)
done({"instantiated": [ok, vm_id, code], "running": running, "terminated": terminated, "final": state()})
`,
    )) as Record<string, unknown[]>;
    expect(answer.instantiated).toEqual([true, 3, 0]);
    expect(answer.running).toEqual(['3', '3', 'from-python', 'private']);
    expect(answer.terminated).toEqual([true, 3, 0]);
    expect(answer.final?.slice(0, 2)).toEqual(['6', '0']);
  });

  it('reads a failure with its <i8> replication index, and faults as xmlrpc.client.Fault', async () => {
    const refused = await python(
      'wrong-password',
      'done(one.one.vmpool.info(session, -2, -1, -1, -1))',
      `${sim.credentials.key}:not-the-password`,
    );
    expect(refused).toEqual([
      false,
      "[one.vmpool.info] User couldn't be authenticated, aborting call.",
      256,
      -1,
      -1,
    ]);
    const faults = await python(
      'faults',
      `
result = []
for call in (lambda: one.one.vmpool.info(session, -2, -1, -1), lambda: one.one.vm.nothing(session)):
    try:
        call()
    except xmlrpc.client.Fault as fault:
        result.append([fault.faultCode, fault.faultString])
done(result)
`,
    );
    expect(faults).toEqual([
      [-501, 'Not enough parameters'],
      [-506, "Method 'one.vm.nothing' not defined"],
    ]);
  });
});
