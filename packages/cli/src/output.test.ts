import { describe, expect, it } from 'vitest';
import { painter, startProgress, table } from './output.js';
import { captureIo } from './testing/io.js';

describe('output', () => {
  it('colours only on a terminal without NO_COLOR', () => {
    const tty = captureIo({ tty: true });
    expect(painter(tty.stdout, {})('red', 'x')).toBe('\u001b[31mx\u001b[39m');
    expect(painter(tty.stdout, { NO_COLOR: '1' })('red', 'x')).toBe('x');
    expect(painter(captureIo().stdout, {})('red', 'x')).toBe('x');
  });

  it('writes plain progress lines off a terminal and a spinner on one', () => {
    const plain = captureIo();
    startProgress(plain, 'Installing x').done('done');
    expect(plain.err()).toBe('Installing x...\ndone\n');
    const tty = captureIo({ tty: true });
    const progress = startProgress(tty, 'Installing x');
    progress.stop();
    expect(tty.err()).toMatch(/^\r\S Installing x/);
    expect(tty.err().endsWith('\r\u001b[2K')).toBe(true);
  });

  it('aligns columns', () => {
    expect(
      table([
        ['a', 'bb', 'c'],
        ['ccc', 'd', 'e'],
      ]),
    ).toBe('a    bb  c\nccc  d   e');
  });
});
