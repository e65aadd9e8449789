/**
 * Product pictures in the browser build, against the local cloud (WeChat has its own: Taro.cloud.uploadFile, and
 * <image> shows a cloud:// file id by itself):
 * - `uploadPicture(file)`: the chosen File to `POST /storage/upload` as this tab's dev identity → the `cloud://` file
 *   id, as uploadFile gives it in WeChat. The local cloud checks the bytes again (JPEG, PNG or WebP, ≤ 2 MB) and
 *   names the file itself (products/…); a refusal is a CloudError with its message (IMAGE_TYPE_UNSUPPORTED, …).
 * - `pictureSrc(src)`: what an <Image> can load for a stored picture: a `cloud://` id becomes the local cloud's public
 *   link to it (`/storage/files/<path>`); links and paths pass through. In weapp it is `src` itself.
 */
import { cloudBase, CloudError, fetchAsTab } from './cloud';

/** An upload with no answer after this long is reported as a network failure. */
export const UPLOAD_TIMEOUT_MS = 30_000;

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function pictureSrc(src: string): string;
export function pictureSrc(src: string | null | undefined): string | null | undefined;
export function pictureSrc(src: string | null | undefined): string | null | undefined {
  if (process.env.TARO_ENV !== 'h5' || !src) return src;
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(src);
  return m ? `${cloudBase()}/storage/files/${encodePath(m[1])}` : src;
}

type Envelope = { ok: true; data: { fileID?: unknown } } | { ok: false; code?: unknown; message?: unknown };

export async function uploadPicture(file: Blob): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), UPLOAD_TIMEOUT_MS);
  let res: Response;
  let body: Envelope | undefined;
  try {
    res = await fetchAsTab('/storage/upload', { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file, signal: abort.signal });
    body = (await res.json().catch(() => undefined)) as Envelope | undefined;
  } catch (err) {
    throw err instanceof CloudError ? err : new CloudError('NETWORK');
  } finally {
    clearTimeout(timer);
  }
  if (body?.ok === true && typeof body.data?.fileID === 'string') return body.data.fileID;
  if (body?.ok === false && typeof body.code === 'string') throw new CloudError(body.code, typeof body.message === 'string' ? body.message : undefined);
  // No answer from the gateway (a proxy's error page, an old local cloud without the endpoint).
  throw new CloudError(res.ok ? 'INTERNAL' : 'NETWORK');
}
