/**
 * Product pictures uploaded to cloud storage (`cloud://` file ids, from the editor's upload): before a save keeps a
 * new one, the server checks that it can serve it — the file exists (a temp URL), and what that URL answers is a
 * JPEG, PNG or WebP of at most 2 MB (a HEAD request: content-type and content-length). The client checks the same
 * before uploading; this is the check a modified client cannot skip. Links (https, app paths) are taken as before.
 */
import type { ErrorCode } from '../../../types/errors';
import { AppError } from '../../infra/errors';
import { tempFileUrl } from '../../infra/storage';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** What is wrong with one stored file, or null. */
async function problemOf(fileID: string): Promise<ErrorCode | null> {
  const url = await tempFileUrl(fileID, 600);
  if (!url) return 'PRODUCT_IMAGE_MISSING';
  const res = await fetch(url, { method: 'HEAD' });
  if (!res.ok) return 'PRODUCT_IMAGE_MISSING';
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!IMAGE_TYPES.includes(type)) return 'PRODUCT_IMAGE_TYPE';
  const size = Number(res.headers.get('content-length'));
  if (!Number.isFinite(size) || size > MAX_IMAGE_BYTES) return 'PRODUCT_IMAGE_TOO_LARGE';
  return null;
}

/** Refuses the save when one of the cloud files among `images` that `kept` does not already hold is not servable. */
export async function checkUploadedImages(images: string[], kept: readonly string[] = []): Promise<void> {
  const fresh = [...new Set(images.filter((u) => u.startsWith('cloud://') && !kept.includes(u)))];
  for (const fileID of fresh) {
    const problem = await problemOf(fileID);
    if (problem) throw new AppError(problem);
  }
}
