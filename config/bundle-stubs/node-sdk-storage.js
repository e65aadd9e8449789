'use strict';
/** Stub for @cloudbase/node-sdk/dist/storage (app.uploadFile() and the other file APIs; xml2js, xmlbuilder, sax). */
const { unavailable } = require('./unavailable');

Object.defineProperty(exports, '__esModule', { value: true });
for (const name of ['uploadFile', 'downloadFile', 'copyFile', 'deleteFile', 'getTempFileURL', 'getFileInfo', 'getUploadMetadata', 'getFileAuthority']) {
  exports[name] = async function () {
    throw unavailable(`@cloudbase/node-sdk app.${name}()`);
  };
}
