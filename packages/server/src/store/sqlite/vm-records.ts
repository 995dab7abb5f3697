import { randomUUID } from 'node:crypto';
import { ServerError } from '../../errors.js';
import {
  checkState,
  leaseMs,
  requireText,
  toJson,
  VM_SUMMARY_COLUMNS,
  type VmRow,
  type VmSummaryValues,
  vmFromRow,
  vmSummaryFromValues,
} from '../rows.js';
import type {
  JsonObject,
  LaunchClaim,
  LeaseRequest,
  NewVmRecord,
  VmRecord,
  VmRecordFilter,
  VmRecordPatch,
  VmRecordStore,
  VmRecordSummary,
} from '../types.js';
import type { SqliteContext } from './context.js';
import { forUser } from './users.js';

export class SqliteVmRecordStore implements VmRecordStore {
  constructor(private readonly context: SqliteContext) {}

  createVmRecord(input: NewVmRecord): Promise<{ record: VmRecord; created: boolean }> {
    return this.context.run(() => {
      const requestJson = toJson(input.request, 'The launch request');
      if (typeof input.request !== 'object' || input.request === null || Array.isArray(input.request)) {
        throw new ServerError('INVALID_REQUEST', 'The launch request must be a JSON object.');
      }
      const now = this.context.timestamp();
      const record: VmRecord = {
        id: randomUUID(),
        ownerId: input.ownerId,
        instance: requireText(input.instance, 'The instance name'),
        idempotencyKey: requireText(input.idempotencyKey, 'The idempotency key'),
        ...(input.cloudId !== undefined ? { cloudId: input.cloudId } : {}),
        ...(input.account !== undefined ? { account: input.account } : {}),
        name: requireText(input.name, 'The VM name'),
        state: checkState(input.state ?? 'launching'),
        request: JSON.parse(requestJson) as JsonObject,
        createdAt: now,
        updatedAt: now,
      };
      const lease = this.leaseColumns(record.state, input.lease);
      if (lease[0] !== null) {
        Object.assign(record, {
          lease: { owner: lease[0], expiresAt: new Date(lease[1] as number).toISOString() },
        });
      }
      // ON CONFLICT DO NOTHING keeps this one statement, so two concurrent retries cannot both insert.
      const inserted = forUser(input.ownerId, () =>
        this.context.db
          .prepare(
            `INSERT INTO vm_records (id, owner_id, instance, idempotency_key, cloud_id, account, name, state,
               request_json, error_json, lease_owner, lease_until, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
             ON CONFLICT (owner_id, instance, idempotency_key) DO NOTHING`,
          )
          .run(
            record.id,
            record.ownerId,
            record.instance,
            record.idempotencyKey,
            record.cloudId ?? null,
            record.account ?? null,
            record.name,
            record.state,
            requestJson,
            ...lease,
            now,
            now,
          ),
      );
      if (inserted.changes > 0) return { record, created: true };
      const existing = this.readByKey(record.ownerId, record.instance, record.idempotencyKey) as VmRecord;
      return { record: existing, created: false };
    });
  }

  /** The lease columns of a record in `state`: only a `launching` record holds a lease. */
  private leaseColumns(
    state: string,
    lease: LeaseRequest | null | undefined,
  ): [string | null, number | null] {
    if (state !== 'launching' || lease == null) return [null, null];
    return [requireText(lease.owner, 'The lease owner'), this.context.nowMs() + leaseMs(lease.ms)];
  }

  private readByKey(ownerId: string, instance: string, idempotencyKey: string): VmRecord | undefined {
    const row = this.context.db
      .prepare('SELECT * FROM vm_records WHERE owner_id = ? AND instance = ? AND idempotency_key = ?')
      .get(ownerId, instance, idempotencyKey) as VmRow | undefined;
    return row && vmFromRow(row);
  }

  private readById(id: string): VmRow | undefined {
    return this.context.db.prepare('SELECT * FROM vm_records WHERE id = ?').get(id) as VmRow | undefined;
  }

  getVmRecord(id: string): Promise<VmRecord | undefined> {
    return this.context.run(() => {
      const row = this.readById(id);
      return row && vmFromRow(row);
    });
  }

  findVmRecord(ownerId: string, instance: string, idempotencyKey: string): Promise<VmRecord | undefined> {
    return this.context.run(() => this.readByKey(ownerId, instance, idempotencyKey));
  }

