/**
 * The normalized VM states every connector maps its cloud's native states onto (DESIGN.md §3).
 * The native state is always kept next to the normalized one, so nothing is lost by mapping.
 */
export const VM_STATES = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'terminating',
  'terminated',
  'error',
  'unknown',
] as const;

export type VmState = (typeof VM_STATES)[number];

/**
 * A connector's native → normalized state table. Keys are the cloud's raw state strings; matching
 * is exact first, then case-insensitive, because clouds are not consistent about case.
 */
export type StateTable = Readonly<Record<string, VmState>>;

const KNOWN_STATES: ReadonlySet<string> = new Set(VM_STATES);

export function isVmState(value: unknown): value is VmState {
  return typeof value === 'string' && KNOWN_STATES.has(value);
}

/**
 * Maps a native state through a table. A state the table does not know is `unknown`, never an
 * exception: clouds add states over time, and a VM in a new state must still be listed.
 */
export function mapState(table: StateTable, raw: string | number | null | undefined): VmState {
  if (raw === null || raw === undefined) return 'unknown';
  const key = String(raw);
  if (Object.hasOwn(table, key)) return table[key] ?? 'unknown';
  const lower = key.toLowerCase();
  for (const [native, state] of Object.entries(table)) {
    if (native.toLowerCase() === lower) return state;
  }
  return 'unknown';
}
