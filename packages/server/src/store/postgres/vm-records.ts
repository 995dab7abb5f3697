import { randomUUID } from 'node:crypto';
import { ServerError } from '../../errors.js';
import {
  checkState,
  leaseMs,
  requireText,
  toJson,
  VM_SUMMARY_COLUMNS,
  type VmRow,
  type VmSummaryRow,
  vmFromRow,
  vmSummaryFromRow,
} from '../rows.js';
import type {
  LaunchClaim,
  LaunchLeaseStore,
  LeaseRequest,
  NewVmRecord,
  VmRecord,
  VmRecordFilter,
  VmRecordPatch,
  VmRecordStore,
  VmRecordSummary,
} from '../types.js';
import { NOW_MS, type PgContext } from './context.js';
import { forUser } from './users.js';

const ORDER = 'ORDER BY created_at, id COLLATE "C"';

export class PgVmRecordStore implements VmRecordStore, LaunchLeaseStore {
  constructor(private readonly context: PgContext) {}

  async createVmRecord(input: NewVmRecord): Promise<{ record: VmRecord; created: boolean }> {
    const requestJson = toJson(input.request, 'The launch request');
    if (typeof input.request !== 'object' || input.request === null || Array.isArray(input.request)) {
      throw new ServerError('INVALID_REQUEST', 'The launch request must be a JSON object.');
    }
    const state = checkState(input.state ?? 'launching');
    const lease = leaseOf(state, input.lease);
    const now = this.context.timestamp();
    // ON CONFLICT DO NOTHING keeps this one statement, so two concurrent retries cannot both insert.
    const [row] = await forUser(input.ownerId, () =>
      this.context.query<VmRow>(
        `INSERT INTO vm_records (id, owner_id, instance, idempotency_key, cloud_id, account, name, state,
           request_json, error_json, lease_owner, lease_until, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, ${NOW_MS} + $11::bigint, $12, $12)
         ON CONFLICT (owner_id, instance, idempotency_key) DO NOTHING RETURNING *`,
        [
          randomUUID(),
          input.ownerId,
          requireText(input.instance, 'The instance name'),
          requireText(input.idempotencyKey, 'The idempotency key'),
          input.cloudId ?? null,
          input.account ?? null,
          requireText(input.name, 'The VM name'),
          state,
          requestJson,
          lease.owner,
          lease.ms,
          now,
        ],
      ),
    );
    if (row !== undefined) return { record: vmFromRow(row), created: true };
    const existing = await this.findVmRecord(input.ownerId, input.instance, input.idempotencyKey);
    return { record: existing as VmRecord, created: false };
  }

  async getVmRecord(id: string): Promise<VmRecord | undefined> {
    const [row] = await this.context.query<VmRow>('SELECT * FROM vm_records WHERE id = $1', [id]);
    return row && vmFromRow(row);
  }

  async findVmRecord(
    ownerId: string,
    instance: string,
    idempotencyKey: string,
  ): Promise<VmRecord | undefined> {
    const [row] = await this.context.query<VmRow>(
      'SELECT * FROM vm_records WHERE owner_id = $1 AND instance = $2 AND idempotency_key = $3',
      [ownerId, instance, idempotencyKey],
    );
    return row && vmFromRow(row);
  }

  async listVmRecords(filter: VmRecordFilter = {}): Promise<VmRecord[]> {
    return (await this.select<VmRow>('*', filter, ` ${ORDER}`)).map(vmFromRow);
  }

  async listVmRecordSummaries(filter: VmRecordFilter = {}): Promise<VmRecordSummary[]> {
    // No ORDER BY: a listing reads thousands of rows, and orders them its own way.
    return (await this.select<VmSummaryRow>(VM_SUMMARY_COLUMNS, filter, '')).map(vmSummaryFromRow);
  }

