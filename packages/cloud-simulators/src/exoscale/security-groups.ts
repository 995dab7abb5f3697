import { randomUUID } from 'node:crypto';

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

/**
 * Security groups per account. Exoscale gives every organization a `default` group, which is
 * where an instance created without security groups lands. They live in the front-end, not in
 * the shared model, because only Exoscale's protocol speaks of them by id.
 */
export class SecurityGroups {
  readonly #byAccount = new Map<string, SecurityGroup[]>();

  list(account: string): readonly SecurityGroup[] {
    let groups = this.#byAccount.get(account);
    if (!groups) {
      groups = [{ id: randomUUID(), name: 'default', description: 'Default Security Group' }];
      this.#byAccount.set(account, groups);
    }
    return groups;
  }

  get(account: string, id: string): SecurityGroup | undefined {
    return this.list(account).find((group) => group.id === id);
  }

  defaultGroup(account: string): SecurityGroup {
    return this.list(account)[0] as SecurityGroup;
  }

  /** Adds a group (tests and scripts that want more than `default`). */
  add(account: string, name: string, description = ''): SecurityGroup {
    const group = { id: randomUUID(), name, description };
    (this.list(account) as SecurityGroup[]).push(group);
    return group;
  }
}
