import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { type RunningVcloud, startVcloud } from './index.js';

/**
 * Fidelity check with a client we did not write: Python's standard library, `urllib.request` for
 * HTTP (its own Basic header, its own header parsing) and `xml.etree.ElementTree`, a strict
 * namespace-aware parser, for the answers. The script logs in at the OpenAPI, follows the query
 * service's nextPage links and reads the records' attributes in the vCloud namespace.
 */

const run = promisify(execFile);
const PYTHON = 'python3';
const COMMAND_TIMEOUT_MS = 120_000;

async function hasPython(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import urllib.request, xml.etree.ElementTree, json'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const SCRIPT = `
import base64, json, sys, urllib.error, urllib.request
import xml.etree.ElementTree as ET

endpoint, user, org, password = sys.argv[1:5]
NS = '{http://www.vmware.com/vcloud/v1.5}'

def call(method, url, headers):
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()

credentials = base64.b64encode(f'{user}@{org}:{password}'.encode()).decode()
status, headers, body = call('POST', endpoint + '/cloudapi/1.0.0/sessions',
    {'Authorization': 'Basic ' + credentials, 'Accept': 'application/json;version=38.0'})
token = headers.get('X-VMWARE-VCLOUD-ACCESS-TOKEN')
token_type = headers.get('X-VMWARE-VCLOUD-TOKEN-TYPE')
session = json.loads(body)
api = {'Authorization': 'Bearer ' + token, 'Accept': 'application/*+xml;version=38.0'}

names, pages = [], 0
url = endpoint + '/api/query?type=vm&format=records&pageSize=2&filter=isVAppTemplate==false&sortAsc=name'
while url:
    status, headers, body = call('GET', url, api)
    root = ET.fromstring(body)
    pages += 1
    total = root.get('total')
    names += [record.get('name') + '|' + record.get('status') for record in root.findall(NS + 'VMRecord')]
    url = next((link.get('href') for link in root.findall(NS + 'Link') if link.get('rel') == 'nextPage'), None)

status, headers, body = call('GET', endpoint + '/api/org', {'Accept': 'application/*+xml;version=38.0'})
error = ET.fromstring(body)
print(json.dumps({
    'login': session['user']['name'] + '@' + session['org']['name'],
    'tokenType': token_type,
    'total': total,
    'pages': pages,
    'names': names,
    'unauthorized': [status, error.tag, error.get('minorErrorCode')],
}))
`;

describe("Python's urllib and ElementTree against the vCD simulator", {
  timeout: COMMAND_TIMEOUT_MS * 2,
}, () => {
  let sim: RunningVcloud;
  let directory: string;

  beforeAll(async () => {
    await ensureDebianClient({
      packageName: 'python3',
      otherwise: 'a python3 with its standard library on the PATH',
      isInstalled: hasPython,
    });
    directory = await mkdtemp(join(tmpdir(), 'slipstream-python-vcloud-'));
    sim = await startVcloud({ accounts: [{ key: 'py', secret: 'py:pass word' }] });
    const account = sim.control.cloud.accountByKey('py')?.id as string;
    sim.control.cloud.seedVms(account, 5, {
      zone: 'pvdc-1',
      image: 'ubuntu-24.04',
      size: 'template-default',
      namePrefix: 'py',
    });
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    await sim?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('logs in, pages a vm query by its nextPage links and reads a 401 Error', async () => {
    const file = join(directory, 'vm_query.py');
    await writeFile(file, SCRIPT);
    const { stdout } = await run(PYTHON, [file, sim.endpoint, 'py', 'slipstream', 'py:pass word'], {
      timeout: COMMAND_TIMEOUT_MS,
    });
    expect(JSON.parse(stdout)).toEqual({
      login: 'py@slipstream',
      tokenType: 'Bearer',
      total: '5',
      pages: 3,
      names: ['py-1|POWERED_ON', 'py-2|POWERED_ON', 'py-3|POWERED_ON', 'py-4|POWERED_ON', 'py-5|POWERED_ON'],
      unauthorized: [401, '{http://www.vmware.com/vcloud/v1.5}Error', 'NOT_AUTHENTICATED'],
    });
  });
});
