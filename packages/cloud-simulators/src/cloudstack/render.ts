import type { SimResponse } from '../server/frontend.js';
import type { CloudStackApiError } from './errors.js';
import type { ApiParams } from './params.js';

/**
 * Response envelopes. Every answer is one object named after the command (`listzonesresponse`),
 * serialized as JSON when the request says `response=json` and as XML otherwise — XML is
 * CloudStack's default. The XML is the same tree: arrays become repeated elements named by their
 * key, as ApiResponseSerializer writes them.
 */

/** The version a real management server reports; listCapabilities and the XML root show it. */
export const CLOUDSTACK_VERSION = '4.19.1.0';

export type ResponseType = 'json' | 'xml';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `response=json` (any case) means JSON; anything else, or nothing, means XML. */
export function responseTypeOf(params: ApiParams): ResponseType {
  return params.raw.get('response')?.toLowerCase() === 'json' ? 'json' : 'xml';
}

/** The envelope name of a command's answer: `listVirtualMachines` → `listvirtualmachinesresponse`. */
export function responseNameOf(command: string): string {
  return `${command.toLowerCase()}response`;
}

/** HTTP-date of the simulated cloud's clock, so that clients reading `Date` see the cloud's time. */
function dateHeader(now: number): string {
  return new Date(now).toUTCString();
}

export function render(
  name: string,
  body: JsonObject,
  type: ResponseType,
  now: number,
  status = 200,
): SimResponse {
  if (type === 'json') {
    return {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8', date: dateHeader(now) },
      body: JSON.stringify({ [name]: body }),
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml; charset=UTF-8', date: dateHeader(now) },
    body: `<?xml version="1.0" encoding="UTF-8"?>${element(name, body, ` cloud-stack-version="${CLOUDSTACK_VERSION}"`)}`,
  };
}

/**
 * CloudStack's error envelope: `uuidList`, `errorcode`, `cserrorcode` (omitted when the error has
 * none, as for the 401 of a failed signature check) and `errortext`; the HTTP status is the
 * errorcode.
 */
export function renderError(
  name: string,
  error: CloudStackApiError,
  type: ResponseType,
  now: number,
): SimResponse {
  const body: JsonObject = { uuidList: [], errorcode: error.errorCode };
  if (error.csErrorCode !== undefined) body.cserrorcode = error.csErrorCode;
  body.errortext = error.message;
  return render(name, body, type, now, error.errorCode);
}

function element(name: string, value: JsonValue, attributes = ''): string {
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (value === null) return '';
  if (typeof value === 'object') {
    const children = Object.entries(value)
      .map(([key, child]) => element(key, child))
      .join('');
    return `<${name}${attributes}>${children}</${name}>`;
  }
  return `<${name}${attributes}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
