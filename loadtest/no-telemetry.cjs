// Preloaded into Artillery (node --require): Artillery 2.0 sends an anonymised event to PostHog on
// every run even with ARTILLERY_DISABLE_TELEMETRY set; on a machine without a route out, its DNS
// lookups of app.posthog.com then hold every run open for about 12 s after the load has ended.
// Artillery loads posthog-node inside a try/catch and keeps its telemetry a no-op when that fails,
// so failing that one require is the whole switch.
'use strict';
const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'posthog-node') {
    throw new Error('ShopAspire: Artillery telemetry is off (loadtest/no-telemetry.cjs)');
  }
  return resolve.call(this, request, ...rest);
};
