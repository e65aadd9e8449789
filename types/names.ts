/**
 * How one user's nickname is shown to others, everywhere (helpers on an assist card, invitees, the profile preview):
 * "小白" → "小*", "Alice" → "A***e", "" → "微信用户". Shared by the functions and the app so the preview is exact.
 */

/** The nickname a user has until they set one (WeChat's own word for a nameless user). */
export const DEFAULT_NICKNAME = '微信用户';

/** Whether the user chose a name (not empty, not the placeholder every new user gets). */
export function hasOwnNickname(nickname: string | null | undefined): boolean {
  const name = (nickname ?? '').trim();
  return name !== '' && name !== DEFAULT_NICKNAME;
}

export function maskNickname(nickname: string): string {
  // The placeholder is nobody's personal data: shown as it is, not as a masked "微**户".
  if (!hasOwnNickname(nickname)) return DEFAULT_NICKNAME;
  const chars = [...(nickname ?? '').trim()];
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`;
}

/**
 * A short, stable seed for a user's generated avatar (colour and glyph), the same wherever they appear: FNV-1a of the
 * openid, 32 bits in base 36. Others see the seed, never the openid.
 */
export function avatarSeedOf(openid: string): string {
  let h = 0x811c9dc5;
  for (const ch of `avatar:${openid}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
