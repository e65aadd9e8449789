/**
 * The local cloud's key pair: fixed so that the local cloud (emulator/), the tools that talk to it (`npm run audit`)
 * and the tests sign the same way. Here, outside the local cloud, so that a tool needing the keys does not have to
 * import the emulator (see config/layers.ts). Override with TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY.
 */
export interface LocalKeyPair {
  secretId: string;
  secretKey: string;
}

export const LOCAL_KEYS: LocalKeyPair = {
  secretId: 'AKIDlocalcloud0000000000000000000000',
  secretKey: 'localcloudsecretkey000000000000000',
};

/** The keys in force: the environment's when set, else the fixed local pair. */
export function localKeys(): LocalKeyPair {
  return {
    secretId: process.env.TENCENTCLOUD_SECRETID || LOCAL_KEYS.secretId,
    secretKey: process.env.TENCENTCLOUD_SECRETKEY || LOCAL_KEYS.secretKey,
  };
}
