'use strict';
/** Stub for @cloudbase/database's realtime/websocket-client: only collection/doc .watch() opens it. */
const { unavailable } = require('./unavailable');

class RealtimeWebSocketClient {
  constructor() {
    throw unavailable('@cloudbase/node-sdk database .watch() (realtime)');
  }
}

Object.defineProperty(exports, '__esModule', { value: true });
exports.RealtimeWebSocketClient = RealtimeWebSocketClient;
