/**
 * How one user's nickname is shown to others, everywhere (helpers on an assist card, invitees, the profile preview):
 * "小白" → "小*", "Alice" → "A***e", "" → "微信用户". Shared by the functions and the app so the preview is exact.
 */
export function maskNickname(nickname: string): string {
  const chars = [...(nickname ?? '').trim()];
  if (chars.length === 0) return '微信用户';
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`;
}
