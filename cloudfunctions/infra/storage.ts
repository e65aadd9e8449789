/**
 * Cloud storage (云存储) through @cloudbase/node-sdk: the same calls on CloudBase and on the local cloud. Only the
 * function bundles that use it carry the SDK's storage module (config/bundle-stubs: STUBS[].keptFor).
 */
import { cloud } from './db';

/** Upload (or overwrite) a file at `cloudPath`; answers its file id (`cloud://…`). */
export async function uploadFile(cloudPath: string, content: Buffer): Promise<string> {
  const res = await cloud().uploadFile({ cloudPath, fileContent: content });
  if (!res.fileID) throw new Error(`upload of ${cloudPath} answered no file id`);
  return res.fileID;
}

/** A temporary https link to the file, or null when there is no such file. */
export async function tempFileUrl(fileID: string, maxAgeS = 3600): Promise<string | null> {
  const res = await cloud().getTempFileURL({ fileList: [{ fileID, maxAge: maxAgeS }] });
  const item = res.fileList?.[0];
  return item && item.code === 'SUCCESS' && item.tempFileURL ? item.tempFileURL : null;
}

export async function deleteFiles(fileIDs: string[]): Promise<void> {
  if (fileIDs.length) await cloud().deleteFile({ fileList: fileIDs });
}
