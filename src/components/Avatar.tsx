/**
 * A user's picture, or one generated from their avatar seed (types/names avatarSeedOf) when they have none or it
 * fails to load: a coloured disc with their initial (or, for a nameless 微信用户, a fruit glyph), so two people never
 * look the same by default. Nothing is fetched for it.
 */
import { Image, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { hasOwnNickname } from '../../types/names';

const COLORS = ['#f56a00', '#7265e6', '#d4a106', '#00a2ae', '#e4393c', '#389e0d', '#1677ff', '#c41d7f', '#d46b08', '#08979c'];
const GLYPHS = ['橙', '柚', '桃', '梨', '杏', '莓', '柿', '李', '枣', '橘'];

function hashOf(seed: string): number {
  const n = Number.parseInt(seed, 36);
  if (Number.isSafeInteger(n) && n >= 0) return n;
  let h = 0;
  for (const ch of seed) h = (Math.imul(h, 31) + ch.codePointAt(0)!) >>> 0;
  return h;
}

/** The generated look for a seed and name: colour and the character drawn. Exported for the tests' sake. */
export function generatedAvatar(seed: string, name: string): { color: string; text: string } {
  const h = hashOf(seed);
  const text = hasOwnNickname(name) ? [...name.trim()][0] : GLYPHS[Math.floor(h / COLORS.length) % GLYPHS.length];
  return { color: COLORS[h % COLORS.length], text };
}

interface Props {
  url?: string | null;
  name: string;
  seed: string;
  /** The size and shape (each list has its own). */
  className: string;
}

export default function Avatar({ url, name, seed, className }: Props) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  if (url && !failed) return <Image className={`${className} avatar`} src={url} mode='aspectFill' onError={() => setFailed(true)} />;
  const look = generatedAvatar(seed, name);
  return (
    <View className={`${className} avatar avatar--generated`} style={{ background: look.color }}>
      {look.text}
    </View>
  );
}
