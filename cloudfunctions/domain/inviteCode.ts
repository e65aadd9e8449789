/** Short invite codes people can read aloud and type: no 0/O, 1/I/L. */
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_CODE_LENGTH = 6;

/** A code from random bytes (one byte per character; the modulo bias over 31 symbols is irrelevant here). */
export function inviteCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < INVITE_CODE_LENGTH) throw new RangeError('need at least 6 random bytes');
  let code = '';
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += INVITE_ALPHABET[bytes[i] % INVITE_ALPHABET.length];
  return code;
}

export function isInviteCode(s: string): boolean {
  return s.length === INVITE_CODE_LENGTH && [...s].every((c) => INVITE_ALPHABET.includes(c));
}
