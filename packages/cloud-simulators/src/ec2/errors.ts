import type { SimError } from '../model/errors.js';

/**
 * EC2's error codes and the HTTP statuses EC2 answers them with (the EC2 API reference's "Error
 * codes" page: client errors 4xx, server errors 5xx; authentication failures 401, refused
 * signatures and permissions 403, throttling 503).
 */
export class Ec2Error extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'Ec2Error';
    this.code = code;
    this.status = status;
  }
}

export const AUTH_FAILURE_MESSAGE = 'AWS was not able to validate the provided access credentials';
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const authFailure = (): Ec2Error => new Ec2Error('AuthFailure', AUTH_FAILURE_MESSAGE, 401);
export const invalidParameterValue = (message: string): Ec2Error =>
  new Ec2Error('InvalidParameterValue', message);
export const missingParameter = (name: string): Ec2Error =>
  new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`);

/** The error a status stands for when a fault replaces an answer. */
export function codeForStatus(status: number): { readonly code: string; readonly message: string } {
  switch (status) {
    case 400:
      return { code: 'InvalidParameterValue', message: 'The request is not valid.' };
    case 401:
      return { code: 'AuthFailure', message: AUTH_FAILURE_MESSAGE };
    case 403:
      return { code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' };
    case 429:
    case 503:
      return status === 429
        ? { code: 'RequestLimitExceeded', message: 'Request limit exceeded.' }
        : { code: 'Unavailable', message: "The server is overloaded and can't handle the request." };
    case 500:
      return { code: 'InternalError', message: 'An internal error has occurred.' };
    default:
      return status >= 500
        ? { code: 'InternalError', message: 'An internal error has occurred.' }
        : { code: 'InvalidRequest', message: 'The request is not valid.' };
  }
}

/** The model's refusals in EC2's terms (the front-end checks most things before the model does). */
export function fromSimError(error: SimError): Ec2Error {
  switch (error.kind) {
    case 'quota':
      return new Ec2Error('InstanceLimitExceeded', error.message);
    case 'not-found':
      return new Ec2Error('InvalidParameterValue', error.message);
    case 'invalid':
      return invalidParameterValue(error.message);
    case 'conflict':
      return new Ec2Error('InvalidParameterValue', error.message);
    case 'state':
      return new Ec2Error('IncorrectInstanceState', error.message);
  }
}
