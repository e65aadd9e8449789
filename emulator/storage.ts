/**
 * The local cloud's file storage (云存储), as @cloudbase/node-sdk 3.18 reaches it (see README "Cloud storage"):
 *   /admin storage.getUploadMetadata {path, method:'put'} → {url, token, authorization, fileId, cosFileId, download_url}
 *   PUT <url>  (the SDK's uploadFile; headers authorization / Signature, x-cos-security-token, x-cos-meta-fileid)
 *   /admin storage.batchGetDownloadUrl {file_list:[{fileid, max_age?}]} → {download_list:[{fileID, tempFileURL, code}]}
 *   /admin storage.batchDeleteFile {fileid_list} → {delete_list:[{fileID, code}]}
 *   GET|HEAD <tempFileURL>  the file (signed, expiring on the local clock)
 * and, for the browser build (which has no SDK), through the HTTP gateway (see docs/local-cloud.md):
 *   POST /storage/upload   a product picture as the body, as the tab's dev identity → {ok, data:{fileID}}; the bytes
 *                          must be a JPEG, PNG or WebP of at most 2 MB (types/imageUpload.ts), else 415 / 413
 *   GET|HEAD /storage/files/products/<name>  a picture of the public products/ folder, unsigned (as the service's
 *                          CDN domain serves a public-read folder); what ProductImage shows for a cloud:// id in h5
 * Files live in the store's SQLite database (table __files), so they survive a restart like the documents, and
 * `POST /__dev/reset` wipes them.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Clock } from './clock';
import { CloudError } from './errors';
import type { FormValue } from './multipart';
import type { Store } from './store';
import { IMAGE_SIZE_MESSAGE, IMAGE_TYPE_MESSAGE } from '../types/imageUpload';

/** Where uploads go (the SDK PUTs to the url it is given) and where temp URLs point. */
export const UPLOAD_PREFIX = '/__cos/';
export const SERVE_PREFIX = '/__storage/';
/** The browser build's upload (POST, bearer token) and the public pictures (GET) on the HTTP gateway. */
export const GATEWAY_UPLOAD_PATH = '/storage/upload';
export const PUBLIC_PREFIX = '/storage/files/';
/** The folder anyone may read by path: product pictures, shown to every shopper. */
const PUBLIC_FOLDER = 'products/';

const MAX_FILE_BYTES = 16 * 1024 * 1024;
const UPLOAD_TTL_MS = 10 * 60_000;
/** The service's default lifetime of a temp URL when max_age is not given (1 day). */
const DEFAULT_MAX_AGE_S = 86_400;

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
};

export interface StoredFile {
  path: string;
  size: number;
  contentType: string;
  uploadedAt: number;
}

/** What the gateway answers for an upload: the stored picture's id, or why nothing was stored. */
export type ImageUploadResult =
  | { ok: true; fileID: string; path: string; contentType: string }
  | { ok: false; status: 413 | 415; code: 'IMAGE_TOO_LARGE' | 'IMAGE_TYPE_UNSUPPORTED'; message: string };

/** The picture type the bytes themselves say (magic numbers), whatever the name or the declared type claim. */
export function sniffImage(bytes: Buffer): { ext: 'jpg' | 'png' | 'webp'; contentType: string } | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ext: 'jpg', contentType: 'image/jpeg' };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { ext: 'png', contentType: 'image/png' };
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return { ext: 'webp', contentType: 'image/webp' };
  return null;
}

