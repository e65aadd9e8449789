'use strict';
/**
 * Stub for mime-types inside form-data (it brings the 130 KB mime-db). form-data looks a type up only for a value
 * with a file name or path; the SDK's multipart calls here (callWxPayApi & co.) send strings and Buffers, and file
 * uploads (app.uploadFile) are stubbed out too.
 */
const { unavailable } = require('./unavailable');

for (const name of ['lookup', 'contentType', 'extension', 'charset']) {
  exports[name] = function () {
    throw unavailable(`mime-types.${name}() (form-data guessing a file's content type)`);
  };
}
exports.charsets = { lookup: exports.charset };
exports.types = Object.create(null);
exports.extensions = Object.create(null);
