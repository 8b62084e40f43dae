'use strict';

// Markdown summary of an Artillery JSON report: per request name its count, p50, p95 and p95 as a
// multiple of the calibration request's p95 in the same run, beside loadtest/baseline.json's.
// Usage: node summarize.js <report.json> [baseline.json]. Reports only: the pass/fail judgement is
// the load gate's (tests/Shop.IntegrationTests/Load/LoadGate.cs).

const fs = require('node:fs');

const calibration = 'calibration';
const prefix = 'plugins.metrics-by-endpoint.response_time.';

const [reportPath, baselinePath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: node summarize.js <report.json> [baseline.json]');
  process.exit(2);
}
const aggregate = JSON.parse(fs.readFileSync(reportPath, 'utf8')).aggregate;
const baseline = baselinePath && fs.existsSync(baselinePath) ? JSON.parse(fs.readFileSync(baselinePath, 'utf8')).endpoints : {};
const counters = aggregate.counters;

const endpoints = Object.entries(aggregate.summaries)
  .filter(([name]) => name.startsWith(prefix))
  .map(([name, s]) => ({ name: name.slice(prefix.length), count: s.count, p50: s.p50, p95: s.p95 }))
  .sort((a, b) => (a.name === calibration ? -1 : b.name === calibration ? 1 : a.name.localeCompare(b.name)));
const calibrationP95 = endpoints.find((e) => e.name === calibration)?.p95;

const requests = counters['http.requests'] ?? 0;
const errors = Object.entries(counters).filter(([name]) => name.startsWith('errors.'));
const failed = errors.reduce((sum, [, n]) => sum + n, 0);
const seconds = (aggregate.lastMetricAt - aggregate.firstMetricAt) / 1000;
const ms = (n) => n.toFixed(1);

const lines = [
  `# Load run ${new Date(aggregate.firstMetricAt).toISOString()}`,
  '',
  `${requests} requests over ${seconds.toFixed(0)} s; failed ${failed} (${requests ? ((100 * failed) / requests).toFixed(2) : '0.00'}%); ` +
    `visits ${counters['vusers.created'] ?? 0}, failed ${counters['vusers.failed'] ?? 0}.`,
  ...errors.map(([name, n]) => `- ${name.slice('errors.'.length)}: ${n}`),
  '',
  '| request | count | p50 ms | p95 ms | p95 / calibration | baseline | change |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...endpoints.map((e) => {
    const ratio = calibrationP95 ? e.p95 / calibrationP95 : NaN;
    const recorded = baseline[e.name]?.p95Ratio;
    const percent = recorded ? Math.round((ratio / recorded - 1) * 100) : undefined;
    const change = percent === undefined ? '-' : `${percent > 0 ? '+' : ''}${percent}%`;
    return `| ${e.name} | ${e.count} | ${ms(e.p50)} | ${ms(e.p95)} | ${ratio.toFixed(2)} | ${recorded?.toFixed(2) ?? '-'} | ${change} |`;
  }),
];

// Statuses other than 2xx, by request name (a sold-out product is a 409 on checkout or buy now).
const unexpected = Object.entries(counters).filter(([name]) => /^plugins\.metrics-by-endpoint\..+\.codes\.[^2]\d\d$/.test(name));
if (unexpected.length > 0) {
  lines.push('', 'Statuses other than 2xx:', ...unexpected.map(([name, n]) => `- ${name.slice('plugins.metrics-by-endpoint.'.length)}: ${n}`));
}
console.log(lines.join('\n'));
