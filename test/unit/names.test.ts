import { maskNickname } from '../../types/names';

describe('maskNickname: how others see a nickname, everywhere', () => {
  it.each([
    ['小白', '小*'],
    ['小', '小*'],
    ['张三丰', '张*丰'],
    ['微信用户', '微**户'],
    ['Bartholomew', 'B***w'],
    ['', '微信用户'],
    ['  ', '微信用户'],
    ['😀😃', '😀*'],
  ])('%j → %j', (name, masked) => expect(maskNickname(name)).toBe(masked));
});
