// Charts of the recorded benchmark figures: reads docs/benchmarks/*.json (written by
// `node bench/run.js <name> --record`) and writes SVG files beside them, each with the machine, Node
// and date of the run its figures come from. No dependencies: the SVG is written as text.
//   node bench/charts.js               the recorded figures in docs/benchmarks/
//   node bench/charts.js --dir <path>  the JSON files in another folder (e.g. a sample to try)
// bench/run.js calls writeCharts() after a run with --record.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const RECORDED = fileURLToPath(new URL('../docs/benchmarks/', import.meta.url));

const COLORS = {
  floor: '#9aa0a6',
  'sequential floor': '#9aa0a6',
  connector: '#1a73e8',
  libcloud: '#e8710a',
};
const FALLBACK_COLORS = ['#188038', '#a142f4', '#d93025', '#12b5cb'];
const SIDE_LABELS = {
  floor: 'raw floor',
  connector: 'connector describe()',
  libcloud: 'Apache Libcloud list_nodes',
};
const CLOUD_LABELS = {
  cloudstack: 'CloudStack',
  openstack: 'OpenStack',
  ec2: 'EC2',
  opennebula: 'OpenNebula',
  vcloud: 'vCloud',
  'vcloud (cell cap 128)': 'vCloud (cell cap 128)',
};

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const xml = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const count = (value) => Number(value).toLocaleString('en-US');
const ms = (value) => `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)} ms`;
/** Text width in pixels, roughly, for a 12px sans-serif font. */
const textWidth = (text, size = 12, bold = false) => String(text).length * size * (bold ? 0.64 : 0.58);

