'use strict';
/**
 * Stub for @cloudbase/wx-cloud-client-sdk (data models `app.models`, MySQL `app.mysql()` / `app.rdb()`).
 * The real module costs ~25 ms to evaluate and CloudBase.init() builds `app.models` from it eagerly (inside a
 * try/catch). Here `app.models` is an object that throws on first use, and app.mysql()/app.rdb() throw.
 */
const { unavailable } = require('./unavailable');

function unusable(feature) {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        // Let inspection, JSON.stringify and await treat it as a plain empty object.
        if (typeof prop === 'symbol' || prop === 'toJSON' || prop === 'then' || prop === 'constructor') return undefined;
        throw unavailable(`${feature}.${String(prop)}`);
      },
    },
  );
}

const sdk = {
  generateHTTPClient: () => unusable('@cloudbase/node-sdk app.models (data models)'),
  generateMySQLClient: () => {
    throw unavailable('@cloudbase/node-sdk app.mysql() / app.rdb()');
  },
  init: () => {
    throw unavailable('@cloudbase/wx-cloud-client-sdk init()');
  },
  initHTTPOverCallFunction: () => {
    throw unavailable('@cloudbase/wx-cloud-client-sdk initHTTPOverCallFunction()');
  },
};

Object.defineProperty(exports, '__esModule', { value: true });
exports.default = sdk;
exports.generateHTTPClient = sdk.generateHTTPClient;
exports.generateMySQLClient = sdk.generateMySQLClient;
exports.init = sdk.init;
exports.initHTTPOverCallFunction = sdk.initHTTPOverCallFunction;
