/**
 * How the demo shows its VMs' states: on a terminal, one table redrawn in place as states change;
 * anywhere else (a pipe, a log file, a test), one plain line per change, so the output reads top to
 * bottom without escape codes.
 */

export interface VmRow {
  readonly instance: string;
  readonly cloud: string;
  /** `launching`, a normalized VM state (`pending`, `running`...), or `failed`. */
  readonly state: string;
  readonly vmId: string;
  readonly addresses: string;
}

export interface StateDisplay {
  /** Shows the rows; on a terminal redraws the table, otherwise prints the rows that changed. */
  update(rows: readonly VmRow[]): void;
}

export interface DisplayTarget {
  readonly write: (text: string) => void;
  /** Redraw in place (a terminal) or print changes as lines. */
  readonly tty: boolean;
  /** ANSI colours: only on a terminal and when NO_COLOR is unset. */
  readonly colour: boolean;
}

const COLUMNS = ['INSTANCE', 'CLOUD', 'STATE', 'VM', 'ADDRESSES'] as const;

const COLOURS: Readonly<Record<string, string>> = {
  running: '32',
  launching: '33',
  pending: '33',
  failed: '31',
  error: '31',
};

/** Whether colour may be used on a stream (https://no-color.org: any non-empty NO_COLOR disables it). */
export function useColour(
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

export function paint(text: string, state: string, colour: boolean): string {
  const code = COLOURS[state];
  return colour && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** The table's lines, columns padded on the plain text so colour codes do not skew them. */
export function renderTable(rows: readonly VmRow[], colour: boolean): string[] {
  const cells = rows.map((row) => [
    row.instance,
    row.cloud,
    row.state,
    row.vmId || '-',
    row.addresses || '-',
  ]);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const line = (values: readonly string[], state?: string): string =>
    values
      .map((value, column) => {
        const padded = column === values.length - 1 ? value : value.padEnd(widths[column] ?? 0);
        return column === 2 && state !== undefined ? paint(padded, state, colour) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...cells.map((values, index) => line(values, rows[index]?.state))];
}

export function createStateDisplay(target: DisplayTarget, now: () => number = Date.now): StateDisplay {
  const started = now();
  let drawn = 0;
  let previous = '';
  const last = new Map<string, string>();
  return {
    update(rows) {
      if (target.tty) {
        // Cursor up over the previous table, clear to the end of the screen, draw again.
        const lines = renderTable(rows, target.colour);
        const table = lines.map((text) => `  ${text}\n`).join('');
        if (table === previous) return;
        const erase = drawn > 0 ? `\u001b[${drawn}A\u001b[J` : '';
        target.write(`${erase}${table}`);
        drawn = lines.length;
        previous = table;
        return;
      }
      const seconds = `${((now() - started) / 1000).toFixed(1)}s`.padStart(6);
      const width = Math.max(...rows.map((row) => row.instance.length));
      for (const row of rows) {
        const shown = `${row.state} ${row.vmId} ${row.addresses}`;
        if (last.get(row.instance) === shown) continue;
        last.set(row.instance, shown);
        const where = [row.vmId, row.addresses].filter((part) => part !== '').join(' at ');
        target.write(
          `  ${seconds}  ${row.instance.padEnd(width)}  ${row.state}${where ? `  ${where}` : ''}\n`,
        );
      }
    },
  };
}
