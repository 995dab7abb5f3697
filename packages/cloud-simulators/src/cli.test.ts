import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The built command, as `npx slipstream-sim` runs it (turbo builds before it tests).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Starts the command and resolves with the process and its first lines once it listens. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    output += chunk;
    if (output.includes('Press Ctrl+C')) break;
  }
  return { child, output };
}

describe('slipstream-sim', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    running?.kill('SIGKILL');
    running = undefined;
  });

  it('serves the CloudStack API on loopback with the given credentials until SIGTERM', async () => {
    const { child, output } = await startCli([
      'cloudstack',
      '--key',
      'cli-key',
      '--secret',
      'cli-secret',
      '--seed-vms',
      '3',
    ]);
    running = child;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(url).toBeDefined();
    expect(output).toContain('key:    cli-key');
    expect(output).toContain('seeded 3 running VMs');
    // Unsigned: refused the way CloudStack refuses it.
    const response = await fetch(`${url}/client/api?command=listVirtualMachines&response=json`);
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain('"errorcode":401');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('serves the Exoscale API', async () => {
    const { child, output } = await startCli(['exoscale']);
    running = child;
    const url = /listening on (\S+)/.exec(output)?.[1];
    const response = await fetch(`${url}/v2/instance`);
    expect(response.status).toBe(401);
    expect(await response.json()).toHaveProperty('message');
  });

  it('serves the OpenStack APIs, the key being the user name and the secret the password', async () => {
    const { child, output } = await startCli(['openstack', '--key', 'demo', '--secret', 'demo-password']);
    running = child;
    const url = /listening on (\S+)/.exec(output)?.[1];
    expect(output).toContain(`auth URL:   ${url}/identity/v3`);
    const response = await fetch(`${url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-password' } },
          },
        },
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-subject-token')).toMatch(/^gAAAAAB/);
  });

  it('serves the EC2 Query API, printing the region and the account number', async () => {
    const { child, output } = await startCli(['ec2', '--key', 'AKIACLIEXAMPLE', '--secret', 'cli/secret']);
    running = child;
    const url = /listening on (\S+)/.exec(output)?.[1];
    expect(output).toContain('key:    AKIACLIEXAMPLE');
    expect(output).toContain('region:     us-east-1');
    expect(output).toMatch(/account id: \d{12}/);
    // Unsigned: refused the way EC2 refuses it.
    const response = await fetch(`${url}/?Action=DescribeInstances&Version=2016-11-15`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MissingParameter</Code>');
  });

  it('serves OpenNebula XML-RPC, printing its endpoint; the key is the username, the secret the password', async () => {
    const { child, output } = await startCli([
      'opennebula',
      '--key',
      'oneuser',
      '--secret',
      'one-pass',
      '--seed-vms',
      '2',
    ]);
    running = child;
    const rpcUrl = /XML-RPC: {4}(\S+)/.exec(output)?.[1];
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/RPC2$/);
    const call = (session: string) =>
      fetch(rpcUrl as string, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: `<methodCall><methodName>one.vmpool.info</methodName><params><param><value>${session}</value></param><param><value><i4>-3</i4></value></param><param><value><i4>-1</i4></value></param><param><value><i4>-1</i4></value></param><param><value><i4>-1</i4></value></param></params></methodCall>`,
      }).then((response) => response.text());
    expect(await call('oneuser:one-pass')).toContain('&lt;NAME&gt;seed-2&lt;/NAME&gt;');
    expect(await call('oneuser:wrong')).toContain("User couldn't be authenticated, aborting call.");
  });

  it('serves VMware Cloud Director, printing its org and VDC; the key is the user name', async () => {
    const { child, output } = await startCli([
      'vcloud',
      '--key',
      'vcduser',
      '--secret',
      'vcd-pass',
      '--seed-vms',
      '2',
    ]);
    running = child;
    const url = /listening on (\S+)/.exec(output)?.[1] as string;
    expect(output).toMatch(/org: {8}slipstream/);
    expect(output).toMatch(/VDC: {8}vdc-1/);
    const login = await fetch(`${url}/cloudapi/1.0.0/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('vcduser@slipstream:vcd-pass').toString('base64')}`,
        accept: 'application/json;version=38.0',
      },
    });
    expect(login.status).toBe(200);
    const vms = await fetch(`${url}/api/query?type=vm&filter=isVAppTemplate==false`, {
      headers: {
        authorization: `Bearer ${login.headers.get('x-vmware-vcloud-access-token')}`,
        accept: 'application/*+xml;version=38.0',
      },
    });
    expect(await vms.text()).toMatch(/<QueryResultRecords [^>]*total="2"/);
  });

  it('exits 2 with every problem and the usage on bad arguments', () => {
    const result = spawnSync(process.execPath, [CLI, 'nimbus', '--port', 'eighty'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'slipstream-sim: Unknown cloud "nimbus": choose one of cloudstack, exoscale, openstack',
    );
    expect(result.stderr).toContain('slipstream-sim: Option --port must be a whole number');
    expect(result.stderr).toContain('Usage: slipstream-sim <cloudstack|exoscale|openstack');
  });

  it('says so when the port is taken', async () => {
    const { child, output } = await startCli(['exoscale']);
    running = child;
    const port = /:(\d+)\s/.exec(output)?.[1] as string;
    const result = spawnSync(process.execPath, [CLI, 'cloudstack', '--port', port], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('slipstream-sim: that port is already in use; pick another with --port.\n');
  });
});
