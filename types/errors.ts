/**
 * The one error catalogue. Every failure a function reports carries one of these codes; the front end shows the
 * Chinese message (or a more specific one sent by the function). Add codes here, never inline strings elsewhere.
 */
import { ASSIST_ERRORS } from './modules/assist.errors';
import { GROUP_ERRORS } from './modules/group.errors';
import { MERCHANT_ERRORS } from './modules/merchant.errors';
import { PRESALE_ERRORS } from './modules/presale.errors';
import { REFERRAL_ERRORS } from './modules/referral.errors';
import { SHOP_ERRORS } from './modules/shop.errors';

export const COMMON_ERRORS = {
  INVALID_ARGUMENT: '请求参数不正确',
  /** Nesting past MAX_PAYLOAD_DEPTH (types/payloadLimits.ts). */
  REQUEST_TOO_DEEP: '请求数据的嵌套层级过多（最多 64 层），请检查后重试',
  /** A body past MAX_PAYLOAD_BYTES. */
  REQUEST_TOO_LARGE: '请求数据过大，请减少内容后重试',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '内容不存在或已删除',
  /** The one meaning: the same client requestId (an order, a withdrawal) sent again with a different payload. */
  REQUEST_ID_REUSED: '这个请求编号已用于另一次内容不同的提交，请刷新后重新提交',
  CONFLICT: '操作冲突，请稍后重试',
  ACCOUNT_OPEN_WITHDRAWALS: '你有正在处理的提现，请等提现完成后再注销账号',
  ACCOUNT_OPEN_ORDERS: '你有未完成的订单或退款，请等订单完成后再注销账号',
  ACCOUNT_IS_MERCHANT: '商家账号不能在小程序内注销，请联系平台处理',
  /** The account's deletion is moving its wallet: no money moves in or out until it is done. */
  ACCOUNT_DELETING: '账号正在注销，暂时不能进行资金操作',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  /** Personal data (an order's name, phone and address; a saved address) before the privacy consent. */
  PRIVACY_CONSENT_REQUIRED: '请先阅读并同意隐私保护指引',
  /** An uploaded picture that is not a JPEG, PNG or WebP (types/imageUpload.ts; the upload answers the detailed message). */
  IMAGE_TYPE_UNSUPPORTED: '图片格式不支持，请换一张照片',
  /** An uploaded picture over MAX_IMAGE_BYTES (types/imageUpload.ts). */
  IMAGE_TOO_LARGE: '图片太大，请换一张小一些的照片',
  INTERNAL: '服务开小差了，请稍后重试',
  NETWORK: '网络不给力，请检查网络后重试',
} as const;

export const ERRORS = { ...COMMON_ERRORS, ...SHOP_ERRORS, ...REFERRAL_ERRORS, ...ASSIST_ERRORS, ...MERCHANT_ERRORS, ...GROUP_ERRORS, ...PRESALE_ERRORS } as const;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

export function messageFor(code: string): string {
  return isErrorCode(code) ? ERRORS[code] : ERRORS.INTERNAL;
}
