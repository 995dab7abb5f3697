/**
 * What the model refuses, in its own terms. Each front-end turns a SimError into its cloud's error
 * envelope and status (CloudStack 431 + cserrorcode, Exoscale 4xx JSON, ...).
 */
export type SimErrorKind = 'not-found' | 'invalid' | 'quota' | 'conflict' | 'state';

export class SimError extends Error {
  readonly kind: SimErrorKind;
  /** The request field the error is about, when it is about one. */
  readonly field: string | undefined;

  constructor(kind: SimErrorKind, message: string, field?: string) {
    super(message);
    this.name = 'SimError';
    this.kind = kind;
    this.field = field;
  }
}
