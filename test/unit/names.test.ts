import { avatarSeedOf, hasOwnNickname, maskNickname } from '../../types/names';

describe('maskNickname: how others see a nickname, everywhere', () => {
  it.each([
    ['小白', '小*'],
    ['小', '小*'],
    ['张三丰', '张*丰'],
    ['微信用户', '微信用户'], // the placeholder every new user has is shown as it is
    ['Bartholomew', 'B***w'],
    ['', '微信用户'],
    ['  ', '微信用户'],
    ['😀😃', '😀*'],
  ])('%j → %j', (name, masked) => expect(maskNickname(name)).toBe(masked));
});

describe('avatarSeedOf: a stable, distinct seed per user for the generated avatar (issue 17.3)', () => {
  it('is the same for the same openid and differs between users', () => {
    expect(avatarSeedOf('o-alice')).toBe(avatarSeedOf('o-alice'));
    const seeds = new Set(Array.from({ length: 200 }, (_, i) => avatarSeedOf(`o-user-${i}`)));
    expect(seeds.size).toBe(200);
    expect(avatarSeedOf('o-alice')).toMatch(/^[0-9a-z]{1,7}$/);
    expect(avatarSeedOf('o-alice')).not.toContain('alice');
  });

  it('hasOwnNickname: the placeholder and blanks are not a name', () => {
    expect(hasOwnNickname('微信用户')).toBe(false);
    expect(hasOwnNickname('  ')).toBe(false);
    expect(hasOwnNickname(undefined)).toBe(false);
    expect(hasOwnNickname('小明')).toBe(true);
  });
});
