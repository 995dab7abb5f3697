import { randomUUID } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import { SimError } from '../model/errors.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import { describeAddresses } from './addresses.js';
import { authenticate } from './auth.js';
import {
  describeAvailabilityZones,
  describeImages,
  describeInstanceTypeOfferings,
  describeInstanceTypes,
} from './catalog-actions.js';
import type { ActionHandler, Ec2Context } from './context.js';
import { codeForStatus, Ec2Error, fromSimError } from './errors.js';
import {
  createTags,
  describeInstances,
  runInstances,
  startInstances,
  stopInstances,
  terminateInstances,
} from './instances.js';
import { deleteKeyPair, describeKeyPairs, importKeyPair } from './key-pairs.js';
import { Params } from './params.js';
import { accountNumberOf, Ec2State } from './state.js';
import { EC2_API_VERSION, errorXml, successXml } from './xml.js';

/**
 * The Amazon EC2 Query API (version 2016-11-15) front-end: `Action=…&Version=…` in a POST form
 * body (or a GET query string), Signature Version 4 verified, answers in EC2's XML, errors as
 * `<Response><Errors><Error>` with EC2's codes and statuses.
 */

export const EC2_ACTIONS: Readonly<Record<string, ActionHandler>> = Object.freeze({
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeImages: describeImages,
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
  DescribeInstanceTypes: describeInstanceTypes,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  TerminateInstances: terminateInstances,
  CreateTags: createTags,
  DescribeAddresses: describeAddresses,
});

export interface Ec2FrontEndOptions {
  /** The region this endpoint serves; requests must be signed for it. Default us-east-1. */
  readonly region?: string | undefined;
  /** Session tokens by access key: those keys must present theirs (X-Amz-Security-Token). */
  readonly sessionTokens?: ReadonlyMap<string, string> | undefined;
  /** How long terminated instances stay listed after they are gone; default one hour. */
  readonly terminatedVisibleMs?: number | undefined;
  /** 12-digit account numbers by access key; derived from the account when absent. */
  readonly accountNumbers?: ReadonlyMap<string, string> | undefined;
}

const XML_HEADERS = { 'content-type': 'text/xml;charset=UTF-8', server: 'AmazonEC2' };

export class Ec2FrontEnd implements FrontEnd {
  readonly #cloud: SimCloud;
  readonly #region: string;
  readonly #sessionTokens: ReadonlyMap<string, string>;
  readonly #accountNumbers: ReadonlyMap<string, string>;
  /** EC2's own bookkeeping: reservations, client tokens, terminated instances, key pair ids. */
  readonly state: Ec2State;

  constructor(cloud: SimCloud, options: Ec2FrontEndOptions = {}) {
    this.#cloud = cloud;
    this.#region = options.region ?? 'us-east-1';
    this.#sessionTokens = options.sessionTokens ?? new Map();
    this.#accountNumbers = options.accountNumbers ?? new Map();
    this.state = new Ec2State(cloud, options.terminatedVisibleMs ?? 60 * 60_000);
  }

  get region(): string {
    return this.#region;
  }

  /** The 12-digit number of the account with this access key. */
  accountNumber(key: string): string | undefined {
    const account = this.#cloud.accountByKey(key);
    if (!account) return undefined;
    return this.#accountNumbers.get(key) ?? accountNumberOf(account.id);
  }

  operationOf(request: SimRequest): string {
    return paramsOf(request).get('Action') || 'unknown';
  }

  handle(request: SimRequest): SimResponse {
    const requestId = randomUUID();
    try {
      return this.#handle(request, requestId);
    } catch (error) {
      if (error instanceof Ec2Error) return respondError(error.status, error.code, error.message, requestId);
      if (error instanceof SimError) {
        const mapped = fromSimError(error);
        return respondError(mapped.status, mapped.code, mapped.message, requestId);
      }
      throw error;
    }
  }

  errorResponse(status: number, message: string): SimResponse {
    const { code, message: standard } = codeForStatus(status);
    return respondError(status, code, message.startsWith('Simulated ') ? standard : message, randomUUID());
  }

  /** EC2 throttles with 503 RequestLimitExceeded, without a Retry-After header. */
  throttleResponse(): SimResponse {
    return respondError(503, 'RequestLimitExceeded', 'Request limit exceeded.', randomUUID());
  }

  #handle(request: SimRequest, requestId: string): SimResponse {
    const params = paramsOf(request);
    const account = authenticate(request, {
      cloud: this.#cloud,
      region: this.#region,
      service: 'ec2',
      sessionTokens: this.#sessionTokens,
    });
    const action = params.get('Action');
    if (!action) throw new Ec2Error('MissingAction', 'The request must contain the parameter Action');
    const version = params.get('Version');
    if (!version) throw new Ec2Error('MissingParameter', 'The request must contain the parameter Version');
    if (version !== EC2_API_VERSION) {
      throw new Ec2Error(
        'NoSuchVersion',
        `The requested version (${version}) of service AmazonEC2 does not exist`,
      );
    }
    const handler = Object.hasOwn(EC2_ACTIONS, action) ? EC2_ACTIONS[action] : undefined;
    if (!handler)
      throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
    const context: Ec2Context = {
      cloud: this.#cloud,
      state: this.state,
      account,
      ownerId: this.accountNumber(account.key) as string,
      region: this.#region,
      params,
    };
    if (params.get('DryRun') === 'true') {
      throw new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    const body = handler(context);
    return {
      status: 200,
      headers: { ...XML_HEADERS, 'x-amzn-requestid': requestId },
      body: successXml(action, requestId, body),
    };
  }
}

function respondError(status: number, code: string, message: string, requestId: string): SimResponse {
  return {
    status,
    headers: { ...XML_HEADERS, 'x-amzn-requestid': requestId },
    body: errorXml(code, message, requestId),
  };
}

/** The query string's parameters, then a form body's (EC2 reads both). */
function paramsOf(request: SimRequest): Params {
  const type = request.headers['content-type'];
  const form =
    request.method.toUpperCase() !== 'GET' &&
    (!type || /application\/x-www-form-urlencoded/i.test(String(type)));
  return Params.from(request.url.searchParams, form ? request.body : undefined);
}
