/** Error codes owned by the merchant module (merged into the one catalogue in types/errors.ts). */
export const MERCHANT_ERRORS = {
  USER_BLOCKED: '账号存在异常，暂时不能参与奖励活动，请联系商家',
  USER_NOT_FOUND: '用户不存在',
  PRODUCT_INVALID: '商品信息填写不正确',
  STOCK_CHANGED: '库存正在变化，请稍后再试',
  PRODUCT_HAS_ORDERS: '商品已有订单，不能删除，可以归档',
  PRODUCT_ARCHIVED: '商品已归档，请先恢复再上架',
  PRODUCT_IMAGE_MISSING: '图片不存在或已删除，请重新上传',
  PRODUCT_IMAGE_TYPE: '图片格式不支持，请上传照片或截图（不支持动图和文件）',
  PRODUCT_IMAGE_TOO_LARGE: '图片太大，单张不能超过 2 兆',
  CATEGORY_NOT_FOUND: '分类不存在或已删除，请刷新后重新选择',
  CATEGORY_IN_USE: '分类下还有商品，请先把商品移到其他分类',
  CATEGORY_INVALID: '分类填写不正确',
  /** A form read before another device (or tab) saved the same thing: nothing is written, the editor loads again. */
  EDIT_STALE: '内容已在其他设备修改，已为你载入最新内容，请核对后再保存',
  REPORT_RANGE_INVALID: '报表日期不正确：结束日期不能早于开始日期，最长一年（366 天）',
} as const;