export class LocalStorage {
  private readonly secret = crypto.randomBytes(32);
  readonly bucket: string;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly envId: string,
    private readonly baseUrl: () => string,
  ) {
    this.bucket = `${envId}-local-1300000000`;
    store.db.exec('CREATE TABLE IF NOT EXISTS __files (path TEXT PRIMARY KEY, body BLOB NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, at INTEGER NOT NULL)');
  }

  wipe() {
    this.store.db.exec('DELETE FROM __files');
  }

  list(): StoredFile[] {
    return (this.store.db.prepare('SELECT path, size, type, at FROM __files ORDER BY path').all() as { path: string; size: number; type: string; at: number }[]).map((r) => ({
      path: r.path,
      size: r.size,
      contentType: r.type,
      uploadedAt: r.at,
    }));
  }

  fileId(path: string): string {
    return `cloud://${this.envId}.${this.bucket}/${path}`;
  }

  /** The cloud path of one of our file ids, or null. */
  private pathOf(fileId: unknown): string | null {
    const prefix = `cloud://${this.envId}.${this.bucket}/`;
    return typeof fileId === 'string' && fileId.startsWith(prefix) ? fileId.slice(prefix.length) : null;
  }

  private sign(what: string): string {
    return crypto.createHmac('sha256', this.secret).update(what).digest('hex').slice(0, 32);
  }

  /** The storage actions of /admin. Answers the response body the SDK reads (`{data: …}`). */
  handle(action: string, body: Record<string, FormValue | unknown>): Record<string, unknown> {
    switch (action) {
      case 'storage.getUploadMetadata': {
        const path = checkPath(body.path);
        const expires = this.clock.now() + UPLOAD_TTL_MS;
        const authorization = `LOCAL-COS ${expires}:${this.sign(`put\n${path}\n${expires}`)}`;
        return {
          data: {
            url: `${this.baseUrl()}${UPLOAD_PREFIX}${encodePath(path)}`,
            token: crypto.randomBytes(12).toString('hex'),
            authorization,
            fileId: this.fileId(path),
            cosFileId: `cos-${this.sign(`cos\n${path}`).slice(0, 16)}`,
            download_url: this.tempUrl(path, DEFAULT_MAX_AGE_S),
          },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = body.file_list;
        if (!Array.isArray(list) || list.length === 0) throw new CloudError('INVALID_PARAM', 'file_list must be a non-empty array');
        return {
          data: {
            download_list: list.map((item: { fileid?: unknown; max_age?: unknown }) => {
              const fileID = String(item?.fileid ?? '');
              const path = this.pathOf(item?.fileid);
              if (!path || !this.exists(path)) return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'file does not exist' };
              const maxAge = typeof item.max_age === 'number' && item.max_age > 0 ? Math.floor(item.max_age) : DEFAULT_MAX_AGE_S;
              return { fileID, tempFileURL: this.tempUrl(path, maxAge), maxAge, code: 'SUCCESS' };
            }),
          },
        };
      }
      case 'storage.batchDeleteFile': {
        const list = body.fileid_list;
        if (!Array.isArray(list) || list.length === 0) throw new CloudError('INVALID_PARAM', 'fileid_list must be a non-empty array');
        return {
          data: {
            delete_list: list.map((fileID: unknown) => {
              const path = this.pathOf(fileID);
              const gone = path ? this.store.db.prepare('DELETE FROM __files WHERE path = ?').run(path).changes : 0;
              return gone ? { fileID, code: 'SUCCESS' } : { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'file does not exist' };
            }),
          },
        };
      }
      default:
        throw new CloudError('INVALID_PARAM', `action ${action} is not supported by the local cloud's storage`);
    }
  }

  private exists(path: string): boolean {
    return !!this.store.db.prepare('SELECT 1 FROM __files WHERE path = ?').get(path);
  }

  private tempUrl(path: string, maxAgeS: number): string {
    const t = Math.floor(this.clock.now() / 1000) + maxAgeS;
    // The path as it is, not percent-encoded: the SDK (downloadFile, getFileInfo) runs encodeURI over the link, as
    // the service's links carry raw paths; a browser or fetch encodes it the same way.
    return `${this.baseUrl()}${SERVE_PREFIX}${path}?sign=${this.sign(`get\n${path}\n${t}`)}&t=${t}`;
  }

  /** PUT of an upload: the body is the file. Answers as COS does: 200 and no body, or an XML <Error>. */
  async upload(req: http.IncomingMessage, res: http.ServerResponse, encoded: string): Promise<void> {
    const path = decodePath(encoded);
    const auth = String(req.headers.authorization ?? '');
    const m = /^LOCAL-COS (\d+):([0-9a-f]+)$/.exec(auth);
    const body = await readRaw(req, MAX_FILE_BYTES).catch(() => null);
    if (req.method !== 'PUT') return cosError(res, 405, 'MethodNotAllowed', 'use PUT');
    if (!path) return cosError(res, 400, 'InvalidURI', 'bad object key');
    if (!m || m[2] !== this.sign(`put\n${path}\n${m[1]}`)) return cosError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (Number(m[1]) < this.clock.now()) return cosError(res, 403, 'AccessDenied', 'Request has expired');
    if (!body) return cosError(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.');
    const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
    this.store.db
      .prepare('INSERT INTO __files (path, body, type, size, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET body = excluded.body, type = excluded.type, size = excluded.size, at = excluded.at')
      .run(path, body, TYPES[ext] ?? 'application/octet-stream', body.length, this.clock.now());
    res.writeHead(200, { etag: `"${crypto.createHash('md5').update(body).digest('hex')}"`, 'content-length': '0' });
    res.end();
  }

  /**
   * A product picture from the browser build (the gateway has checked the caller's identity). `body` is null when it
   * was over MAX_IMAGE_BYTES. Checked again here whatever the page checked: the bytes must be a JPEG, PNG or WebP;
   * refused, nothing is stored. Stored under products/<ms>-<random>.<ext>, a name the caller does not choose, so no
   * upload can overwrite another file.
   */
  storeImage(body: Buffer | null): ImageUploadResult {
    if (!body) return { ok: false, status: 413, code: 'IMAGE_TOO_LARGE', message: IMAGE_SIZE_MESSAGE };
    const kind = sniffImage(body);
    if (!kind) return { ok: false, status: 415, code: 'IMAGE_TYPE_UNSUPPORTED', message: IMAGE_TYPE_MESSAGE };
    const path = `${PUBLIC_FOLDER}${this.clock.now()}-${crypto.randomBytes(6).toString('hex')}.${kind.ext}`;
    this.store.db.prepare('INSERT INTO __files (path, body, type, size, at) VALUES (?, ?, ?, ?, ?)').run(path, body, kind.contentType, body.length, this.clock.now());
    return { ok: true, fileID: this.fileId(path), path, contentType: kind.contentType };
  }

  /** GET / HEAD of a public picture (products/ only), unsigned, as a public-read folder is served by the service's CDN. */
  servePublic(req: http.IncomingMessage, res: http.ServerResponse, encoded: string): void {
    const cors = { 'access-control-allow-origin': '*' };
    const path = decodePath(encoded);
    const row = path?.startsWith(PUBLIC_FOLDER) ? (this.store.db.prepare('SELECT body, type FROM __files WHERE path = ?').get(path) as { body: Buffer; type: string } | undefined) : undefined;
    if (!row) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', cors);
    res.writeHead(200, { ...cors, 'content-type': row.type, 'content-length': String(row.body.length), 'cache-control': 'public, max-age=3600' });
    res.end(req.method === 'HEAD' ? undefined : row.body);
  }

  /** GET / HEAD of a temp URL. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, encoded: string, query: URLSearchParams): void {
    const cors = { 'access-control-allow-origin': '*' };
    const path = decodePath(encoded);
    const t = Number(query.get('t'));
    if (!path || query.get('sign') !== this.sign(`get\n${path}\n${t}`)) return cosError(res, 403, 'AccessDenied', 'Access Denied.', cors);
    if (!Number.isFinite(t) || t * 1000 < this.clock.now()) return cosError(res, 403, 'AccessDenied', 'Request has expired', cors);
    const row = this.store.db.prepare('SELECT body, type FROM __files WHERE path = ?').get(path) as { body: Buffer; type: string } | undefined;
    if (!row) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', cors);
    res.writeHead(200, { ...cors, 'content-type': row.type, 'content-length': String(row.body.length), 'cache-control': 'private, max-age=600' });
    res.end(req.method === 'HEAD' ? undefined : row.body);
  }
}

/** A cloud path as the service takes it: relative, no empty, `.` or `..` segments, no control characters, ≤ 850 bytes. */
function checkPath(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new CloudError('INVALID_PARAM', 'path is required');
  const bad = value.startsWith('/') || Buffer.byteLength(value) > 850 || /[\x00-\x1f\x7f\\]/.test(value) || value.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new CloudError('INVALID_PARAM', `invalid cloud path: ${value}`);
  return value;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

function decodePath(encoded: string): string | null {
  try {
    return checkPath(encoded.split('/').map(decodeURIComponent).join('/'));
  } catch {
    return null;
  }
}

function cosError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const requestId = crypto.randomBytes(8).toString('hex');
  res.writeHead(status, { ...headers, 'content-type': 'application/xml' });
  res.end(`<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n<Code>${code}</Code>\n<Message>${message}</Message>\n<Resource>local</Resource>\n<RequestId>${requestId}</RequestId>\n<TraceId>${requestId}</TraceId>\n</Error>`);
}

export function readRaw(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(new Error('body too large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