  listVmRecords(filter: VmRecordFilter = {}): Promise<VmRecord[]> {
    return this.context.run(() =>
      (this.select('*', filter, ' ORDER BY created_at, id') as VmRow[]).map(vmFromRow),
    );
  }

  listVmRecordSummaries(filter: VmRecordFilter = {}): Promise<VmRecordSummary[]> {
    // Rows as arrays rather than objects, and no ORDER BY: a listing reads thousands of rows.
    return this.context.run(() =>
      (this.select(VM_SUMMARY_COLUMNS, filter, '', true) as VmSummaryValues[]).map(vmSummaryFromValues),
    );
  }

  /** The `columns` of the records `filter` selects, in `order`; each row an array when `raw`. */
  private select(columns: string, filter: VmRecordFilter, order: string, raw = false): unknown[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.ownerId !== undefined) {
      where.push('owner_id = ?');
      args.push(filter.ownerId);
    }
    if (filter.instance !== undefined) {
      where.push('instance = ?');
      args.push(filter.instance);
    }
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return [];
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      args.push(...filter.states.map(checkState));
    }
    const sql = `SELECT ${columns} FROM vm_records${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order}`;
    return this.context.db
      .prepare(sql)
      .raw(raw)
      .all(...args);
  }

  updateVmRecord(id: string, patch: VmRecordPatch): Promise<VmRecord> {
    return this.context.run(() => {
      const row = this.readById(id);
      if (row === undefined) {
        throw new ServerError(
          'NOT_FOUND',
          `There is no VM record with id ${id}; list the VM records to find it.`,
        );
      }
      const state = patch.state === undefined ? row.state : checkState(patch.state);
      const name = patch.name === undefined ? row.name : requireText(patch.name, 'The VM name');
      const cloudId = patch.cloudId === undefined ? row.cloud_id : patch.cloudId;
      const account = patch.account === undefined ? row.account : patch.account;
      const [leaseOwner, leaseUntil] =
        patch.lease === undefined && state === 'launching'
          ? [row.lease_owner, row.lease_until]
          : this.leaseColumns(state, patch.lease);
      const errorJson =
        patch.error === undefined
          ? row.error_json
          : patch.error === null
            ? null
            : toJson(
                { code: String(patch.error.code), message: String(patch.error.message) },
                'The VM error',
              );
      this.context.db
        .prepare(
          `UPDATE vm_records SET state = ?, name = ?, cloud_id = ?, account = ?, error_json = ?,
             lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?`,
        )
        .run(state, name, cloudId, account, errorJson, leaseOwner, leaseUntil, this.context.timestamp(), id);
      return vmFromRow(this.readById(id) as VmRow);
    });
  }

  deleteVmRecord(id: string): Promise<boolean> {
    return this.context.run(
      () => this.context.db.prepare('DELETE FROM vm_records WHERE id = ?').run(id).changes > 0,
    );
  }

  renewLaunchLeases(owner: string, ids: readonly string[], ms: number): Promise<string[]> {
    return this.context.run(() => {
      if (ids.length === 0) return [];
      const until = this.context.nowMs() + leaseMs(ms);
      const rows = this.context.db
        .prepare(
          `UPDATE vm_records SET lease_until = ? WHERE lease_owner = ? AND state = 'launching'
             AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
        )
        .all(until, owner, JSON.stringify(ids)) as { id: string }[];
      return rows.map((row) => row.id);
    });
  }

  claimLaunches(claim: LaunchClaim): Promise<VmRecord[]> {
    return this.context.run(() => {
      const owner = requireText(claim.owner, 'The lease owner');
      const now = this.context.nowMs();
      const until = now + leaseMs(claim.ms);
      if (claim.instances.length === 0 || claim.limit <= 0) return [];
      // One statement: the write lock it takes keeps another process from claiming the same rows.
      const rows = this.context.db
        .prepare(
          `UPDATE vm_records SET lease_owner = ?, lease_until = ? WHERE id IN (
             SELECT id FROM vm_records WHERE state = 'launching' AND (lease_until IS NULL OR lease_until <= ?)
               AND instance IN (SELECT value FROM json_each(?))
               AND (? IS NULL OR id IN (SELECT value FROM json_each(?))) ORDER BY created_at, id LIMIT ?)
           RETURNING *`,
        )
        .all(
          owner,
          until,
          now,
          JSON.stringify(claim.instances),
          ...Array(2).fill(claim.ids === undefined ? null : JSON.stringify(claim.ids)),
          Math.trunc(claim.limit),
        ) as VmRow[];
      return rows
        .map(vmFromRow)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    });
  }
}
