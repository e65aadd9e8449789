/**
 * Every product picture in the app: a missing URL or one that fails to load (404, blocked, not an image) shows a
 * neutral placeholder in the same box instead of the platform's broken-image icon. A `cloud://` file id is shown as
 * is in WeChat and through the local cloud's public link in the browser build (services/images.ts `pictureSrc`).
 */
import { Image, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { pictureSrc } from '../services/images';

type Mode = 'aspectFill' | 'aspectFit' | 'widthFix' | 'scaleToFill';

interface Props {
  src: string | undefined | null;
  /** The box's class (its size); the placeholder takes it too, so the layout never moves. */
  className: string;
  mode?: Mode;
  lazyLoad?: boolean;
  onClick?: () => void;
}

export default function ProductImage({ src, className, mode = 'aspectFill', lazyLoad, onClick }: Props) {
  const [failed, setFailed] = useState(false);
  // A new picture gets its own chance to load.
  useEffect(() => setFailed(false), [src]);
  if (!src || failed) {
    return (
      <View className={`${className} product-image--placeholder${mode === 'widthFix' ? ' product-image--placeholder-wide' : ''}`} onClick={onClick}>
        <Text className='product-image__glyph'>暂无图片</Text>
      </View>
    );
  }
  return <Image className={`${className} product-image`} src={pictureSrc(src)} mode={mode} lazyLoad={lazyLoad} onError={() => setFailed(true)} onClick={onClick} />;
}