  /** The `columns` of the records `filter` selects, in `order`. */
  private async select<R>(columns: string, filter: VmRecordFilter, order: string): Promise<R[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.ownerId !== undefined) {
      args.push(filter.ownerId);
      where.push(`owner_id = $${args.length}`);
    }
    if (filter.instance !== undefined) {
      args.push(filter.instance);
      where.push(`instance = $${args.length}`);
    }
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return [];
      args.push(filter.states.map(checkState));
      where.push(`state = ANY($${args.length}::text[])`);
    }
    return this.context.query<R>(
      `SELECT ${columns} FROM vm_records${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order}`,
      args,
    );
  }

  async updateVmRecord(id: string, patch: VmRecordPatch): Promise<VmRecord> {
    const state = patch.state === undefined ? undefined : checkState(patch.state);
    const name = patch.name === undefined ? undefined : requireText(patch.name, 'The VM name');
    const errorJson =
      patch.error == null
        ? null
        : toJson({ code: String(patch.error.code), message: String(patch.error.message) }, 'The VM error');
    const lease = patch.lease == null ? { owner: null, ms: null } : leaseOf('launching', patch.lease);
    // Each optional column keeps its value unless the patch names it ($n::boolean says whether it does);
    // a record leaving `launching` drops its lease.
    const [row] = await this.context.query<VmRow>(
      `UPDATE vm_records SET
         state = COALESCE($2, state),
         name = COALESCE($3, name),
         cloud_id = CASE WHEN $4::boolean THEN $5 ELSE cloud_id END,
         account = CASE WHEN $6::boolean THEN $7 ELSE account END,
         error_json = CASE WHEN $8::boolean THEN $9 ELSE error_json END,
         lease_owner = CASE WHEN COALESCE($2, state) <> 'launching' THEN NULL
           WHEN $10::boolean THEN $11 ELSE lease_owner END,
         lease_until = CASE WHEN COALESCE($2, state) <> 'launching' THEN NULL
           WHEN $10::boolean THEN ${NOW_MS} + $12::bigint ELSE lease_until END,
         updated_at = $13
       WHERE id = $1 RETURNING *`,
      [
        id,
        state ?? null,
        name ?? null,
        patch.cloudId !== undefined,
        patch.cloudId ?? null,
        patch.account !== undefined,
        patch.account ?? null,
        patch.error !== undefined,
        errorJson,
        patch.lease !== undefined,
        lease.owner,
        lease.ms,
        this.context.timestamp(),
      ],
    );
    if (row === undefined) {
      throw new ServerError(
        'NOT_FOUND',
        `There is no VM record with id ${id}; list the VM records to find it.`,
      );
    }
    return vmFromRow(row);
  }

  async deleteVmRecord(id: string): Promise<boolean> {
    return (await this.context.execute('DELETE FROM vm_records WHERE id = $1', [id])) > 0;
  }

  async renewLaunchLeases(owner: string, ids: readonly string[], ms: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.context.query<{ id: string }>(
      `UPDATE vm_records SET lease_until = ${NOW_MS} + $1::bigint
         WHERE lease_owner = $2 AND state = 'launching' AND id = ANY($3::text[]) RETURNING id`,
      [leaseMs(ms), owner, [...ids]],
    );
    return rows.map((row) => row.id);
  }

  async claimLaunches(claim: LaunchClaim): Promise<VmRecord[]> {
    const owner = requireText(claim.owner, 'The lease owner');
    const ms = leaseMs(claim.ms);
    if (claim.instances.length === 0 || claim.limit <= 0) return [];
    // SKIP LOCKED: replicas claiming at once each take other rows instead of waiting for one another.
    const rows = await this.context.query<VmRow>(
      `UPDATE vm_records SET lease_owner = $1, lease_until = ${NOW_MS} + $2::bigint WHERE id IN (
         SELECT id FROM vm_records WHERE state = 'launching'
           AND (lease_until IS NULL OR lease_until <= ${NOW_MS}) AND instance = ANY($3::text[])
           AND ($5::text[] IS NULL OR id = ANY($5::text[]))
           ${ORDER} LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [
        owner,
        ms,
        [...claim.instances],
        Math.trunc(claim.limit),
        claim.ids === undefined ? null : [...claim.ids],
      ],
    );
    return rows
      .map(vmFromRow)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

/** The lease columns of a record in `state`: only a `launching` record holds a lease. */
function leaseOf(
  state: string,
  lease: LeaseRequest | undefined,
): { owner: string | null; ms: number | null } {
  if (state !== 'launching' || lease === undefined) return { owner: null, ms: null };
  return { owner: requireText(lease.owner, 'The lease owner'), ms: leaseMs(lease.ms) };
}
