/**
 * 商品图片: the product's pictures in order (the first is the 主图 the shop shows), each movable left or right, made
 * the main one, or removed, and + 上传 for more (up to 9). A chosen file is checked first (JPG, PNG or WebP, by MIME
 * type when the platform gives one, else by name; ≤ 2 MB — types/imageUpload.ts) and then kept in cloud storage, its
 * `cloud://` fileID added to the list:
 * - WeChat: Taro.cloud.uploadFile to products/<time>-<n>.<ext>;
 * - browser build: chooseImage gives a blob: path, the MIME type and the File, which goes to the local cloud's
 *   `POST /storage/upload` as the tab's dev identity (services/images.ts); the local cloud checks the bytes again and
 *   answers the fileID, or its refusal, shown as is.
 * Links can still be typed in the field below.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { IMAGE_EXTENSIONS, IMAGE_MIME_TYPES, IMAGE_SIZE_MESSAGE, IMAGE_TYPE_MESSAGE, MAX_IMAGE_BYTES } from '../../../../types/imageUpload';
import ProductImage from '../../../components/ProductImage';
import { CloudError } from '../../../services/cloud';
import { uploadPicture } from '../../../services/images';
import './ImageManager.css';

export const MAX_IMAGES = 9;
export { MAX_IMAGE_BYTES };
const IS_H5 = process.env.TARO_ENV === 'h5';

/** A chosen picture: weapp gives a path and a size; the browser build also the MIME type, the name and the File. */
export interface ChosenFile {
  path: string;
  size: number;
  type?: string;
  name?: string;
  file?: Blob;
}

/** What is wrong with a chosen file before it is uploaded, or null. The MIME type decides when there is one. */
export function imageFileProblem(file: ChosenFile): string | null {
  const ext = /\.(\w+)$/.exec(file.name ?? file.path)?.[1]?.toLowerCase() ?? '';
  const typeOk = file.type ? file.type.toLowerCase() in IMAGE_MIME_TYPES : IMAGE_EXTENSIONS.includes(ext);
  if (!typeOk) return IMAGE_TYPE_MESSAGE;
  if (file.size > MAX_IMAGE_BYTES) return IMAGE_SIZE_MESSAGE;
  return null;
}

/** `images` with the one at `from` moved to `to`. */
export function moveImage(images: string[], from: number, to: number): string[] {
  if (to < 0 || to >= images.length || from === to) return images;
  const next = images.slice();
  const [it] = next.splice(from, 1);
  next.splice(to, 0, it);
  return next;
}

/** Stores one checked file and answers its fileID. */
async function store(f: ChosenFile, i: number): Promise<string | undefined> {
  if (IS_H5) {
    if (!f.file) throw new CloudError('INVALID_ARGUMENT');
    return uploadPicture(f.file);
  }
  const ext = /\.(\w+)$/.exec(f.path)![1].toLowerCase();
  const res = await Taro.cloud.uploadFile({ cloudPath: `products/${Date.now()}-${i}.${ext}`, filePath: f.path });
  return res.fileID || undefined;
}

interface Props {
  images: string[];
  onChange: (images: string[]) => void;
}

export default function ImageManager({ images, onChange }: Props) {
  const [uploading, setUploading] = useState(false);

  const upload = async () => {
    if (uploading || images.length >= MAX_IMAGES) return;
    let files: ChosenFile[];
    try {
      // In the browser the album choice is the file picker (which offers the camera on a phone); asking for both
      // would make Taro show its own 拍摄 / 从相册选择 sheet first.
      const chosen = await Taro.chooseImage({ count: MAX_IMAGES - images.length, sizeType: ['compressed'], sourceType: IS_H5 ? ['album'] : ['album', 'camera'] });
      files = chosen.tempFiles.map((f) => (IS_H5 ? { path: f.path, size: f.size, type: f.type, name: f.originalFileObj?.name, file: f.originalFileObj } : { path: f.path, size: f.size }));
    } catch {
      return; // cancelled
    }
    // Taro's browser chooseImage drops a file the browser cannot decode as a picture: nothing usable was chosen.
    const problem = files.length === 0 ? IMAGE_TYPE_MESSAGE : files.map(imageFileProblem).find(Boolean);
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    setUploading(true);
    try {
      const added: string[] = [];
      for (const [i, f] of files.entries()) {
        const fileID = await store(f, i);
        if (fileID) added.push(fileID);
      }
      onChange([...images, ...added].slice(0, MAX_IMAGES));
    } catch (err) {
      // The local cloud's refusal says what was wrong with the picture; WeChat's failures are all 上传失败.
      void Taro.showToast({ title: IS_H5 && err instanceof CloudError && err.code.startsWith('IMAGE_') ? err.message : '上传失败，请重试', icon: 'none' });
    } finally {
      setUploading(false);
    }
  };

  return (
    <View className='image-manager'>
      {images.slice(0, MAX_IMAGES).map((u, i) => (
        <View key={`${i}:${u}`} className='image-manager__item'>
          <ProductImage className='thumb' src={u} />
          {i === 0 ? <Text className='image-manager__main'>主图</Text> : <Text className='image-manager__make-main' onClick={() => onChange(moveImage(images, i, 0))}>设为主图</Text>}
          <View className='image-manager__tools'>
            <Text className='image-manager__left' onClick={() => onChange(moveImage(images, i, i - 1))}>
              ←
            </Text>
            <Text className='image-manager__right' onClick={() => onChange(moveImage(images, i, i + 1))}>
              →
            </Text>
            <Text className='image-manager__remove' onClick={() => onChange(images.filter((_, j) => j !== i))}>
              删除
            </Text>
          </View>
        </View>
      ))}
      {images.length < MAX_IMAGES && (
        <View className='image-manager__add thumb' onClick={() => void upload()}>
          <Text>{uploading ? '上传中…' : '+ 上传'}</Text>
        </View>
      )}
    </View>
  );
}
