import { createHash, randomBytes } from 'node:crypto';
import type { SimCloud } from '../../model/cloud.js';
import type { SimAccount } from '../../model/types.js';

/**
 * Keystone's view of the model: each account is one user with a role on one project, both in one
 * domain. The user's name is the account's key and the password its secret; the project is named
 * after the account. Ids are derived from the account id in Keystone's shape (32 hex digits), so
 * they are stable for the life of the simulator.
 */

export interface Domain {
  readonly id: string;
  readonly name: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
  readonly account: SimAccount;
  /** The one project the user has a role on. */
  readonly project: Project;
}

/** Keystone's default domain, which `keystone-manage bootstrap` creates. */
export const DEFAULT_DOMAIN: Domain = Object.freeze({ id: 'default', name: 'Default' });

/** A reference to a domain, a user or a project in an auth request: by id, or by name. */
export interface NameOrId {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
}

export interface DirectoryOptions {
  /** The domain every user and project is in; default Keystone's `Default`. */
  readonly domain?: Domain | undefined;
  /** The name of an account's project; default the account's name. */
  readonly projectName?: ((account: SimAccount) => string) | undefined;
}

export class IdentityDirectory {
  readonly domain: Domain;
  readonly #cloud: SimCloud;
  readonly #projectName: (account: SimAccount) => string;

  constructor(cloud: SimCloud, options: DirectoryOptions = {}) {
    this.#cloud = cloud;
    this.domain = options.domain ?? DEFAULT_DOMAIN;
    this.#projectName = options.projectName ?? ((account) => account.name);
  }

  /** The user an auth request names (by id, or by name within a domain), if there is one. */
  findUser(user: NameOrId, domain: NameOrId | undefined): User | undefined {
    if (user.id !== undefined) return this.#users().find((candidate) => candidate.id === user.id);
    if (!this.#isOurDomain(domain)) return undefined;
    const account = user.name === undefined ? undefined : this.#cloud.accountByKey(user.name);
    return account ? this.userOf(account) : undefined;
  }

  /** The project a scope names, when it is one the directory holds. */
  findProject(project: NameOrId, domain: NameOrId | undefined): Project | undefined {
    const projects = this.#users().map((user) => user.project);
    if (project.id !== undefined) return projects.find((candidate) => candidate.id === project.id);
    if (!this.#isOurDomain(domain)) return undefined;
    return projects.find((candidate) => candidate.name === project.name);
  }

  userOf(account: SimAccount): User {
    return {
      id: hexId(`user:${account.id}`),
      name: account.key,
      domain: this.domain,
      account,
      project: { id: projectIdOf(account), name: this.#projectName(account), domain: this.domain },
    };
  }

  /** The user whose project has this id (Nova URLs and token scopes carry project ids). */
  userOfProject(projectId: string): User | undefined {
    return this.#users().find((user) => user.project.id === projectId);
  }

  #users(): User[] {
    return this.#cloud.accounts().map((account) => this.userOf(account));
  }

  /** A missing domain is refused by the caller's schema checks; here it only has to match. */
  #isOurDomain(domain: NameOrId | undefined): boolean {
    if (domain === undefined) return false;
    if (domain.id !== undefined) return domain.id === this.domain.id;
    return domain.name === this.domain.name;
  }
}

/** A project id as Keystone makes them (uuid4 hex), derived from the account's UUID. */
export function projectIdOf(account: SimAccount): string {
  return account.id.replace(/-/g, '').toLowerCase();
}

/** A stable 32-hex-digit id for anything named by `seed`. */
export function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/** A fresh random id in Keystone's shape, e.g. an audit id's source. */
export function randomHexId(): string {
  return randomBytes(16).toString('hex');
}
