'use strict';
/**
 * The error every bundle stub throws: a part of @cloudbase/node-sdk that no cloud function here uses was left out
 * of the bundles to make them load faster (config/bundle-stubs/index.ts). Reaching it means that guess was wrong.
 */
function unavailable(feature) {
  const err = new Error(
    `${feature} is not in this cloud function bundle: config/build-functions.ts replaces it with a stub ` +
      '(config/bundle-stubs) because no function used it. Remove that stub to use it.',
  );
  err.code = 'STUBBED_IN_BUNDLE';
  return err;
}

module.exports = { unavailable };
