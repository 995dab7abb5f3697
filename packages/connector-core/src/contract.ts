import type { HttpTransport } from './http.js';
import type { Logger } from './logger.js';
import type { CredentialSpec, Credentials, FieldValues, ParameterSpec } from './parameters.js';
import type { StateTable, VmState } from './states.js';

/** The contract major this core implements. A connector built for another major is refused. */
export const CONTRACT_VERSION = 1;

/** Optional operations a connector may offer; the mandatory ones are always there. */
export interface Capabilities {
  /** `stop` and `start` exist. */
  readonly stopStart: boolean;
  /** The cloud has zones and `launch` honours `zone`. */
  readonly zones: boolean;
  /** `launch` installs `sshPublicKey` on the VM. */
  readonly sshKeys: boolean;
  /** `launch` passes `userData` to the VM. */
  readonly userData: boolean;
  /** `launch` stores `tags` on the VM and `describe` returns them. */
  readonly tags: boolean;
}

/**
 * What a connector package exports by default: plain data plus one factory. The server reads the
 * data to render forms and tables without creating anything.
 */
export interface ConnectorDefinition {
  /** Canonical lowercase connector name, e.g. `cloudstack`; kebab-case. */
  readonly name: string;
  /** The cloud's display name, e.g. `Apache CloudStack`. */
  readonly cloud: string;
  /** Contract major version the connector implements: {@link CONTRACT_VERSION}. */
  readonly contract: number;
  /** Instance parameters the administrator sets; core adds its {@link COMMON_PARAMETERS}. */
  readonly parameters: readonly ParameterSpec[];
  /** Per-user credentials; secrets are marked. */
  readonly credentials: readonly CredentialSpec[];
  readonly capabilities: Capabilities;
  /** Native → normalized state table, exported for documentation and tests. */
  readonly states: StateTable;
  create(context: InstanceContext): ConnectorInstance | Promise<ConnectorInstance>;
}

/** What `create` receives: everything an instance needs, already validated. */
export interface InstanceContext {
  /** The instance name from the connector list, e.g. `cloud2`. */
  readonly instance: string;
  /** Validated parameters with defaults applied, including the common ones. */
  readonly parameters: FieldValues;
  /** The instance's HTTP transport: keep-alive pool, timeouts, retries, concurrency cap. */
  readonly http: HttpTransport;
  readonly logger: Logger;
}

/** A configured connector instance. Sessions are opened per user. */
export interface ConnectorInstance {
  /** Opens a session with one user's credentials (validated against the credential specs). */
  session(credentials: Credentials): Session | Promise<Session>;
  /** Releases what the instance holds (connections, timers). */
  close?(): Promise<void>;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface Image {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly os?: string;
  /** Zone the image is available in, when images are per zone. */
  readonly zone?: string;
}

export interface Size {
  readonly id: string;
  readonly name: string;
  readonly cpus?: number;
  /** Memory in MiB. */
  readonly memoryMb?: number;
  /** Root disk in GB. */
  readonly diskGb?: number;
}

export interface Zone {
  readonly id: string;
  readonly name: string;
  readonly available?: boolean;
}

export type Tags = Readonly<Record<string, string>>;

export interface LaunchRequest {
  /** VM name; with `count` > 1 connectors suffix `-1`, `-2`, ... */
  readonly name: string;
  readonly image: string;
  readonly size: string;
  readonly zone?: string | undefined;
  /** How many identical VMs to launch; default 1. */
  readonly count?: number | undefined;
  readonly sshPublicKey?: string | undefined;
  readonly userData?: string | undefined;
  readonly tags?: Tags | undefined;
  /**
   * Caller-chosen key that makes the launch safe to retry: launching again with the same key
   * returns the VMs the first call created instead of creating more.
   */
  readonly idempotencyKey: string;
}

export interface Vm {
  readonly id: string;
  readonly name: string;
  readonly state: VmState;
  /** The cloud's own state, exactly as it reported it. */
  readonly rawState: string;
  readonly publicIps: readonly string[];
  readonly privateIps: readonly string[];
  readonly image?: string | undefined;
  readonly size?: string | undefined;
  readonly zone?: string | undefined;
  /** ISO 8601 creation time. */
  readonly createdAt?: string | undefined;
  readonly tags: Tags;
}

export interface DescribeQuery {
  /** Only these VMs. Ids the cloud does not know (any more) are left out, not an error. */
  readonly ids?: readonly string[] | undefined;
}

/** One user's view of an instance. Every call takes an AbortSignal through its options. */
export interface Session {
  /** Resolves when the cloud accepts the credentials; AUTH_FAILED otherwise. */
  checkCredentials(options?: CallOptions): Promise<void>;
  listImages(options?: CallOptions): Promise<readonly Image[]>;
  listSizes(options?: CallOptions): Promise<readonly Size[]>;
  listZones(options?: CallOptions): Promise<readonly Zone[]>;
  /**
   * `launch` and `describe` resolve to VMs made for the call: the caller may keep and change them,
   * so neither a VM nor its arrays or tags may be an object the connector keeps (core passes them
   * on without copying; the testkit checks).
   */
  launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]>;
  /** The user's VMs, or those of `query.ids`; see `launch` on what the caller gets. */
  describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]>;
  /** Terminating an already terminated VM succeeds; an id the cloud never knew is NOT_FOUND. */
  terminate(ids: readonly string[], options?: CallOptions): Promise<void>;
  /** Present when `capabilities.stopStart`; otherwise core answers UNSUPPORTED. */
  stop?(ids: readonly string[], options?: CallOptions): Promise<void>;
  start?(ids: readonly string[], options?: CallOptions): Promise<void>;
  /** Forgets cached tokens and the like. */
  close?(): Promise<void>;
}
