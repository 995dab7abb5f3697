import { readFile } from 'node:fs/promises';

/** Where the template files live: `templates/` next to `src/` and `dist/`, in the repo and published. */
export const TEMPLATES_URL = new URL('../templates/', import.meta.url);

const PLACEHOLDER = /\{\{([A-Za-z]+)\}\}/g;

/**
 * Fills `{{key}}` placeholders. A placeholder without a value is a bug in the scaffolder, not in
 * the user's input, so it throws rather than leave `{{key}}` in a generated file.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  source: string,
): string {
  return template.replace(PLACEHOLDER, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`Template ${source} uses ${match}, which has no value.`);
    return value;
  });
}

/** Reads `templates/<path>` and fills it. */
export async function renderTemplate(
  path: string,
  values: Readonly<Record<string, string>>,
): Promise<string> {
  const template = await readFile(new URL(path, TEMPLATES_URL), 'utf8');
  return fillTemplate(template, values, path);
}
