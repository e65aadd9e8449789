/**
 * The bounds of a product's 规格 table, in one place: the server's check (cloudfunctions/domain/productSkus.ts) refuses
 * what lies outside them and the product editor (src/packages/merchant/skuTable.ts) checks the same numbers next to
 * each field before it sends anything.
 */
export const SKU_LIMITS = {
  /** Options (颜色, 尺码…) a product may have. */
  options: 2,
  /** Values per option. */
  values: 20,
  /** Characters of an option's name. */
  name: 10,
  /** Characters of a value. */
  value: 20,
  /** A SKU's price, fen. */
  priceFen: 100_000_000,
  /** A SKU's stock. */
  stock: 10_000_000,
} as const;
