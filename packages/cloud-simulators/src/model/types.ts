/**
 * The simulated cloud's own vocabulary, shared by every protocol front-end. Each front-end renames
 * these into its cloud's words (CloudStack `Running`, Exoscale `running`, ...).
 */

export interface SimZone {
  readonly id: string;
  readonly name: string;
}

export interface SimImage {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Operating system family and version, e.g. "Ubuntu 24.04". */
  readonly os: string;
  /** Size of the image's root disk in GB: the smallest disk a VM from it may have. */
  readonly sizeGb: number;
  /** Offered by the cloud operator to everyone (CloudStack "featured", Exoscale "public"). */
  readonly featured: boolean;
  /** Zones it is available in; every zone when absent. */
  readonly zones?: readonly string[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export interface SimSize {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly cpus: number;
  readonly memoryMb: number;
  /** CPU speed in MHz (CloudStack reports it). */
  readonly cpuSpeedMhz: number;
  /** Size family, e.g. "standard" (Exoscale reports it). */
  readonly family: string;
  /** Root disk the size comes with, for clouds whose sizes fix it (OpenStack flavors). */
  readonly diskGb?: number | undefined;
}

/** `expired` and `revoked` keys are refused: tests of credential failures set them. */
export type AccountStatus = 'active' | 'expired' | 'revoked';

export interface SimAccountSpec {
  readonly key: string;
  readonly secret: string;
  /** Account name; defaults to a name derived from the key. */
  readonly name?: string | undefined;
  /** Most VMs the account may hold at once (destroyed ones excepted); default 20. */
  readonly vmLimit?: number | undefined;
}

export interface SimAccount {
  readonly id: string;
  readonly name: string;
  readonly key: string;
  readonly secret: string;
  status: AccountStatus;
  vmLimit: number;
}

export interface SimKeyPair {
  readonly name: string;
  readonly account: string;
  readonly publicKey: string;
  /** MD5 fingerprint of the key blob, colon-separated hex, as CloudStack reports it. */
  readonly fingerprint: string;
}

/**
 * Where a VM is in its life. `destroyed` is CloudStack's recoverable state after a destroy without
 * expunge; `expunging` leads to the record's removal.
 */
export type VmPhase = 'starting' | 'running' | 'stopping' | 'stopped' | 'destroyed' | 'expunging' | 'error';

export interface SimVm {
  readonly id: string;
  readonly account: string;
  readonly name: string;
  readonly displayName: string;
  readonly zone: string;
  readonly image: string;
  readonly size: string;
  readonly diskGb: number;
  readonly keyPair: string | undefined;
  /** Base64, as the client sent it. */
  readonly userData: string | undefined;
  readonly securityGroups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly publicIp: string;
  readonly privateIp: string;
  readonly createdAt: number;
  readonly phase: VmPhase;
  /** When the current phase began (epoch ms): what clouds report as the last update. */
  readonly phaseSince: number;
  /** When the VM first ran (epoch ms); undefined until it has. */
  readonly launchedAt: number | undefined;
}

export type OperationStatus = 'pending' | 'success' | 'failure';

/** An asynchronous operation: a CloudStack async job, an Exoscale operation. */
export interface SimOperation {
  readonly id: string;
  readonly account: string;
  /** The API call that started it, e.g. "deployVirtualMachine" or "create-instance". */
  readonly command: string;
  /** The VM (or other resource) it acts on. */
  readonly resource: string | undefined;
  readonly createdAt: number;
  /** When it stops being pending. */
  readonly completesAt: number;
  readonly status: OperationStatus;
  /** Why it failed, when it failed. */
  readonly error: string | undefined;
}
