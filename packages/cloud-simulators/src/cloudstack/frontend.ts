import type { SimCloud } from '../model/cloud.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import { verifyRequest } from './auth.js';
import { commandSpec } from './commands/index.js';
import type { CloudStackSettings, CommandContext } from './context.js';
import { API_ERROR, CloudStackApiError, CS_ERROR, paramError } from './errors.js';
import { JobBook } from './jobs.js';
import { DEFAULT_PAGE_SIZE } from './paging.js';
import { commandOf, readParams } from './params.js';
import { type ResponseType, render, renderError, responseNameOf, responseTypeOf } from './render.js';
import { DEFAULT_USER_DATA_MAX_LENGTH } from './userdata.js';

/**
 * The CloudStack API front-end: `/client/api`, GET query strings or POSTed forms, signed with an
 * API key and secret key, answering `<command>response` envelopes in JSON or XML.
 */

export const CLOUDSTACK_API_PATH = '/client/api';

export const DEFAULT_CLOUDSTACK_SETTINGS: CloudStackSettings = Object.freeze({
  // A cloud whose operator lets users expunge and see their destroyed VMs (both off in a fresh
  // installation): the connector's expunge-on-terminate works without an administrator.
  allowUserExpungeRecoverVm: true,
  allowUserViewDestroyedVm: true,
  defaultPageSize: DEFAULT_PAGE_SIZE,
  userDataMaxLength: DEFAULT_USER_DATA_MAX_LENGTH,
});

/** BaseCmd.USER_ERROR_MESSAGE: what users see of an unexpected server error. */
const USER_ERROR_MESSAGE = 'Internal error executing command, please contact your system administrator';

export function createCloudStackFrontEnd(
  cloud: SimCloud,
  settings: Partial<CloudStackSettings> = {},
): FrontEnd {
  const resolved: CloudStackSettings = { ...DEFAULT_CLOUDSTACK_SETTINGS, ...settings };
  const jobs = new JobBook();

  function handle(request: SimRequest): SimResponse {
    const path = request.url.pathname;
    if (path !== CLOUDSTACK_API_PATH && path !== `${CLOUDSTACK_API_PATH}/`) {
      return plain(404, `Not Found: ${path}`);
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      return plain(405, `HTTP method ${request.method} is not supported by this URL`);
    }
    const params = readParams(request);
    const type = responseTypeOf(params);
    const command = commandOf(params);
    try {
      const { account, command: name } = verifyRequest(
        cloud,
        params,
        command,
        (candidate) => commandSpec(candidate) !== undefined,
      );
      const spec = commandSpec(name);
      if (!spec) throw new Error(`command ${name} passed verification without a handler`);
      for (const required of spec.required) {
        if (!params.has(required)) {
          throw paramError(
            `Unable to execute API command ${name.toLowerCase()} due to missing parameter ${required}`,
          );
        }
      }
      const context: CommandContext = {
        command: name,
        params,
        httpMethod: request.method,
        account,
        cloud,
        jobs,
        settings: resolved,
      };
      return render(responseNameOf(name), spec.handle(context), type, cloud.clock.now());
    } catch (error) {
      return failure(error, command, type);
    }
  }

  function failure(error: unknown, command: string | undefined, type: ResponseType): SimResponse {
    const apiError =
      error instanceof CloudStackApiError
        ? error
        : new CloudStackApiError(API_ERROR.INTERNAL_ERROR, USER_ERROR_MESSAGE, CS_ERROR.ServerApiException);
    // ApiServer names the envelope after the command when it knows it, except for 432.
    const name =
      command !== undefined &&
      commandSpec(command) !== undefined &&
      apiError.errorCode !== API_ERROR.UNSUPPORTED_ACTION_ERROR
        ? responseNameOf(command)
        : 'errorresponse';
    return renderError(name, apiError, type, cloud.clock.now());
  }

  return {
    operationOf(request) {
      return commandOf(readParams(request)) ?? 'unknown';
    },
    handle,
    errorResponse(status, message) {
      return renderError(
        'errorresponse',
        new CloudStackApiError(status, message, CS_ERROR.ServerApiException),
        'json',
        cloud.clock.now(),
      );
    },
  };
}

function plain(status: number, text: string): SimResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: text };
}
