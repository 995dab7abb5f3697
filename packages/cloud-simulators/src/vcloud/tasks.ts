import { randomUUID } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';

/**
 * vCD's tasks: every change answers one (`<Task status="running" operationName="vdcInstantiateVapp"
 * …>`), polled at `/api/task/<uuid>`. A task that tracks the model's work (instantiate, power on,
 * undeploy, delete) takes its status and error from the model's operation, so `failNextOperations`
 * fails it; the others (metadata, a powerOn of a vApp instantiated powered off) run for a set time
 * and succeed.
 */

export type TaskStatus = 'queued' | 'preRunning' | 'running' | 'success' | 'error' | 'aborted';

/** What a task is about: its Owner element. */
export interface TaskOwner {
  readonly kind: 'vApp' | 'vm';
  /** The entity's uuid. */
  readonly id: string;
  readonly name: string;
}

export interface TaskRecord {
  readonly id: string;
  readonly account: string;
  /** The user who started it (the account's key). */
  readonly userName: string;
  /** vCD's short operation name, e.g. vdcInstantiateVapp. */
  readonly operationName: string;
  /** The sentence vCD writes in `operation`. */
  readonly operation: string;
  readonly owner: TaskOwner;
  readonly startedAt: number;
  readonly completesAt: number;
  /** The model's operation this task follows, when it follows one. */
  readonly modelOperation: string | undefined;
}

export interface TaskState {
  readonly status: TaskStatus;
  /** Why it failed, when it did. */
  readonly error: string | undefined;
  /** When it ended, once it has. */
  readonly endedAt: number | undefined;
  /** An approximate percentage, as vCD's Progress. */
  readonly progress: number;
}

export class Tasks {
  readonly #cloud: SimCloud;
  readonly #tasks = new Map<string, TaskRecord>();

  constructor(cloud: SimCloud) {
    this.#cloud = cloud;
  }

  add(spec: Omit<TaskRecord, 'id' | 'startedAt'> & { startedAt?: number }): TaskRecord {
    const task: TaskRecord = {
      ...spec,
      id: randomUUID(),
      startedAt: spec.startedAt ?? this.#cloud.clock.now(),
    };
    this.#tasks.set(task.id, task);
    return task;
  }

  get(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  stateOf(task: TaskRecord): TaskState {
    const now = this.#cloud.clock.now();
    let done = now >= task.completesAt;
    let error: string | undefined;
    if (task.modelOperation !== undefined) {
      const operation = this.#cloud.operation(task.account, task.modelOperation);
      done = operation ? operation.status !== 'pending' : done;
      error = operation?.status === 'failure' ? (operation.error ?? 'The operation failed.') : undefined;
    }
    if (!done) {
      const span = Math.max(1, task.completesAt - task.startedAt);
      const progress = Math.min(99, Math.max(1, Math.floor(((now - task.startedAt) / span) * 100)));
      return { status: 'running', error: undefined, endedAt: undefined, progress };
    }
    return {
      status: error === undefined ? 'success' : 'error',
      error,
      endedAt: Math.max(task.startedAt, task.completesAt),
      progress: 100,
    };
  }

  isRunning(id: string | undefined): boolean {
    const task = id === undefined ? undefined : this.#tasks.get(id);
    return task !== undefined && this.stateOf(task).status === 'running';
  }
}
