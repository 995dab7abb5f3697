import type { SimCloud } from '../model/cloud.js';
import type { SimAccount, SimOperation, SimVm } from '../model/types.js';
import { formatTzDate } from './dates.js';
import { API_ERROR } from './errors.js';
import { ROOT_DOMAIN, userIdOf } from './identity.js';
import type { JsonObject } from './render.js';
import { vmView } from './views.js';

/**
 * Asynchronous jobs as CloudStack reports them (AsyncJobResponse). The model keeps each job's
 * timing and outcome; the book keeps what only CloudStack knows: the Java command class, the state
 * the job's result shows, and the errors CloudStack raises inside a job rather than on the call.
 */

interface CommandInfo {
  /** The `cmd` field: the Java class that ran the job. */
  readonly cls: string;
  /** The `jobinstancetype` of jobs that act on a VM. */
  readonly vm: boolean;
  /** The VM state the job's result shows when it succeeds. */
  readonly finalState?: string;
}

const USER_CMD = 'org.apache.cloudstack.api.command.user';

const COMMANDS: Readonly<Record<string, CommandInfo>> = Object.freeze({
  deployVirtualMachine: { cls: `${USER_CMD}.vm.DeployVMCmd`, vm: true, finalState: 'Running' },
  startVirtualMachine: { cls: `${USER_CMD}.vm.StartVMCmd`, vm: true, finalState: 'Running' },
  stopVirtualMachine: { cls: `${USER_CMD}.vm.StopVMCmd`, vm: true, finalState: 'Stopped' },
  destroyVirtualMachine: { cls: `${USER_CMD}.vm.DestroyVMCmd`, vm: true, finalState: 'Destroyed' },
  createTags: { cls: `${USER_CMD}.tag.CreateTagsCmd`, vm: false },
});

export interface JobNote {
  /** The VM as it was when the job started: its result still shows it after an expunge. */
  readonly vm?: SimVm | undefined;
  /** The state the result shows, when it is not the command's usual one (an expunge). */
  readonly finalState?: string | undefined;
  /** An error CloudStack raises inside the job: the job fails with it whatever the model says. */
  readonly error?: { readonly code: number; readonly text: string } | undefined;
}

export class JobBook {
  readonly #notes = new Map<string, JobNote>();

  note(jobId: string, note: JobNote): void {
    this.#notes.set(jobId, note);
  }

  get(jobId: string): JobNote | undefined {
    return this.#notes.get(jobId);
  }
}

/** The id of a job still running on each of the account's VMs. */
export function pendingJobsByVm(cloud: SimCloud, account: SimAccount): Map<string, string> {
  const pending = new Map<string, string>();
  for (const operation of cloud.operations(account.id)) {
    if (operation.status === 'pending' && operation.resource !== undefined) {
      pending.set(operation.resource, operation.id);
    }
  }
  return pending;
}

export function jobView(
  cloud: SimCloud,
  account: SimAccount,
  operation: SimOperation,
  book: JobBook,
): JsonObject {
  const info = COMMANDS[operation.command];
  const note = book.get(operation.id);
  const failure =
    operation.status === 'failure'
      ? { code: API_ERROR.INTERNAL_ERROR, text: operation.error ?? 'Job failed' }
      : operation.status === 'success'
        ? note?.error
        : undefined;
  const view: JsonObject = {
    accountid: account.id,
    account: account.name,
    domainid: ROOT_DOMAIN.id,
    domainpath: ROOT_DOMAIN.path,
    userid: userIdOf(account),
    cmd: info?.cls ?? operation.command,
    jobstatus: operation.status === 'pending' ? 0 : failure ? 2 : 1,
    jobprocstatus: 0,
    jobresultcode: failure ? failure.code : 0,
  };
  if (operation.status !== 'pending') {
    view.jobresulttype = 'object';
    view.jobresult = failure
      ? { errorcode: failure.code, errortext: failure.text }
      : successResult(cloud, account, operation, info, note);
  }
  if (info?.vm && operation.resource !== undefined) {
    view.jobinstancetype = 'VirtualMachine';
    view.jobinstanceid = operation.resource;
  }
  view.created = formatTzDate(operation.createdAt);
  if (operation.status !== 'pending') view.completed = formatTzDate(operation.completesAt);
  view.jobid = operation.id;
  return view;
}

function successResult(
  cloud: SimCloud,
  account: SimAccount,
  operation: SimOperation,
  info: CommandInfo | undefined,
  note: JobNote | undefined,
): JsonObject {
  if (!info?.vm || operation.resource === undefined) return { success: true };
  const vm = cloud.vm(account.id, operation.resource) ?? note?.vm;
  if (!vm) return { success: true };
  return { virtualmachine: vmView(cloud, account, vm, { state: note?.finalState ?? info.finalState }) };
}
