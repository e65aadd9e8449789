/**
 * What a product picture upload may be, in one place: the merchant editor checks a chosen file before uploading
 * (src/packages/merchant/components/ImageManager.tsx) and the local cloud's upload endpoint checks the bytes again
 * (emulator/storage.ts, `POST /storage/upload`). The messages carry the formats and the limit by name; the catalogue
 * (types/errors.ts IMAGE_TYPE_UNSUPPORTED / IMAGE_TOO_LARGE) holds the codes.
 */

/** 2 MB per picture. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** The accepted MIME types and the file extension each is stored under. */
export const IMAGE_MIME_TYPES: Readonly<Record<string, 'jpg' | 'png' | 'webp'>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The accepted file name extensions (lower case), for files that carry a name but no MIME type (weapp paths). */
export const IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp'];

export const IMAGE_TYPE_MESSAGE = '图片格式不支持，请上传 JPG、PNG 或 WebP 图片';
export const IMAGE_SIZE_MESSAGE = '图片太大，单张不能超过 2 MB';
