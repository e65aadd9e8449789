/**
 * multipart/form-data as @cloudbase/node-sdk sends it (form-data): one part per body parameter. A text part
 * (no Content-Type of its own) is a string; a part with a Content-Type (form-data's application/octet-stream for a
 * Buffer such as wx.openApi's requestData) stays bytes — the SDK signs those bytes as they are.
 */
import { CloudError } from './errors';

export type FormValue = string | Buffer;

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

export function parseMultipart(body: Buffer, boundary: string): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new CloudError('INVALID_PARAM', 'multipart body without its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return out;
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new CloudError('INVALID_PARAM', 'malformed multipart body');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new CloudError('INVALID_PARAM', 'malformed multipart part');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new CloudError('INVALID_PARAM', 'unterminated multipart part');
    const content = body.subarray(headerEnd + 4, next);
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new CloudError('INVALID_PARAM', 'multipart part without a name');
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new CloudError('INVALID_PARAM', `multipart field ${name} appears twice`);
    out[name] = /^content-type:/im.test(headers) ? Buffer.from(content) : content.toString('utf8');
    pos = next + 2;
  }
}
