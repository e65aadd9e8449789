/** The part of the `qrcode` package the invite card uses (the package ships no types). */
declare module 'qrcode' {
  const QRCode: {
    toDataURL(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; margin?: number; width?: number }): Promise<string>;
  };
  export default QRCode;
}
