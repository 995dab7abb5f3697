import type { CommandSpec } from '../context.js';
import { parseApiDate } from '../dates.js';
import { paramError, unknownId } from '../errors.js';
import { jobView } from '../jobs.js';
import { listBody } from '../paging.js';

/** queryAsyncJobResult and listAsyncJobs. */

export const queryAsyncJobResult: CommandSpec = {
  required: ['jobid'],
  handle(context) {
    const { cloud, account, jobs } = context;
    const id = context.params.get('jobid') ?? '';
    const operation = cloud.operation(account.id, id);
    if (!operation) throw unknownId(context.command, 'jobid', id);
    return jobView(cloud, account, operation, jobs);
  },
};

export const listAsyncJobs: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, account, jobs, params } = context;
    const startText = params.get('startdate');
    const start = startText === undefined ? undefined : parseApiDate(startText);
    if (startText !== undefined && start === undefined) {
      throw paramError(
        `Unable to parse date ${startText} for command ${context.command.toLowerCase()}, please pass dates in the format mentioned in the api documentation`,
      );
    }
    // Oldest first, as CloudStack orders them (by job id, ascending).
    const views = cloud
      .operations(account.id)
      .filter((operation) => start === undefined || operation.createdAt >= start)
      .map((operation) => jobView(cloud, account, operation, jobs));
    return listBody(context.command, params, 'asyncjobs', views, context.settings.defaultPageSize);
  },
};
