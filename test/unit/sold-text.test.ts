/** 已售 wording (src/utils/format.ts soldText): whole units below 10,000, then 万 with one decimal, never rounded up. */
import { soldText } from '../../src/utils/format';

test.each([
  [0, ''],
  [-3, ''],
  [Number.NaN, ''],
  [1, '已售 1'],
  [9_999, '已售 9999'],
  [10_000, '已售 1万'],
  [12_345, '已售 1.2万'],
  [19_999, '已售 1.9万'], // floored: the card never claims more than was sold
  [20_000, '已售 2万'],
  [1_234_567, '已售 123.4万'],
])('%p units → %p', (units, text) => {
  expect(soldText(units)).toBe(text);
});
