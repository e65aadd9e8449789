/**
 * A chart drawn once to a picture: weapp draws on an offscreen 2d canvas and shows the temp file, the browser draws
 * on a canvas element and shows a data URL. `summary` is the same numbers in words, for screen readers and tests.
 */
import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ChartCtx } from './draw';

interface Props {
  /** Canvas size in design px (750 wide screen); shown at full width. */
  width: number;
  height: number;
  draw: (ctx: ChartCtx) => void;
  /** Changes when the data does (redraws). */
  dataKey: string;
  summary: string;
  className?: string;
}

async function render(width: number, height: number, draw: (ctx: ChartCtx) => void): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    draw(canvas.getContext('2d') as unknown as ChartCtx);
    return canvas.toDataURL('image/png');
  }
  const canvas = Taro.createOffscreenCanvas({ type: '2d', width, height }) as unknown as { getContext(kind: '2d'): ChartCtx };
  draw(canvas.getContext('2d'));
  const res = await Taro.canvasToTempFilePath({ canvas: canvas as never, width, height, destWidth: width, destHeight: height } as Parameters<typeof Taro.canvasToTempFilePath>[0]);
  return res.tempFilePath;
}

export default function ChartImage({ width, height, draw, dataKey, summary, className }: Props) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    render(width, height, draw).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataKey, width, height]);
  return (
    <View className={`chart ${className ?? ''}`}>
      {src && !failed ? (
        <Image className='chart__image' src={src} style={{ width: Taro.pxTransform(width), height: Taro.pxTransform(height) }} />
      ) : (
        <View className='chart__placeholder' style={{ height: Taro.pxTransform(height) }}>
          <Text className='muted'>{failed ? '图表绘制失败' : '绘制中…'}</Text>
        </View>
      )}
      <Text className='chart__summary'>{summary}</Text>
    </View>
  );
}
