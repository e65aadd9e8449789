/** The encoder core of the `qrcode` package (no renderers, no Node deps). */
declare module 'qrcode/lib/core/qrcode' {
  interface QRSegment {
    data: Uint8Array | string;
    mode: 'byte' | 'alphanumeric' | 'numeric' | 'kanji';
  }
  interface QRCodeModel {
    modules: { size: number; data: Uint8Array; get(row: number, col: number): number | boolean };
  }
  export function create(data: string | QRSegment[], options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCodeModel;
}
