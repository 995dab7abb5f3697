/**
 * Reading the server README the way its tests check it: a section by its heading, the routes its
 * REST API table lists, and the shell blocks of a section, exactly as written.
 */

import { readFileSync } from 'node:fs';

/** The server package's README. */
export const README_URL = new URL('../../README.md', import.meta.url);

export function readReadme(): string {
  return readFileSync(README_URL, 'utf8');
}

/** The text of the `## heading` section, up to the next `## ` heading. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`The README has no "## ${heading}" section.`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The contents of the ```sh blocks of a text, in order. */
export function shellBlocks(text: string): string[] {
  return [...text.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```$/gm)].map(([, body = '']) => body);
}

/** `METHOD /path` of every route named in the first column of the section's table. */
export function tableRoutes(text: string): string[] {
  const routes: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const [, method, path] of first.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)) {
      routes.push(`${method} ${path}`);
    }
  }
  return routes;
}
