import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, for text and quoted attributes', () => {
    const hostile = `<script>alert("x")</script>' onmouseover='y' \`z\` &amp;`;
    const out = html`<p title="${hostile}">${hostile}</p>`.text;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`"x"`);
    expect(out).not.toContain(`'y'`);
    expect(out).toBe(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`);
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('nests templates without escaping them twice, renders arrays and skips empty values', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    const out = html`<ul>${items}</ul>${null}${undefined}${false}${0}`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });
});
