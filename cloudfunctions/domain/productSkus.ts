/**
 * 规格 / SKU rules, pure. A product without options is its own single SKU `default` (its `priceFen` and `stock`);
 * a product with options (at most 2 dimensions) has one SKU per combination of values, each with its own price and
 * stock. Legacy products (written before SKUs) have no `skus` and read as the single default SKU.
 */
import type { ProductDoc, ProductOption, ProductSku } from '../../types/models';
import type { Fen } from '../../types/money';
import { SKU_LIMITS } from '../../types/skuLimits';

export const DEFAULT_SKU_ID = 'default';
export const MAX_OPTIONS = SKU_LIMITS.options;
export const MAX_OPTION_VALUES = SKU_LIMITS.values;
const MAX_NAME = SKU_LIMITS.name;
const MAX_VALUE = SKU_LIMITS.value;
const MAX_PRICE_FEN = SKU_LIMITS.priceFen;
const MAX_STOCK = SKU_LIMITS.stock;

export function hasSkus(p: Pick<ProductDoc, 'skus'>): boolean {
  return !!p.skus && p.skus.length > 0;
}

/** Every SKU of a product; a product without options answers its one default SKU (the lazy migration of legacy products). */
export function skusOf(p: Pick<ProductDoc, 'skus' | 'priceFen' | 'stock'>): ProductSku[] {
  if (p.skus && p.skus.length > 0) return p.skus;
  return [{ skuId: DEFAULT_SKU_ID, spec: {}, priceFen: p.priceFen, stockQty: p.stock }];
}

/** '红 / M' in option order; '' for the default SKU. */
export function specText(spec: Record<string, string>, options?: ProductOption[]): string {
  const names = options && options.length ? options.map((o) => o.name) : Object.keys(spec);
  return names
    .map((n) => spec[n])
    .filter((v) => v !== undefined && v !== '')
    .join(' / ');
}

export type SkuVerdict = { ok: true; sku: ProductSku; index: number | null } | { ok: false; reason: 'SKU_REQUIRED' | 'SKU_NOT_FOUND' };

/**
 * The SKU a line buys. No skuId: fine for a product with one SKU (old clients), SKU_REQUIRED for several. `index` is
 * the SKU's position in `skus` (null for the default SKU of a product without options).
 */
export function resolveSku(p: Pick<ProductDoc, 'skus' | 'priceFen' | 'stock'>, skuId: string | undefined): SkuVerdict {
  if (!hasSkus(p)) {
    if (skuId === undefined || skuId === DEFAULT_SKU_ID) return { ok: true, sku: skusOf(p)[0], index: null };
    return { ok: false, reason: 'SKU_NOT_FOUND' };
  }
  const skus = p.skus!;
  if (skuId === undefined) return skus.length === 1 ? { ok: true, sku: skus[0], index: 0 } : { ok: false, reason: 'SKU_REQUIRED' };
  const index = skus.findIndex((s) => s.skuId === skuId);
  return index < 0 ? { ok: false, reason: 'SKU_NOT_FOUND' } : { ok: true, sku: skus[index], index };
}

/** A stable id from the spec values in option order (FNV-1a, hex): the same spec keeps its id across edits. */
export function skuIdFor(spec: Record<string, string>, options: ProductOption[]): string {
  const key = options.map((o) => `${o.name}=${spec[o.name]}`).join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `s${h.toString(16).padStart(8, '0')}`;
}

export interface SkuInput {
  spec: Record<string, string>;
  priceFen: number;
  /** The stock the merchant set; omitted = keep the stored SKU's (`current`), which orders may be reserving now. */
  stockQty?: number;
}

export type SkuTableVerdict =
  | { ok: true; options: ProductOption[]; skus: ProductSku[]; priceFen: Fen; stock: number }
  | { ok: false; message: string };

