/** Money text and parsing, one place (types/money.ts): yuan typed by a person, yuan for inputs and titles, points. */
import { formatFen, parseYuan, pointsToFen, yuanText } from '../../types/money';

it.each<[string, number | null]>([
  ['12', 1200],
  ['12.5', 1250],
  ['12.50', 1250],
  [' 0.01 ', 1],
  ['0', 0],
  ['12.345', null],
  ['1e3', null],
  ['-1', null],
  ['¥12', null],
  ['', null],
  ['12.', null],
  ['.5', null],
  ['1234567890', null],
])('parseYuan(%p) = %p, exactly', (text, fen) => {
  expect(parseYuan(text)).toBe(fen);
});

it.each<[number, string, string]>([
  [1250, '12.50', '¥12.50'],
  [1200, '12', '¥12.00'],
  [1, '0.01', '¥0.01'],
  [0, '0', '¥0.00'],
  [-5, '-0.05', '-¥0.05'],
])('%p fen reads %p in an input and %p on a label', (fen, input, label) => {
  expect(yuanText(fen)).toBe(input);
  expect(formatFen(fen)).toBe(label);
  if (fen >= 0) expect(parseYuan(yuanText(fen))).toBe(fen);
});

it('points are worth fen at the rate, floored; no rate is worth nothing', () => {
  expect(pointsToFen(250, 100)).toBe(250);
  expect(pointsToFen(1, 3)).toBe(33);
  expect(pointsToFen(99, 0)).toBe(0);
  expect(() => pointsToFen(1.5, 100)).toThrow(RangeError);
});
