/** The part of `pngjs` the tests use to read a PNG (the package ships no types). */
declare module 'pngjs' {
  export const PNG: {
    sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } };
  };
}
