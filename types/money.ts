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

/** "12.50", "12" — yuan for an input box or a title: no currency sign, no trailing ".00". Display only. */
export function yuanText(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const cents = abs % 100;
  const yuan = `${Math.floor(abs / 100)}`;
  if (cents === 0) return `${sign}${yuan}`;
  return `${sign}${yuan}.${cents.toString().padStart(2, '0')}`;
}

/** Fen from yuan a person typed ("12.5" → 1250), exactly (no floating point); null when it is not an amount. */
export function parseYuan(text: string): Fen | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return (Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))) as Fen;
}

/** Points → fen at `pointsPerYuan` points per ¥1 (floor: a fraction of a fen buys nothing); 0 at no rate. */
export function pointsToFen(points: number, pointsPerYuan: number): Fen {
  if (!Number.isSafeInteger(points) || !Number.isSafeInteger(pointsPerYuan)) throw new RangeError(`points and pointsPerYuan must be safe integers, got ${points}, ${pointsPerYuan}`);
  return (pointsPerYuan > 0 ? Math.floor((points * 100) / pointsPerYuan) : 0) as Fen;
}

/** The fewest points worth `amountFen` (ceil), the inverse of pointsToFen. */
export function fenToPoints(amountFen: number, pointsPerYuan: number): number {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`amountFen must be a safe integer, got ${amountFen}`);
  return Math.ceil((amountFen * pointsPerYuan) / 100);
}
