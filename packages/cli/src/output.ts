import type { CommandIo } from './command.js';

/**
 * What commands write: text for people (coloured only on a terminal without NO_COLOR), one JSON
 * document for scripts, and a progress line for long work.
 */

type Stream = CommandIo['stdout'];

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] } as const;
export type Style = keyof typeof CODES;

/** https://no-color.org: NO_COLOR present and not empty disables colour. */
export function colourEnabled(stream: Stream, env: CommandIo['env']): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export type Paint = (style: Style, text: string) => string;

export function painter(stream: Stream, env: CommandIo['env']): Paint {
  if (!colourEnabled(stream, env)) return (_style, text) => text;
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}

export function writeJson(io: CommandIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned columns, for tables of names and versions. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface Progress {
  /** Ends the progress display with a final line. */
  done(message: string): void;
  /** Ends the progress display without a line (the caller reports the failure). */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A spinner on a terminal; elsewhere (CI logs, pipes) one plain line, since carriage returns
 * would only clutter a log. Written to stderr so stdout keeps only the result.
 */
export function startProgress(io: CommandIo, message: string): Progress {
  const stream = io.stderr;
  if (stream.isTTY !== true) {
    stream.write(`${message}...\n`);
    return { done: (text) => stream.write(`${text}\n`), stop: () => undefined };
  }
  let frame = 0;
  const draw = (): void => {
    stream.write(`\r${FRAMES[frame % FRAMES.length]} ${message}`);
    frame++;
  };
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  const clear = (): void => {
    clearInterval(timer);
    stream.write('\r\u001b[2K');
  };
  return {
    done(text) {
      clear();
      stream.write(`${text}\n`);
    },
    stop: clear,
  };
}
