import { ConnectorError, type Logger, poll } from '@slipstream/connector-core';
import { arrayOf, type CloudStackClient, type Json } from './client.js';
import { failureError, failureIn } from './errors.js';
import { numberOf, objectOf, text } from './wire.js';

/**
 * Waiting for CloudStack's asynchronous jobs. One pending job is polled with queryAsyncJobResult;
 * several are polled together with ONE listAsyncJobs per round (from the day before the earliest
 * job's start, by the server's clock), so that a launch of twenty VMs costs one request per round,
 * not twenty.
 */

export interface PendingJob {
  readonly id: string;
  /** The command that started it, for messages. */
  readonly command: string;
  /** The management server's time when it accepted the command (its `Date` header). */
  readonly serverTime?: number | undefined;
}

export interface JobPollerOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** jobstatus values (AsyncJob.Status ordinals). */
const PENDING = 0;
const SUCCEEDED = 1;

const DAY_MS = 86_400_000;

/**
 * listAsyncJobs' `startdate` for jobs created at `epochMs` by the management server's clock.
 * CloudStack reads a DATE parameter as `yyyy-MM-dd` only (anything after the date is ignored) and
 * takes the start of that day in the server's own time zone, which the API does not tell. The UTC
 * date of the day before is before the jobs in every zone from UTC−12 to UTC+14; and CloudStack
 * purges finished jobs after `job.expire.minutes` (a day by default), so the list stays short.
 */
export function jobSearchStart(epochMs: number): string {
  return new Date(epochMs - DAY_MS).toISOString().slice(0, 10);
}

export interface JobOutcomes {
  /** `jobresult` of each job that succeeded. */
  readonly results: Map<string, Json>;
  /** The error of each job that failed. */
  readonly failures: Map<string, ConnectorError>;
}

/** Throws the first failure, naming how many more there were and keeping them all in `cause`. */
export function throwFailures(failures: ReadonlyMap<string, ConnectorError>): void {
  const [first, ...others] = failures.values();
  if (!first) return;
  if (others.length === 0) throw first;
  throw new ConnectorError(first.code, `${first.message} (and ${others.length} more job(s) failed)`, {
    cause: new JobFailures(failures),
    status: first.status,
  });
}

export class JobFailures extends Error {
  constructor(readonly failures: ReadonlyMap<string, ConnectorError>) {
    super(`${failures.size} CloudStack job(s) failed`);
  }
}

export class JobPoller {
  readonly #client: CloudStackClient;
  readonly #options: JobPollerOptions;

  constructor(client: CloudStackClient, options: JobPollerOptions) {
    this.#client = client;
    this.#options = options;
  }

  /**
   * Waits until every job has finished and returns each successful job's `jobresult`. When jobs
   * failed, it throws the first failure as the cloud reported it (its errorcode mapped like a
   * failed call's), the others in `cause`.
   */
  async wait(jobs: readonly PendingJob[], signal?: AbortSignal): Promise<Map<string, Json>> {
    const { results, failures } = await this.settle(jobs, signal);
    throwFailures(failures);
    return results;
  }

  /** Waits until every job has finished; successes and failures apart, by job id. */
  async settle(jobs: readonly PendingJob[], signal?: AbortSignal): Promise<JobOutcomes> {
    const pending = new Map(jobs.map((job) => [job.id, job]));
    const results = new Map<string, Json>();
    const failures = new Map<string, ConnectorError>();
    if (pending.size === 0) return { results, failures };
    const { intervalMs, timeoutMs } = this.#options;
    await poll(
      {
        interval: intervalMs,
        timeout: timeoutMs,
        signal,
        // A job just started has not finished: the first look waits one interval.
        pauseFirst: true,
        what: 'Waiting for CloudStack jobs',
        timeoutError: () => this.#timeout([...pending.values()]),
      },
      async () => {
        const seen = await this.#jobStates([...pending.values()], signal);
        for (const [id, job] of seen) {
          const status = numberOf(job, 'jobstatus');
          const known = pending.get(id);
          if (status === undefined || status === PENDING || !known) continue;
          pending.delete(id);
          const failed = status !== SUCCEEDED || Boolean(numberOf(job, 'jobresultcode'));
          if (failed) failures.set(id, failureError(jobFailure(job), { command: known.command, jobId: id }));
          else results.set(id, objectOf(job, 'jobresult') ?? {});
        }
        return pending.size === 0 ? true : undefined;
      },
    );
    return { results, failures };
  }

  /** The current state of the given jobs, by id: one request, whatever their number. */
  async #jobStates(jobs: readonly PendingJob[], signal?: AbortSignal): Promise<Map<string, Json>> {
    const { logger } = this.#options;
    const seen = new Map<string, Json>();
    if (jobs.length === 1) {
      const [job] = jobs as [PendingJob];
      logger.debug({ jobs: 1, via: 'queryAsyncJobResult' }, 'cloudstack job poll');
      const { value } = await this.#client.request('queryAsyncJobResult', { jobid: job.id }, { signal });
      seen.set(text(value, 'jobid') ?? job.id, value);
      return seen;
    }
    logger.debug({ jobs: jobs.length, via: 'listAsyncJobs' }, 'cloudstack job poll');
    const times = jobs.map((job) => job.serverTime);
    const start = times.every((time) => time !== undefined)
      ? jobSearchStart(Math.min(...(times as number[])))
      : undefined;
    const wanted = new Set(jobs.map((job) => job.id));
    const pageSize = this.#client.pageSize;
    // Usually the first page holds them all; further pages only when the account ran many jobs.
    for (let page = 1; ; page += 1) {
      const { value } = await this.#client.request(
        'listAsyncJobs',
        { startdate: start, page, pagesize: pageSize },
        { signal },
      );
      const items = arrayOf(value.asyncjobs);
      for (const item of items) {
        const id = text(item, 'jobid');
        if (id !== undefined && wanted.has(id)) seen.set(id, item);
      }
      const count = numberOf(value, 'count') ?? 0;
      if (seen.size === wanted.size || items.length === 0 || page * pageSize >= count) break;
    }
    // A job listAsyncJobs did not show (purged from the list, or older than the start date) is asked for alone.
    for (const job of jobs) {
      if (seen.has(job.id)) continue;
      const { value } = await this.#client.request('queryAsyncJobResult', { jobid: job.id }, { signal });
      seen.set(job.id, value);
    }
    return seen;
  }

  #timeout(jobs: readonly PendingJob[]): ConnectorError {
    const seconds = Math.round(this.#options.timeoutMs / 1000);
    const list = jobs.map((job) => `${job.id} (${job.command})`).join(', ');
    return new ConnectorError(
      'TIMEOUT',
      `CloudStack job(s) ${list} did not finish within ${seconds} s (async.job.timeout.s); they may still complete: describe shows where the VMs are.`,
    );
  }
}

/** A failed job's error: `jobresult` {errorcode, errortext}, or the old `jobresultcode` with a text result. */
function jobFailure(job: Json): { errorcode: number; cserrorcode?: number; errortext: string } {
  const failure = failureIn(job.jobresult);
  if (failure) return failure;
  const result = job.jobresult;
  return {
    errorcode: numberOf(job, 'jobresultcode') || 530,
    errortext: typeof result === 'string' ? result : 'the job failed without an error text',
  };
}
