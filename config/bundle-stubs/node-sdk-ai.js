'use strict';
/** Stub for @cloudbase/node-sdk/dist/ai (app.ai(): @cloudbase/ai, @cloudbase/app, the wx_mp adapter, web-streams-polyfill). */
const { unavailable } = require('./unavailable');

Object.defineProperty(exports, '__esModule', { value: true });
exports.createAI = function createAI() {
  throw unavailable('@cloudbase/node-sdk app.ai()');
};
