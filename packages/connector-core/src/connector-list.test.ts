import { describe, expect, it } from 'vitest';
import { formatConnectorList, inspectConnectorList, parseConnectorList } from './connector-list.js';
import { ConnectorError } from './errors.js';

function problemsOf(value: string): ConnectorError['problems'] {
  try {
    parseConnectorList(value);
  } catch (error) {
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    return (error as ConnectorError).problems;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('parseConnectorList', () => {
  it("reads SEED.md's example list: CloudStack twice, OpenStack once", () => {
    expect(parseConnectorList('cloudstack,cloud2:cloudstack,cloud9:openstack')).toEqual([
      { instance: 'cloudstack', connector: 'cloudstack' },
      { instance: 'cloud2', connector: 'cloudstack' },
      { instance: 'cloud9', connector: 'openstack' },
    ]);
  });

  it('ignores whitespace around tokens and lowercases connector names only', () => {
    expect(parseConnectorList('  CloudStack ,\tcloud2 : CLOUDSTACK ,\n cloud9:OpenStack  ')).toEqual([
      { instance: 'cloudstack', connector: 'cloudstack' },
      { instance: 'cloud2', connector: 'cloudstack' },
      { instance: 'cloud9', connector: 'openstack' },
    ]);
  });

  it('keeps input order', () => {
    expect(parseConnectorList('b:local,a:local,c:aws').map((e) => e.instance)).toEqual(['b', 'a', 'c']);
  });

  it('accepts kebab-case instance names with digits', () => {
    expect(parseConnectorList('eu-west-2:aws,zone-1a:exoscale')).toEqual([
      { instance: 'eu-west-2', connector: 'aws' },
      { instance: 'zone-1a', connector: 'exoscale' },
    ]);
  });

  it.each(['', '   ', '\n\t'])('treats %j as an empty list', (value) => {
    expect(parseConnectorList(value)).toEqual([]);
  });

  it('treats undefined and null as an empty list', () => {
    expect(parseConnectorList(undefined)).toEqual([]);
    expect(parseConnectorList(null)).toEqual([]);
  });

  it('rejects an implicit duplicate (two entries without names for one connector) naming both positions', () => {
    const problems = problemsOf('cloudstack,cloud2:cloudstack,cloudstack');
    expect(problems.map((p) => p.position)).toEqual([1, 3]);
    expect(problems[0]?.message).toContain('entry 3');
    expect(problems[1]?.message).toContain('entry 1');
    expect(problems[0]?.text).toBe('cloudstack');
  });

  it('rejects an explicit name that clashes with an implicit one', () => {
    const problems = problemsOf('openstack,openstack:cloudstack');
    expect(problems.map((p) => p.position)).toEqual([1, 2]);
    expect(problems[1]?.text).toBe('openstack:cloudstack');
  });

  it('rejects duplicates that differ only by case of the connector name', () => {
    expect(problemsOf('AWS,aws').map((p) => p.position)).toEqual([1, 2]);
  });

  it.each([
    ['a,,b', 2, 'empty'],
    ['a,b,', 3, 'empty'],
    [',a', 1, 'empty'],
    ['a, ,b', 2, 'empty'],
    ['cloud2:', 1, 'no connector name'],
    [':cloudstack', 1, 'no instance name'],
    ['a:b:c', 1, 'more than one colon'],
    ['Cloud2:cloudstack', 1, 'instance name "Cloud2" is not valid'],
    ['cloud_2:cloudstack', 1, 'instance name "cloud_2" is not valid'],
    ['my cloud:cloudstack', 1, 'instance name "my cloud" is not valid'],
    ['-a:cloudstack', 1, 'instance name "-a" is not valid'],
    ['a--b:cloudstack', 1, 'instance name "a--b" is not valid'],
    ['cloud2:cloud stack', 1, 'connector name "cloud stack" is not valid'],
    ['cloud2:../../etc', 1, 'connector name "../../etc" is not valid'],
    ['@evil/pkg', 1, 'connector name "@evil/pkg" is not valid'],
  ])('rejects %j at position %i (%s)', (value, position, fragment) => {
    const problems = problemsOf(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.position).toBe(position);
    expect(problems[0]?.message).toContain(fragment);
  });

  it('says how to fix what it rejects', () => {
    expect(problemsOf('a,,b')[0]?.message).toMatch(/remove the extra comma/);
    expect(problemsOf('CloudTwo:cloudstack')[0]?.message).toMatch(/did you mean "cloud-two"/);
    expect(problemsOf('a:b:c')[0]?.message).toMatch(/"instance:connector"/);
    expect(problemsOf('x:aws,x:local')[0]?.message).toMatch(/give each instance its own name/);
  });

  it.each([
    ['slipstream-connector-foo', 'write "foo", not "slipstream-connector-foo"'],
    ['cloud2:@slipstream/connector-cloudstack', 'write "cloudstack", not "@slipstream/connector-cloudstack"'],
    ['x:slipstream-connector-acme@1.2.0', 'write "acme", not "slipstream-connector-acme@1.2.0"'],
    ['slipstream-connector-core', 'is a SlipStream library package, not a connector'],
  ])('names the connector to write for the package name %j', (value, fix) => {
    const problems = problemsOf(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(fix);
    expect(problems[0]?.message).not.toContain('kebab-case');
    expect(problems[0]?.message).not.toContain('slipstream-connector-slipstream-connector');
  });

  it('says to separate entries with commas when given semicolons', () => {
    const problems = problemsOf('cloudstack;cloud2:cloudstack; cloud9:openstack,local');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(
      'separate entries with commas: "cloudstack,cloud2:cloudstack,cloud9:openstack"',
    );
    expect(problems[0]?.message).not.toContain('kebab-case');
  });

  it('reports every problem in one error, in position order, with offending text', () => {
    const problems = problemsOf('ok, ,Bad_Name:aws,x:y:z,ok,c:');
    expect(problems.map((p) => [p.position, p.text])).toEqual([
      [1, 'ok'],
      [2, ''],
      [3, 'Bad_Name:aws'],
      [4, 'x:y:z'],
      [5, 'ok'],
      [6, 'c:'],
    ]);
  });

  it('puts every problem into the thrown message too', () => {
    try {
      parseConnectorList('a,,a');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/3 problems/);
      expect((error as ConnectorError).retryable).toBe(false);
    }
  });
});

describe('bad values', () => {
  it.each([42, [], {}])('rejects %j as not text', (value) => {
    expect(problemsOf(value as never)[0]?.message).toMatch(/must be text/);
  });

  it('keeps messages small for thousands of duplicates', () => {
    const error = (() => {
      try {
        parseConnectorList(Array.from({ length: 5000 }, () => 'local').join(','));
      } catch (e) {
        return e as ConnectorError;
      }
    })();
    expect(error?.problems).toHaveLength(5000);
    expect(error?.problems[0]?.message).toMatch(/entry 2 and 4998 more/);
    expect(error?.message.length).toBeLessThan(5000);
    expect(error?.message).toMatch(/and 4980 more/);
  });
});

describe('inspectConnectorList', () => {
  it('returns the good entries beside the problems, never dropping or reordering them silently', () => {
    const { entries, problems } = inspectConnectorList('local,,lab2:local,x:y:z,local');
    expect(entries).toEqual([{ instance: 'lab2', connector: 'local', position: 3 }]);
    expect(problems.map((p) => p.position)).toEqual([1, 2, 4, 5]);
  });
});

describe('formatConnectorList', () => {
  it('round-trips through the parser with redundant names dropped', () => {
    const value = 'cloudstack,cloud2:cloudstack,cloud9:openstack';
    expect(
      formatConnectorList(parseConnectorList(` cloudstack:cloudstack , cloud2:CloudStack,cloud9:openstack`)),
    ).toBe(value);
  });
});
