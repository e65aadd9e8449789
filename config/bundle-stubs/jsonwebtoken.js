'use strict';
/** Stub for jsonwebtoken: the SDK signs with it only in app.auth().createTicket() (custom login tickets). */
const { unavailable } = require('./unavailable');

for (const name of ['sign', 'verify', 'decode']) {
  exports[name] = function () {
    throw unavailable(`jsonwebtoken.${name}() (@cloudbase/node-sdk app.auth().createTicket())`);
  };
}
