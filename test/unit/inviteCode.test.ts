import { INVITE_ALPHABET, inviteCodeFrom, isInviteCode } from '../../cloudfunctions/domain/inviteCode';

describe('invite codes', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0], 'AAAAAA'],
    [[30, 31, 32, 61, 62, 255], '9AB9A' + INVITE_ALPHABET[255 % INVITE_ALPHABET.length]],
  ])('maps bytes %j to %s', (bytes, code) => {
    expect(inviteCodeFrom(Uint8Array.from(bytes))).toBe(code);
  });

  it('never uses characters people confuse', () => {
    for (let b = 0; b < 256; b++) expect(inviteCodeFrom(Uint8Array.from([b, b, b, b, b, b]))).not.toMatch(/[01OIL]/);
  });

  it('recognises its own codes only', () => {
    expect(isInviteCode('ABC234')).toBe(true);
    expect(isInviteCode('ABC23')).toBe(false);
    expect(isInviteCode('ABC0O1')).toBe(false);
  });

  it('refuses too few random bytes', () => {
    expect(() => inviteCodeFrom(new Uint8Array(3))).toThrow(RangeError);
  });
});
