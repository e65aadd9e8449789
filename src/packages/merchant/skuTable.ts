/**
 * 规格 on the product editor, pure: the options the merchant typed, one row (价格, 库存) per combination of their
 * values, and the table a save sends. The server checks it all again (domain/productSkus); these checks only put each
 * problem next to its field. A row's stock is sent only when the merchant changed it from the loaded SKU's: orders
 * reserve units while the form is open, and an omitted stock keeps what is stored at write time.
 */
import type { MerchantProductView, SaveProductInput } from '../../../types/api';
import { SKU_LIMITS } from '../../../types/skuLimits';
import { fenInput, parseCount, parseYuan } from './format';

export const MAX_OPTIONS = SKU_LIMITS.options;
export const MAX_OPTION_VALUES = SKU_LIMITS.values;
const MAX_NAME = SKU_LIMITS.name;
const MAX_VALUE = SKU_LIMITS.value;
const MAX_PRICE_FEN = SKU_LIMITS.priceFen;
const MAX_STOCK = SKU_LIMITS.stock;

export interface OptionDraft {
  name: string;
  values: string[];
}

export interface RowDraft {
  price: string;
  stock: string;
}

/** The 规格 part of the form: rows by `rowKey` (values only, so renaming an option keeps what was typed). */
export interface SkuDraft {
  multi: boolean;
  options: OptionDraft[];
  rows: Record<string, RowDraft>;
}

export interface SkuProblems {
  /** About the options themselves (names, values). */
  options?: string;
  /** By row key. */
  rows: Record<string, string>;
}

type SkuLine = NonNullable<SaveProductInput['skus']>[number];

export const EMPTY_ROW: RowDraft = { price: '', stock: '' };

export function rowKey(values: string[]): string {
  return values.join('\u0001');
}

/** Every combination of the options' values, in option order (the first option varies slowest). */
export function combinations(options: OptionDraft[]): string[][] {
  let combos: string[][] = [[]];
  for (const o of options) combos = combos.flatMap((c) => o.values.map((v) => [...c, v]));
  return options.length ? combos : [];
}

/** '红 / M' */
export function comboText(values: string[]): string {
  return values.join(' / ');
}

/** Values typed into the add box: split on commas (，, 、) or spaces, trimmed, without blanks. */
export function splitValues(text: string): string[] {
  return text
    .split(/[,，、\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The 规格 of a loaded product (multi when it has SKUs), or a new product's (单规格). */
export function skuDraftOf(p: MerchantProductView | null): SkuDraft {
  const skus = p?.skus ?? [];
  const options = p?.options ?? [];
  if (!p || skus.length === 0 || options.length === 0) return { multi: false, options: [], rows: {} };
  const rows: Record<string, RowDraft> = {};
  for (const s of skus) rows[rowKey(options.map((o) => s.spec[o.name] ?? ''))] = { price: fenInput(s.priceFen), stock: String(s.stockQty) };
  return { multi: true, options: options.map((o) => ({ name: o.name, values: [...o.values] })), rows };
}

/** The loaded SKU with exactly this spec (same option names and values: the server's skuId), if any. */
function loadedSku(loaded: MerchantProductView | null, spec: Record<string, string>) {
  const names = Object.keys(spec);
  return (loaded?.skus ?? []).find((s) => Object.keys(s.spec).length === names.length && names.every((n) => s.spec[n] === spec[n]));
}

/**
 * The options + SKU table a save sends for a 多规格 form (`loaded`: the product as opened), with the lowest price (the
 * request's `priceFen`), or the problems by field.
 */
export function checkSkuDraft(d: SkuDraft, loaded: MerchantProductView | null): { options: OptionDraft[]; skus: SkuLine[]; lowestFen: number } | { problems: SkuProblems } {
  const problems: SkuProblems = { rows: {} };
  const options = d.options.map((o) => ({ name: o.name.trim(), values: o.values.map((v) => v.trim()) }));
  const names = new Set<string>();
  for (const o of options) {
    if (!o.name) problems.options = '请填写规格名称，如：颜色';
    else if (o.name.length > MAX_NAME) problems.options = `规格名称最多 ${MAX_NAME} 个字`;
    else if (names.has(o.name)) problems.options = `规格名称「${o.name}」重复`;
    else if (o.values.length === 0) problems.options = `请给「${o.name}」添加至少一个规格值`;
    else if (o.values.length > MAX_OPTION_VALUES) problems.options = `「${o.name}」最多 ${MAX_OPTION_VALUES} 个规格值`;
    else if (o.values.some((v) => !v || v.length > MAX_VALUE)) problems.options = `规格值须为 1–${MAX_VALUE} 个字`;
    else if (new Set(o.values).size !== o.values.length) problems.options = `「${o.name}」的规格值重复`;
    if (problems.options) break;
    names.add(o.name);
  }
  if (!problems.options && (options.length < 1 || options.length > MAX_OPTIONS)) problems.options = `请填写 1–${MAX_OPTIONS} 种规格（如颜色、尺码）`;
  if (problems.options) return { problems };
  const skus: SkuLine[] = [];
  for (const values of combinations(options)) {
    const key = rowKey(values);
    const row = d.rows[key] ?? EMPTY_ROW;
    const spec = Object.fromEntries(options.map((o, i) => [o.name, values[i]]));
    const priceFen = parseYuan(row.price);
    const stock = parseCount(row.stock);
    const was = loadedSku(loaded, spec);
    if (!(priceFen > 0 && priceFen <= MAX_PRICE_FEN)) problems.rows[key] = '价格请填写大于 0 的金额，最多两位小数';
    else if (!row.stock.trim()) problems.rows[key] = '请填写库存';
    else if (!(stock >= 0 && stock <= MAX_STOCK)) problems.rows[key] = '库存请填写整数';
    else skus.push({ spec, priceFen, ...(was && was.stockQty === stock ? {} : { stockQty: stock }) });
  }
  if (Object.keys(problems.rows).length) return { problems };
  return { options, skus, lowestFen: Math.min(...skus.map((s) => s.priceFen)) };
}
