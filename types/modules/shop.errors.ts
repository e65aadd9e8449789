/** Error codes owned by the shop module (merged into the one catalogue in types/errors.ts). */
export const SHOP_ERRORS = {
  PRODUCT_NOT_FOUND: '商品不存在',
  PRODUCT_OFF_SALE: '商品已下架',
} as const;
