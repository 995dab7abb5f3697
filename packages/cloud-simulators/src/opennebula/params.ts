import { XMLRPC_FAULTS, XmlRpcFault } from './errors.js';
import type { XmlRpcValue } from './xmlrpc.js';

/**
 * A call's arguments, read the way oned reads them (xmlrpc-c's paramList getters): by position and
 * type, each read failing with a -501 fault when the argument is missing ("Not enough
 * parameters") or of another type. Arguments beyond those a method reads are ignored, as oned
 * ignores them.
 */
export class Params {
  readonly #values: readonly XmlRpcValue[];

  constructor(values: readonly XmlRpcValue[]) {
    this.#values = values;
  }

  get size(): number {
    return this.#values.length;
  }

  #take(index: number, type: XmlRpcValue['type'], what: string): XmlRpcValue {
    const value = this.#values[index];
    if (value === undefined) throw new XmlRpcFault(XMLRPC_FAULTS.TYPE, 'Not enough parameters');
    if (value.type !== type) {
      throw new XmlRpcFault(XMLRPC_FAULTS.TYPE, `Parameter that is supposed to be ${what} is not`);
    }
    return value;
  }

  /** An `<i4>`/`<int>` argument; an `<i8>` is not one, as for xmlrpc-c. */
  int(index: number): number {
    const value = this.#take(index, 'int', 'integer');
    return Number((value as { text: string }).text);
  }

  string(index: number): string {
    return (this.#take(index, 'string', 'a string') as { text: string }).text;
  }

  boolean(index: number): boolean {
    return (this.#take(index, 'boolean', 'boolean') as { text: string }).text === '1';
  }
}
