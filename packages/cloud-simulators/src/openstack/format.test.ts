import { describe, expect, it } from 'vitest';
import { NovaLinks } from './compute/links.js';
import { hostnameOf } from './compute/server-view.js';
import { isoMicros, isoSeconds, naiveIso, parseIso } from './dates.js';
import { webobError } from './webob.js';

describe('OpenStack wire formats', () => {
  it('spells timestamps as each service does', () => {
    const at = Date.UTC(2019, 3, 23, 15, 19, 10, 855);
    expect(isoSeconds(at)).toBe('2019-04-23T15:19:10Z');
    expect(isoMicros(at)).toBe('2019-04-23T15:19:10.855000Z');
    expect(naiveIso(at)).toBe('2019-04-23T15:19:10.855000');
    expect(naiveIso(Date.UTC(2019, 3, 23))).toBe('2019-04-23T00:00:00');
    expect(parseIso('2019-04-23T15:19:10Z')).toBe(Date.UTC(2019, 3, 23, 15, 19, 10));
    expect(parseIso('2019-04-23T15:19:10')).toBe(Date.UTC(2019, 3, 23, 15, 19, 10));
    expect(parseIso('2019-04-23T17:19:10+02:00')).toBe(Date.UTC(2019, 3, 23, 15, 19, 10));
    expect(parseIso('yesterday')).toBeUndefined();
  });

  it("renders WebOb's error pages by Accept header", () => {
    expect(webobError(404, 'gone', {}).body).toBe('404 Not Found\n\ngone\n\n   ');
    expect(webobError(404, 'gone', { accept: 'application/json' }).body).toBe(
      '{"message":"gone<br /><br />\\n\\n\\n","code":"404 Not Found","title":"Not Found"}',
    );
    const html = webobError(400, 'a < b', { accept: 'application/json, */*' });
    expect(html.headers?.['content-type']).toBe('text/html; charset=UTF-8');
    expect(html.body).toContain('a &lt; b<br /><br />');
  });

  it("builds Nova's links, with the project id when the URL had one, and sorted next-page queries", () => {
    const plain = new NovaLinks('http://h/compute', undefined);
    expect(plain.of('servers', 'x')).toEqual([
      { rel: 'self', href: 'http://h/compute/v2.1/servers/x' },
      { rel: 'bookmark', href: 'http://h/compute/servers/x' },
    ]);
    const scoped = new NovaLinks('http://h', 'abc');
    expect(scoped.bookmarkOf('flavors', '1')).toBe('http://h/abc/flavors/1');
    const query = new URLSearchParams('name=a b&limit=2&marker=old');
    expect(scoped.next('servers/detail', query, 'new')[0]?.href).toBe(
      'http://h/v2.1/abc/servers/detail?limit=2&marker=new&name=a+b',
    );
  });

  it('derives hostnames from server names as Nova sanitizes them', () => {
    expect(hostnameOf('Web Server_1.example')).toBe('web-server-1-example');
    expect(hostnameOf('--édition--')).toBe('édition');
    expect(hostnameOf('☃')).toBe('server');
    expect(hostnameOf('x'.repeat(80))).toHaveLength(63);
  });
});
