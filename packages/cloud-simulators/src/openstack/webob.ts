import type { IncomingHttpHeaders } from 'node:http';
import type { SimResponse } from '../server/frontend.js';
import { header, requestIdHeaders } from './http.js';

/**
 * The error pages of Python's WebOb (1.8), which Glance and Nova's router answer with: the
 * representation follows the Accept header as `webob.exc.WSGIHTTPException` chooses it, HTML when
 * the client accepts `html` or anything, JSON when it names only `application/json`, plain text
 * otherwise.
 */

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** WebOb's default explanation of a status, used when the service gives none. */
const DEFAULT_EXPLANATIONS: Readonly<Record<number, string>> = {
  404: 'The resource could not be found.',
  405: 'The method is not allowed for this resource.',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

export function webobError(
  status: number,
  explanation: string | undefined,
  requestHeaders: IncomingHttpHeaders,
  extraHeaders: Readonly<Record<string, string>> = {},
): SimResponse {
  const title = statusTitle(status);
  const line = `${status} ${title}`;
  const text = explanation ?? DEFAULT_EXPLANATIONS[status] ?? '';
  const accept = header(requestHeaders, 'accept') ?? '';
  const headers = { ...requestIdHeaders(), ...extraHeaders };
  if (accept.includes('html') || accept.includes('*/*')) {
    return {
      status,
      headers: { ...headers, 'content-type': 'text/html; charset=UTF-8' },
      body: `<html>\n <head>\n  <title>${line}</title>\n </head>\n <body>\n  <h1>${line}</h1>\n  ${escapeHtml(text)}<br /><br />\n\n\n\n </body>\n</html>`,
    };
  }
  if (accept.includes('application/json')) {
    return {
      status,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ message: `${text}<br /><br />\n\n\n`, code: line, title }),
    };
  }
  return {
    status,
    headers: { ...headers, 'content-type': 'text/plain; charset=UTF-8' },
    body: `${line}\n\n${text}\n\n   `,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
