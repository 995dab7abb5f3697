import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { errorCodeForStatus, HTTP_STATUS_MEANINGS, statusMeaning } from './http-status.js';

describe('the status table', () => {
  it("says of each status exactly what its code's retryability says", () => {
    for (const [status, meaning] of Object.entries(HTTP_STATUS_MEANINGS)) {
      expect(new ConnectorError(meaning.code, 'x').retryable, `status ${status}`).toBe(meaning.retryable);
      // The transport repeating a request on a status the caller may not retry would be incoherent.
      if (meaning.transportRetries !== 'none') expect(meaning.retryable, `status ${status}`).toBe(true);
    }
  });

  it('gives unlisted statuses their class: redirects CLOUD_ERROR, 4xx INVALID_REQUEST, 5xx CLOUD_ERROR', () => {
    expect(statusMeaning(302).code).toBe('CLOUD_ERROR');
    expect(statusMeaning(418).code).toBe('INVALID_REQUEST');
    expect(statusMeaning(599).code).toBe('CLOUD_ERROR');
    expect(statusMeaning(500)).toBe(HTTP_STATUS_MEANINGS[500]);
  });

  it("lets a connector's documented exceptions win over the table, and only for their statuses", () => {
    const exceptions = { 403: 'AUTH_FAILED', 531: 'PERMISSION_DENIED' } as const;
    expect(errorCodeForStatus(403, exceptions)).toBe('AUTH_FAILED');
    expect(errorCodeForStatus(531, exceptions)).toBe('PERMISSION_DENIED');
    expect(errorCodeForStatus(404, exceptions)).toBe('NOT_FOUND');
    expect(errorCodeForStatus(500)).toBe('CLOUD_ERROR');
    expect(errorCodeForStatus(503)).toBe('CLOUD_UNAVAILABLE');
  });
});
