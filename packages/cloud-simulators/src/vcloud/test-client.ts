import { XMLParser } from 'fast-xml-parser';

/**
 * A bare vCD client for the simulator's own tests: logs in at the OpenAPI, sends XML API calls
 * with the bearer token and the versioned Accept header, parses answers with fast-xml-parser
 * (attributes without a prefix, namespace prefixes dropped, records, links and entries always
 * arrays) and waits for tasks. Not exported from the package.
 */

/** Parsed XML, which tests walk freely. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed document's shape is what each test asserts.
export type Xml = any;

const LISTS = new Set([
  'Link',
  'VMRecord',
  'VAppRecord',
  'VAppTemplateRecord',
  'OrgVdcRecord',
  'OrgVdcNetworkRecord',
  'CatalogRecord',
  'VMReference',
  'MetadataEntry',
  'Task',
  'Item',
  'ResourceEntity',
  'VersionInfo',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  // Answers have no whitespace between elements; text (scripts, descriptions) is kept exactly.
  trimValues: false,
  isArray: (name) => LISTS.has(name),
});

export function parseXml(text: string): Xml {
  return parser.parse(text);
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body when it is XML. */
  readonly xml: Xml;
}

export interface CallOptions {
  readonly body?: string | undefined;
  readonly contentType?: string | undefined;
  readonly accept?: string | undefined;
  /** A token other than the client's (or null for none). */
  readonly token?: string | null | undefined;
}

export class VcloudTestClient {
  readonly endpoint: string;
  readonly version: string;
  token: string | undefined;

  constructor(endpoint: string, version = '38.0') {
    this.endpoint = endpoint;
    this.version = version;
  }

  /** POST /cloudapi/1.0.0/sessions; keeps the token on success. */
  async login(user: string, org: string, password: string, accept?: string): Promise<Answer> {
    const response = await fetch(`${this.endpoint}/cloudapi/1.0.0/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${user}@${org}:${password}`).toString('base64')}`,
        accept: accept ?? `application/json;version=${this.version}`,
      },
    });
    const text = await response.text();
    if (response.status === 200)
      this.token = response.headers.get('x-vmware-vcloud-access-token') ?? undefined;
    return { status: response.status, headers: response.headers, text, xml: undefined };
  }

  /** A call to a path (`/api/…`) or a full href. */
  async call(method: string, pathOrHref: string, options: CallOptions = {}): Promise<Answer> {
    const url = pathOrHref.startsWith('http') ? pathOrHref : `${this.endpoint}${pathOrHref}`;
    const headers: Record<string, string> = {
      accept: options.accept ?? `application/*+xml;version=${this.version}`,
    };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/*+xml';
    const response = await fetch(url, { method, headers, body: options.body });
    const text = await response.text();
    const xml = text.trimStart().startsWith('<') ? parseXml(text) : undefined;
    return { status: response.status, headers: response.headers, text, xml };
  }

  get(pathOrHref: string, options?: CallOptions): Promise<Answer> {
    return this.call('GET', pathOrHref, options);
  }

  /** Expects 200 and returns the parsed document. */
  async document(pathOrHref: string): Promise<Xml> {
    const answer = await this.get(pathOrHref);
    if (answer.status !== 200) throw new Error(`GET ${pathOrHref} answered ${answer.status}: ${answer.text}`);
    return answer.xml;
  }

  /** A query page's parsed QueryResultRecords. */
  async query(params: Record<string, string | number>): Promise<Xml> {
    const search = new URLSearchParams(
      Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
    );
    return (await this.document(`/api/query?${search}`)).QueryResultRecords;
  }

  /** Polls a task until it is no longer queued or running; its final Task element. */
  async waitForTask(href: string, timeoutMs = 30_000): Promise<Xml> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = (await this.document(href)).Task[0];
      if (!['queued', 'preRunning', 'running'].includes(task.status)) return task;
      if (Date.now() > deadline) throw new Error(`Task ${href} still ${task.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Polls until `check` holds for the document at `href`. */
  async waitFor(href: string, check: (document: Xml) => boolean, timeoutMs = 30_000): Promise<Xml> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.get(href);
      if (answer.status === 200 && check(answer.xml)) return answer.xml;
      if (Date.now() > deadline)
        throw new Error(`${href} did not reach the state in ${timeoutMs} ms: ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const VCLOUD = 'http://www.vmware.com/vcloud/v1.5';
const OVF = 'http://schemas.dmtf.org/ovf/envelope/1';

export interface InstantiateSpec {
  readonly name: string;
  readonly templateHref: string;
  readonly networkHref: string;
  readonly networkName: string;
  readonly description?: string;
  readonly powerOn?: boolean;
  readonly templateVmHref?: string;
  readonly computerName?: string;
  readonly script?: string;
  readonly ipMode?: string;
  readonly cpus?: number;
  readonly memoryMb?: number;
}

const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An InstantiateVAppTemplateParams as a client writes one: vApp network, NIC, customization, sizing. */
export function instantiateParams(spec: InstantiateSpec): string {
  const sourced = spec.templateVmHref
    ? `<SourcedItem><Source href="${escapeXml(spec.templateVmHref)}"/>
      <VmGeneralParams><Name>${escapeXml(spec.computerName ?? 'vm')}</Name></VmGeneralParams>
      <InstantiationParams>
        <NetworkConnectionSection><ovf:Info>NICs</ovf:Info>
          <PrimaryNetworkConnectionIndex>0</PrimaryNetworkConnectionIndex>
          <NetworkConnection network="${escapeXml(spec.networkName)}">
            <NetworkConnectionIndex>0</NetworkConnectionIndex>
            <IsConnected>true</IsConnected>
            <IpAddressAllocationMode>${spec.ipMode ?? 'POOL'}</IpAddressAllocationMode>
          </NetworkConnection>
        </NetworkConnectionSection>
        <GuestCustomizationSection><ovf:Info>Customization</ovf:Info>
          <Enabled>true</Enabled>
          ${spec.computerName ? `<ComputerName>${escapeXml(spec.computerName)}</ComputerName>` : ''}
          ${spec.script === undefined ? '' : `<CustomizationScript>${escapeXml(spec.script)}</CustomizationScript>`}
        </GuestCustomizationSection>
        ${
          spec.cpus || spec.memoryMb
            ? `<VmSpecSection Modified="true"><ovf:Info>spec</ovf:Info>${spec.cpus ? `<NumCpus>${spec.cpus}</NumCpus>` : ''}${
                spec.memoryMb
                  ? `<MemoryResourceMb><Configured>${spec.memoryMb}</Configured></MemoryResourceMb>`
                  : ''
              }</VmSpecSection>`
            : ''
        }
      </InstantiationParams>
    </SourcedItem>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<InstantiateVAppTemplateParams xmlns="${VCLOUD}" xmlns:ovf="${OVF}" name="${escapeXml(spec.name)}" deploy="true" powerOn="${spec.powerOn ?? true}">
  ${spec.description === undefined ? '' : `<Description>${escapeXml(spec.description)}</Description>`}
  <InstantiationParams>
    <NetworkConfigSection><ovf:Info>Networks</ovf:Info>
      <NetworkConfig networkName="${escapeXml(spec.networkName)}">
        <Configuration><ParentNetwork href="${escapeXml(spec.networkHref)}"/><FenceMode>bridged</FenceMode></Configuration>
      </NetworkConfig>
    </NetworkConfigSection>
  </InstantiationParams>
  <Source href="${escapeXml(spec.templateHref)}"/>
  ${sourced}
  <AllEULAsAccepted>true</AllEULAsAccepted>
</InstantiateVAppTemplateParams>`;
}
