/** The part of the `qrcode` package used here (the package ships no types): the invite card and the local cloud's 小程序码. */
declare module 'qrcode' {
  interface QRCodeOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    width?: number;
  }
  const QRCode: {
    toDataURL(text: string, options?: QRCodeOptions): Promise<string>;
    toBuffer(text: string, options?: QRCodeOptions & { type?: 'png' }): Promise<Buffer>;
  };
  export default QRCode;
}
