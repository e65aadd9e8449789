'use strict';
/** Stub for http-proxy-agent / https-proxy-agent: the SDK uses them only when init() is given a `proxy`. */
const { unavailable } = require('./unavailable');

class HttpProxyAgent {
  constructor() {
    throw unavailable('@cloudbase/node-sdk init({ proxy }) (http-proxy-agent / https-proxy-agent)');
  }
}

module.exports = HttpProxyAgent;
module.exports.HttpProxyAgent = HttpProxyAgent;
module.exports.HttpsProxyAgent = HttpProxyAgent;
module.exports.default = HttpProxyAgent;
