/** Integer amount of fen (1/100 yuan). Branded so a plain number cannot be passed where money is meant. */
export type Fen = number & { readonly __unit: 'fen' };
/** Integer ratio in basis points: 10_000 = 100 %. */
export type BasisPoints = number & { readonly __unit: 'bp' };

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`fen must be a safe integer, got ${value}`);
  return value as Fen;
}

/** "¥12.30" — display only; never parse it back. */
export function formatFen(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}¥${yuan}.${cents.toString().padStart(2, '0')}`;
}
