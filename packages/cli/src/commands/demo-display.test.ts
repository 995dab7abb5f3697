import { describe, expect, it } from 'vitest';
import { createStateDisplay, renderTable, useColour, type VmRow } from './demo-display.js';

const row = (instance: string, state: string, vmId = '', addresses = ''): VmRow => ({
  instance,
  cloud: instance === 'local' ? 'Local (in-process)' : 'Apache CloudStack',
  state,
  vmId,
  addresses,
});

function target(
  tty: boolean,
  colour = false,
): { output: string[]; write: (text: string) => void; tty: boolean; colour: boolean } {
  const output: string[] = [];
  return { output, write: (text) => output.push(text), tty, colour };
}

describe('the demo state display', () => {
  it('prints one plain line per change, with the time since it started, when not on a terminal', () => {
    let now = 1000;
    const out = target(false);
    const display = createStateDisplay(out, () => now);
    display.update([row('local', 'pending', 'vm-1', '10.0.0.1'), row('cloudstack', 'launching')]);
    now = 1500;
    display.update([row('local', 'pending', 'vm-1', '10.0.0.1'), row('cloudstack', 'launching')]);
    now = 3250;
    display.update([row('local', 'running', 'vm-1', '10.0.0.1'), row('cloudstack', 'launching')]);
    expect(out.output.join('')).toBe(
      [
        '    0.0s  local       pending  vm-1 at 10.0.0.1',
        '    0.0s  cloudstack  launching',
        '    2.3s  local       running  vm-1 at 10.0.0.1',
        '',
      ].join('\n'),
    );
  });

  it('redraws the table in place on a terminal, and only when something changed', () => {
    const out = target(true);
    const display = createStateDisplay(out);
    display.update([row('local', 'pending', 'vm-1'), row('cloud2', 'launching')]);
    display.update([row('local', 'pending', 'vm-1'), row('cloud2', 'launching')]);
    display.update([row('local', 'running', 'vm-1'), row('cloud2', 'pending', 'abc')]);
    expect(out.output).toHaveLength(2);
    expect(out.output[0]).not.toContain('\u001b[');
    expect(out.output[0]?.split('\n')[0]).toBe('  INSTANCE  CLOUD               STATE      VM    ADDRESSES');
    // Up over the header and two rows, clear, draw again.
    expect(out.output[1]?.startsWith('\u001b[3A\u001b[J  INSTANCE')).toBe(true);
    expect(out.output[1]).toContain('  local     Local (in-process)  running  vm-1  -\n');
  });

  it('colours states without skewing the columns', () => {
    const [header, running, failed] = renderTable(
      [row('local', 'running', 'vm-1'), row('cloud2', 'failed')],
      true,
    );
    expect(header).toBe('INSTANCE  CLOUD               STATE    VM    ADDRESSES');
    expect(running).toBe('local     Local (in-process)  \u001b[32mrunning\u001b[0m  vm-1  -');
    expect(failed).toBe('cloud2    Apache CloudStack   \u001b[31mfailed \u001b[0m  -     -');
  });

  it('uses colour only on a terminal without NO_COLOR', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // https://no-color.org: an empty NO_COLOR does not count.
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });
});
