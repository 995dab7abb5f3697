/**
 * How oned refuses a call. Two layers, as on a real front-end:
 *
 * - An XML-RPC fault (`<fault>` with faultCode and faultString) comes from xmlrpc-c, the library
 *   oned serves XML-RPC with, before oned sees the call: a body that is not a methodCall (-503), a
 *   method nobody registered (-506), an argument missing or of the wrong type (-501).
 * - Everything oned itself refuses is a normal answer whose first value is false:
 *   `[false, "[method] message", code, id of the object at fault, replication index]`, with oned's
 *   error codes below and its message texts.
 */

/** oned's error codes (Request::ErrorCode), the third value of a failed answer. */
export const OPENNEBULA_ERROR_CODES = Object.freeze({
  AUTHENTICATION: 0x100,
  AUTHORIZATION: 0x200,
  NO_EXISTS: 0x400,
  ACTION: 0x800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
  LOCKED: 0x8000,
} as const);

export type OpenNebulaErrorCode = (typeof OPENNEBULA_ERROR_CODES)[keyof typeof OPENNEBULA_ERROR_CODES];

/** xmlrpc-c's fault codes (XMLRPC_TYPE_ERROR, XMLRPC_PARSE_ERROR, XMLRPC_NO_SUCH_METHOD_ERROR). */
export const XMLRPC_FAULTS = Object.freeze({ TYPE: -501, PARSE: -503, NO_SUCH_METHOD: -506 } as const);

/** A refusal oned answers as `[false, "[method] message", code, respId, -1]`. */
export class OpenNebulaError extends Error {
  readonly code: OpenNebulaErrorCode;
  /** The id of the object at fault; -1 when none (oned's att.resp_id). */
  readonly respId: number;

  constructor(code: OpenNebulaErrorCode, message: string, respId = -1) {
    super(message);
    this.name = 'OpenNebulaError';
    this.code = code;
    this.respId = respId;
  }
}

/** A fault raised by the XML-RPC layer rather than by oned. */
export class XmlRpcFault extends Error {
  readonly faultCode: number;

  constructor(faultCode: number, faultString: string) {
    super(faultString);
    this.name = 'XmlRpcFault';
    this.faultCode = faultCode;
  }
}

/** The object names oned's messages use (Request::object_name). */
export type ObjectName = 'virtual machine' | 'virtual machine template' | 'virtual network' | 'user';

/** What oned's authorization manager names an object type in "Not authorized to perform …". */
export type AuthType = 'VM' | 'TEMPLATE' | 'NET' | 'USER' | 'IMAGE';
export type AuthOperation = 'USE' | 'MANAGE' | 'ADMIN' | 'CREATE';

export function authenticationFailed(): OpenNebulaError {
  return new OpenNebulaError(
    OPENNEBULA_ERROR_CODES.AUTHENTICATION,
    "User couldn't be authenticated, aborting call.",
  );
}

export function noSuchObject(object: ObjectName, id: number): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.NO_EXISTS, `Error getting ${object} [${id}].`, id);
}

/** oned puts the authorization manager's reason after "User [uid] : ". */
function refusedTo(uid: number, reason: string): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.AUTHORIZATION, `User [${uid}] : ${reason}.`);
}

export function notAuthorized(
  uid: number,
  operation: AuthOperation,
  type: AuthType,
  id: number,
): OpenNebulaError {
  return refusedTo(uid, `Not authorized to perform ${operation} ${type} [${id}]`);
}

/** The user quota refusal: Quota::check_quota's text, prefixed by the owner as oned does. */
export function vmQuotaExceeded(uid: number, limit: number): OpenNebulaError {
  return refusedTo(uid, `user [${uid}] limit of ${limit} reached for VMS quota in VM`);
}

export function allocationFailed(object: ObjectName, reason: string): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.ALLOCATE, `Error allocating a new ${object}. ${reason}`);
}

export function actionFailed(message: string, respId = -1): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.ACTION, message, respId);
}

export function internalError(message: string): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.INTERNAL, message);
}

export function apiError(message: string): OpenNebulaError {
  return new OpenNebulaError(OPENNEBULA_ERROR_CODES.XML_RPC_API, message);
}
