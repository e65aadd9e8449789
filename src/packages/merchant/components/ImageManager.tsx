/**
 * 商品图片: the product's pictures in order (the first is the 主图 the shop shows), each movable left or right, made
 * the main one, or removed, and + 上传 for more (up to 9). An upload is checked first (JPG, PNG or WebP, ≤ 2 MB; the
 * server checks again) and kept in cloud storage (Taro.cloud.uploadFile), its fileID added to the list. The browser
 * build has no upload yet (the local cloud serves the SDK's storage, not the app's): it says so, and links are typed
 * in the field below instead.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import ProductImage from '../../../components/ProductImage';
import './ImageManager.css';

export const MAX_IMAGES = 9;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'];

/** What is wrong with a chosen file before it is uploaded, or null. */
export function imageFileProblem(file: { path: string; size: number }): string | null {
  const ext = /\.(\w+)$/.exec(file.path)?.[1]?.toLowerCase() ?? '';
  if (!EXTENSIONS.includes(ext)) return '图片格式不支持，请上传 JPG、PNG 或 WebP 图片';
  if (file.size > MAX_IMAGE_BYTES) return '图片太大，单张不能超过 2 MB';
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

interface Props {
  images: string[];
  onChange: (images: string[]) => void;
}

export default function ImageManager({ images, onChange }: Props) {
  const [uploading, setUploading] = useState(false);

  const upload = async () => {
    if (uploading || images.length >= MAX_IMAGES) return;
    if (process.env.TARO_ENV === 'h5') {
      void Taro.showToast({ title: '浏览器版暂不支持上传，请在下方填写图片链接', icon: 'none' });
      return;
    }
    let files: { path: string; size: number }[];
    try {
      const chosen = await Taro.chooseImage({ count: MAX_IMAGES - images.length, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      files = chosen.tempFiles.map((f) => ({ path: f.path, size: f.size }));
    } catch {
      return; // cancelled
    }
    const problem = files.map(imageFileProblem).find(Boolean);
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    setUploading(true);
    try {
      const added: string[] = [];
      for (const [i, f] of files.entries()) {
        const ext = /\.(\w+)$/.exec(f.path)![1].toLowerCase();
        const res = await Taro.cloud.uploadFile({ cloudPath: `products/${Date.now()}-${i}.${ext}`, filePath: f.path });
        if (res.fileID) added.push(res.fileID);
      }
      onChange([...images, ...added].slice(0, MAX_IMAGES));
    } catch {
      void Taro.showToast({ title: '上传失败，请重试', icon: 'none' });
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