/** A round step for about `ticks` gridlines up to `max`. */
function niceStep(max, ticks = 5) {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

/** The footer line: which machine, Node and date the figures come from. */
export function footerOf(document) {
  const { machine = {}, date = '' } = document;
  return `${machine.cpu ?? 'unknown CPU'}, ${machine.cores ?? '?'} cores, ${machine.memoryGiB ?? '?'} GiB · Node ${machine.node ?? '?'} · ${machine.platform ?? '?'} · ${date.slice(0, 10)}`;
}

/**
 * A grouped horizontal bar chart.
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} [chart.subtitle]
 * @param {string} chart.axis the value axis's label
 * @param {string[]} chart.series the bars of each group, in order (legend order too)
 * @param {Record<string, string>} [chart.seriesLabels]
 * @param {{ label: string, bars: { series: string, value: number, text?: string }[] }[]} chart.groups
 * @param {string} chart.footer
 * @param {(value: number) => string} [chart.format] a bar's value as text
 * @param {(value: number) => string} [chart.tick] a gridline's value as text
 */
export function barChart({
  title,
  subtitle,
  axis,
  series,
  seriesLabels = {},
  groups,
  footer,
  format = ms,
  tick = (value) => `${count(value)} ms`,
}) {
  const colorOf = (name) => COLORS[name] ?? FALLBACK_COLORS[series.indexOf(name) % FALLBACK_COLORS.length];
  const labelOf = (name) => seriesLabels[name] ?? SIDE_LABELS[name] ?? name;
  const BAR = 18;
  const BAR_GAP = 3;
  const GROUP_GAP = 16;
  const left = Math.max(120, ...groups.map((group) => textWidth(group.label, 13, true) + 28));
  const barTexts = groups.flatMap((group) => group.bars.map((bar) => bar.text ?? format(bar.value)));
  const right = Math.max(90, ...barTexts.map((text) => textWidth(text) + 16));
  const plotWidth = 520;
  const width = Math.ceil(
    Math.max(
      left + plotWidth + right,
      textWidth(title, 16, true) + 32,
      textWidth(subtitle ?? '') + 32,
      textWidth(footer, 11) + 32,
    ),
  );
  const top = subtitle ? 96 : 78;
  const max = Math.max(...groups.flatMap((group) => group.bars.map((bar) => bar.value)), 0);
  const step = niceStep(max || 1);
  const axisMax = Math.ceil((max || 1) / step) * step;
  const x = (value) => left + (value / axisMax) * plotWidth;

  const parts = [];
  let y = top;
  for (const group of groups) {
    const bars = series
      .map((name) => group.bars.find((bar) => bar.series === name))
      .filter((bar) => bar !== undefined);
    const height = bars.length * BAR + (bars.length - 1) * BAR_GAP;
    parts.push(
      `<text x="${left - 12}" y="${y + height / 2 + 4.5}" text-anchor="end" font-size="13" font-weight="600">${xml(group.label)}</text>`,
    );
    bars.forEach((bar, index) => {
      const barY = y + index * (BAR + BAR_GAP);
      const barWidth = Math.max(1, x(bar.value) - left);
      const text = bar.text ?? format(bar.value);
      parts.push(
        `<rect x="${left}" y="${barY}" width="${barWidth.toFixed(1)}" height="${BAR}" fill="${colorOf(bar.series)}"><title>${xml(`${labelOf(bar.series)}: ${text}`)}</title></rect>`,
        `<text x="${(left + barWidth + 6).toFixed(1)}" y="${barY + BAR / 2 + 4}" font-size="12">${xml(text)}</text>`,
      );
    });
    y += height + GROUP_GAP;
  }
  const plotBottom = y - GROUP_GAP + 8;

  const grid = [];
  for (let value = 0; value <= axisMax + step / 1e6; value += step) {
    const gx = x(value).toFixed(1);
    grid.push(
      `<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${plotBottom}" stroke="#e0e0e0"/>`,
      `<text x="${gx}" y="${plotBottom + 16}" text-anchor="middle" font-size="11" fill="#5f6368">${xml(tick(value))}</text>`,
    );
  }
  const legend = [];
  let legendX = left;
  for (const name of series) {
    legend.push(
      `<rect x="${legendX}" y="${top - 36}" width="12" height="12" fill="${colorOf(name)}"/>`,
      `<text x="${legendX + 17}" y="${top - 25.5}" font-size="12">${xml(labelOf(name))}</text>`,
    );
    legendX += 17 + textWidth(labelOf(name)) + 22;
  }
  const height = plotBottom + 64;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} fill="#202124">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="700">${xml(title)}</text>`,
    subtitle ? `<text x="16" y="46" font-size="12" fill="#5f6368">${xml(subtitle)}</text>` : '',
    ...grid,
    `<line x1="${left}" y1="${top - 6}" x2="${left}" y2="${plotBottom}" stroke="#5f6368"/>`,
    ...legend,
    ...parts,
    `<text x="${left + plotWidth / 2}" y="${plotBottom + 36}" text-anchor="middle" font-size="12">${xml(axis)}</text>`,
    `<text x="16" y="${height - 10}" font-size="11" fill="#5f6368">${xml(footer)}</text>`,
    '</svg>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** Rows grouped by a key, in the order their groups first appear. */
function groupRows(rows, keyOf) {
  const groups = new Map();
  for (const row of rows) {
    const key = keyOf(row);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  return [...groups.values()];
}

/**
 * (a) libcloud-compare.json: one chart per cloud, floor vs connector vs libcloud, wall time and
 * client CPU (both in ms, on one axis) for each size, so that each cloud has a readable scale.
 */
export function libcloudCharts(document) {
  const series = ['floor', 'connector', 'libcloud'].filter((side) =>
    document.rows.some((row) => row.side === side),
  );
  const charts = {};
  for (const cloudRows of groupRows(document.rows, (row) => row.cloud)) {
    const { cloud } = cloudRows[0];
    const name = CLOUD_LABELS[cloud] ?? cloud;
    const groups = [];
    for (const rows of groupRows(cloudRows, (row) => `${row.clouds} ${row.vmsPerCloud}`)) {
      const [{ clouds, vmsPerCloud }] = rows;
      const total = clouds * vmsPerCloud;
      for (const [metric, what] of [
        ['wallMs', 'wall time'],
        ['cpuMs', 'client CPU'],
      ]) {
        groups.push({
          label: `${clouds} × ${count(vmsPerCloud)} VMs: ${what}`,
          bars: rows.map((row) => ({
            series: row.side,
            value: row[metric],
            text:
              row.vms < total
                ? `${ms(row[metric])} · only ${count(row.vms)} of ${count(total)} VMs`
                : undefined,
          })),
        });
      }
    }
    charts[`libcloud-compare-${cloud}.svg`] = barChart({
      title: `${name}: listing every VM of ${cloudRows[0].clouds} clouds at once`,
      subtitle: `describe() vs the raw floor vs Apache Libcloud${document.libcloud ? ` ${document.libcloud}` : ''} list_nodes (one thread per cloud); medians. A bar says when a side returned fewer VMs.`,
      axis: 'milliseconds (wall time, or client CPU time), shorter is better',
      series,
      groups,
      footer: footerOf(document),
    });
  }
  return charts;
}

const roundTrips = (value) =>
  `${Number.isInteger(value) ? value : value.toFixed(1)} round trip${value === 1 ? '' : 's'}`;

/**
 * paging-latency.json's rows in their cases: a floor row and a connector row each, in order (a new
 * case starts when a side comes again or the cloud or page count changes).
 */
function pagingCases(rows) {
  const cases = [];
  let current;
  for (const row of rows) {
    const same =
      current !== undefined &&
      current[0].cloud === row.cloud &&
      current[0].pages === row.pages &&
      current[0].pageSize === row.pageSize &&
      !current.some((other) => other.side === row.side);
    if (same) current.push(row);
    else {
      current = [row];
      cases.push(current);
    }
  }
  return cases;
}

/**
 * (b) paging-latency.json: by page count, the round trips each side waited for one after the other
 * (the critical path in the simulator's request log; before that was recorded, what the latency
 * cost in wall time), connector vs the sequential floor (and libcloud), per cloud.
 */
export function pagingCharts(document) {
  const order = ['connector', 'sequential floor', 'libcloud'];
  const rows = document.rows.filter((row) => typeof row.latencyCostRoundTrips === 'number');
  const sides = [...new Set(rows.map((row) => row.side))].sort(
    (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99),
  );
  const latency = document.latencyMs ? `${document.latencyMs} ms` : 'the injected latency';
  const critical = rows.every((row) => typeof row.criticalRoundTrips === 'number');
  return {
    'paging-latency.svg': barChart({
      title: 'Latency-aware paging: round trips one after the other, by page count',
      subtitle: `${document.vms ? `${count(document.vms)} VMs; ` : ''}${critical ? "bars: the critical path in the simulator's request log; " : ''}latency cost: (median wall at ${latency} per request − median wall without) / ${latency}. Expected: the floor one per page; the connector 1 + waves of max.iaas.workers pages.`,
      axis: critical
        ? 'round trips on the critical path (fewer is better)'
        : 'round trips the latency cost (fewer is better)',
      series: sides,
      seriesLabels: { libcloud: 'Apache Libcloud list_nodes' },
      format: roundTrips,
      tick: (value) => `${Number.isInteger(value) ? value : value.toFixed(1)}`,
      groups: pagingCases(rows).map((caseRows) => {
        const [{ cloud, pages, pageSize }] = caseRows;
        const connector = caseRows.find((row) => row.side === 'connector');
        const workers = connector?.maxIaasWorkers ?? connector?.workers;
        // Every VM of the listing: the document's own count, else what the most complete side saw.
        const total = document.vms ?? Math.max(...caseRows.map((row) => row.vms ?? 0));
        return {
          label: `${CLOUD_LABELS[cloud] ?? cloud}, ${pages} page${pages === 1 ? '' : 's'} of ${count(pageSize)}${workers === undefined ? '' : `, ${workers} workers`}`,
          bars: caseRows.map((row) => ({
            series: row.side,
            // A noisy run can measure a negative cost; its bar stays at zero and its text says so.
            value: critical ? row.criticalRoundTrips : Math.max(0, row.latencyCostRoundTrips),
            text: [
              critical ? roundTrips(row.criticalRoundTrips) : undefined,
              critical
                ? `latency cost ${row.latencyCostRoundTrips.toFixed(1)}`
                : roundTrips(row.latencyCostRoundTrips),
              row.expectedRoundTrips === undefined ? undefined : `expected ${row.expectedRoundTrips}`,
              `${ms(row.wallMs)} (${ms(row.wallMsNoLatency)} without latency)`,
              row.vms !== undefined && row.vms < total
                ? `only ${count(row.vms)} of ${count(total)} VMs`
                : undefined,
            ]
              .filter((part) => part !== undefined)
              .join(' · '),
          })),
        };
      }),
      footer: footerOf(document),
    }),
  };
}

const CHARTS = { 'libcloud-compare': libcloudCharts, 'paging-latency': pagingCharts };

/** Writes the SVG of every recorded benchmark that has a chart; returns the files written. */
export function writeCharts(directory = RECORDED) {
  const written = [];
  for (const [name, chartsOf] of Object.entries(CHARTS)) {
    const source = join(directory, `${name}.json`);
    if (!existsSync(source)) continue;
    const document = JSON.parse(readFileSync(source, 'utf8'));
    if (!Array.isArray(document.rows) || document.rows.length === 0) continue;
    for (const [file, svg] of Object.entries(chartsOf(document))) {
      const target = join(directory, file);
      writeFileSync(target, svg);
      written.push(target);
    }
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { dir: { type: 'string' } } });
  const written = writeCharts(values.dir ?? RECORDED);
  console.log(written.length > 0 ? `wrote ${written.join(', ')}` : 'no recorded figures to chart');
}
