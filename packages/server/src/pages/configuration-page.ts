/**
 * The configuration page (administrators): "SlipStream Basics" and one section per instance of the
 * STORED connector list, as GET /api/configuration shows them, with fields from each connector's
 * parameter specs. Saving is the script's PUT /api/configuration; "Add a setting" clones the
 * empty setting row of the page's template.
 */

import { inspectConnectorList, isSecretField, type LoadProblem } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { installedParameterSpecs } from '../configuration/connector-specs.js';
import type { StoredConfiguration, StoredValues } from '../store/types.js';
import { renderField } from './fields.js';
import { html, type SafeHtml } from './html.js';
import { problemsBox } from './layout.js';

/** One setting as name and value; empty, it is the row the "Add a setting" button adds. */
function settingRow(key: string, value: string): SafeHtml {
  return html`<div class="setting"><input class="setting-key" aria-label="Setting name" value="${key}" placeholder="name, e.g. site.name" spellcheck="false"><input class="setting-value" aria-label="Setting value" value="${value}" placeholder="value"></div>`;
}

function basicsSection(stored: StoredConfiguration): SafeHtml {
  const settings = Object.entries(stored.basics.settings).sort(([a], [b]) => a.localeCompare(b));
  return html`<section class="basics">
<h2>SlipStream Basics</h2>
<div class="field">
<label for="basics-connectors">connectors<span class="required" title="required">*</span></label>
<div class="control"><input type="text" class="wide" id="basics-connectors" name="basics.connectors" value="${stored.basics.connectors}" spellcheck="false">
<p class="help">The connector list, e.g. <span class="code">local,lab2:local</span> (instance:connector entries separated by commas). A new list takes effect when the server restarts.</p></div>
</div>
<div class="field"><label>settings</label><div class="control">
<div id="settings">${settings.map(([key, value]) => settingRow(key, value))}</div>
<template id="setting-template">${settingRow('', '')}</template>
<button type="button" class="secondary" id="add-setting">Add a setting</button>
<p class="help">Other server settings as name and value; empty the name to remove one.</p>
</div></div>
</section>`;
}

function missingSection(instance: string, connector: string, problems: readonly LoadProblem[]): SafeHtml {
  const problem = problems.find((item) => item.instance === instance);
  const message =
    problem?.message ??
    `The connector "${connector}" is not installed next to the server: install its package, then restart the server.`;
  return html`<section data-instance="${instance}" data-missing="true">
<h2>${instance} <small>connector ${connector}</small></h2>
<p class="note">Not installed: ${message}</p>
</section>`;
}

/** The form's body: basics, then a section per listed instance. */
export async function configurationBody(booted: BootedServer, from: string): Promise<SafeHtml> {
  const stored = await booted.store.getConfiguration();
  if (stored === undefined) {
    return html`<p class="error-box">The store holds no configuration; restart the server to seed it.</p>`;
  }
  const sections: SafeHtml[] = [];
  for (const entry of inspectConnectorList(stored.basics.connectors).entries) {
    const { instance, connector } = entry;
    const specs = await installedParameterSpecs(connector, from);
    if (specs === undefined) {
      sections.push(missingSection(instance, connector, booted.problems));
      continue;
    }
    const values: StoredValues = Object.hasOwn(stored.instances, instance)
      ? (stored.instances[instance] ?? {})
      : {};
    const fields = specs.map((spec) => {
      const saved = Object.hasOwn(values, spec.key) ? values[spec.key] : undefined;
      if (isSecretField(spec) || saved?.kind === 'secret') {
        return renderField(instance, { ...spec, type: 'secret' }, { secretSet: saved !== undefined });
      }
      return renderField(instance, spec, saved === undefined ? {} : { value: saved.value });
    });
    sections.push(html`<section data-instance="${instance}">
<h2>${instance} <small>connector ${connector}</small></h2>
${fields}
</section>`);
  }
  return html`${problemsBox(booted.problems)}
<form id="configuration-form" novalidate>
${basicsSection(stored)}
${sections}
<div id="configuration-problems" class="error-box" role="alert" hidden></div>
<button type="submit" id="save-configuration">Save the configuration</button>
</form>`;
}