/**
 * Checks an options + SKU table from the editor: 1–2 options with distinct names and 1–20 distinct values each, and
 * exactly one SKU per combination (in any order; answered in option order), each priced ≥ 1 fen with a stock ≥ 0.
 * A SKU without `stockQty` keeps the stock of the SKU with its id in `current` (the product as stored now); a new
 * combination must have one. Answers the product's derived `priceFen` (lowest) and `stock` (sum). Messages are for
 * PRODUCT_INVALID.
 */
export function checkSkuTable(optionsIn: ProductOption[], skusIn: SkuInput[], current: readonly ProductSku[] = []): SkuTableVerdict {
  if (optionsIn.length < 1 || optionsIn.length > MAX_OPTIONS) return { ok: false, message: `规格最多 ${MAX_OPTIONS} 种（如颜色、尺码）` };
  const options = optionsIn.map((o) => ({ name: o.name.trim(), values: o.values.map((v) => v.trim()) }));
  const names = new Set<string>();
  for (const o of options) {
    if (!o.name || o.name.length > MAX_NAME) return { ok: false, message: `规格名称须为 1–${MAX_NAME} 个字` };
    if (names.has(o.name)) return { ok: false, message: `规格名称「${o.name}」重复` };
    names.add(o.name);
    if (o.values.length < 1 || o.values.length > MAX_OPTION_VALUES) return { ok: false, message: `「${o.name}」须有 1–${MAX_OPTION_VALUES} 个规格值` };
    if (o.values.some((v) => !v || v.length > MAX_VALUE)) return { ok: false, message: `「${o.name}」的规格值须为 1–${MAX_VALUE} 个字` };
    if (new Set(o.values).size !== o.values.length) return { ok: false, message: `「${o.name}」的规格值重复` };
  }
  let combos: Record<string, string>[] = [{}];
  for (const o of options) combos = combos.flatMap((c) => o.values.map((v) => ({ ...c, [o.name]: v })));
  if (skusIn.length !== combos.length) return { ok: false, message: `规格组合应有 ${combos.length} 个，实际 ${skusIn.length} 个` };
  const byId = new Map<string, SkuInput>();
  for (const s of skusIn) {
    const keys = Object.keys(s.spec);
    if (keys.length !== options.length || options.some((o) => !o.values.includes((s.spec[o.name] ?? '').trim()))) {
      return { ok: false, message: '规格组合与规格值不一致' };
    }
    const spec = Object.fromEntries(options.map((o) => [o.name, s.spec[o.name].trim()]));
    const id = skuIdFor(spec, options);
    if (byId.has(id)) return { ok: false, message: `规格组合「${specText(spec, options)}」重复` };
    if (!Number.isSafeInteger(s.priceFen) || s.priceFen < 1 || s.priceFen > MAX_PRICE_FEN) return { ok: false, message: `「${specText(spec, options)}」的价格不正确` };
    let stockQty = s.stockQty;
    if (stockQty === undefined) {
      stockQty = current.find((k) => k.skuId === id)?.stockQty;
      if (stockQty === undefined) return { ok: false, message: `「${specText(spec, options)}」请填写库存` };
    } else if (!Number.isSafeInteger(stockQty) || stockQty < 0 || stockQty > MAX_STOCK) {
      return { ok: false, message: `「${specText(spec, options)}」的库存不正确` };
    }
    byId.set(id, { ...s, spec, stockQty });
  }
  const skus: ProductSku[] = combos.map((spec) => {
    const id = skuIdFor(spec, options);
    const s = byId.get(id)!;
    return { skuId: id, spec, priceFen: s.priceFen as Fen, stockQty: s.stockQty! };
  });
  return { ok: true, options, skus, priceFen: Math.min(...skus.map((s) => s.priceFen)) as Fen, stock: skus.reduce((n, s) => n + s.stockQty, 0) };
}

/** The catalogue's price line: '¥39 起' when SKU prices differ (the lowest is `priceFen`). */
export function pricesVary(p: Pick<ProductDoc, 'skus'>): boolean {
  return hasSkus(p) && new Set(p.skus!.map((s) => s.priceFen)).size > 1;
}
