/** Actions of the shop module (functions `shop` and the shop part of `merchant`). The client never sends a price. */
import type { AtRev, SentRev } from '../revision';
import type { Page } from '../api';
import type { OrderItem, OrderStatus, RebateRuleDoc, AssistCampaignDoc, ShippingAddress } from '../models';
import type { Fen } from '../money';
import type { GroupOrderState } from './group.models';
import type { CouponStatus, RefundStatus } from './shop.models';

export type { CartDoc, AddressDoc, CouponDoc, CouponStatus, RefundDoc, RefundStatus, ShopSettingsDoc } from './shop.models';

export interface ProductSummary {
  id: string;
  title: string;
  image: string;
  priceFen: Fen;
  stock: number;
  badges: { rebate: boolean; assist: boolean };
  /** The 助力价 of the product's assist campaign when it rewards with a price (shown on the card), else null. */
  assistPriceFen?: Fen | null;
  /** SKU prices differ: `priceFen` is the lowest, shown as '¥39 起'. */
  priceVaries?: boolean;
  /** 已售: units held by orders (see ProductDoc.soldQty); 0 for a product nobody has ordered. */
  soldQty: number;
}

/** One SKU as the shopper's spec picker shows it. */
export interface SkuView {
  skuId: string;
  spec: Record<string, string>;
  /** '红 / M'. */
  specText: string;
  priceFen: Fen;
  stock: number;
}

/** A rebate rule as shown before anyone starts: the rule itself plus its full description in Chinese. */
export interface RebateRuleView {
  id: string;
  name: string;
  reward: RebateRuleDoc['reward'];
  trigger: RebateRuleDoc['trigger'];
  caps: RebateRuleDoc['caps'];
  startsAt: string | null;
  endsAt: string | null;
  /** One-line summary, e.g. "每邀请 3 位好友首单，返现 ¥50.00". */
  summary: string;
  /** Every rule, one line each (trigger, reward, caps, freeze until the refund deadline, one level only, …). */
  details: string[];
}

/** An assist (小助力) campaign as shown before anyone starts. */
export interface AssistCampaignView {
  id: string;
  helpersNeeded: number;
  durationHours: number;
  success: AssistCampaignDoc['success'];
  fallback: AssistCampaignDoc['fallback'];
  newUsersOnly: boolean;
  helperDailyCap: number;
  startsAt: string | null;
  endsAt: string | null;
  summary: string;
  details: string[];
}

export interface ProductDetail extends ProductSummary {
  images: string[];
  /** 规格: empty for a product without options (it has the one SKU `default`). Always set by the server. */
  options?: { name: string; values: string[] }[];
  /** Every SKU; one (`default`, spec {}) for a product without options. Always set by the server. */
  skus?: SkuView[];
  description: string;
  onSale: boolean;
  /** The rules that apply to this product, in full (WeChat requires them shown up front). */
  rules: { rebate: RebateRuleView[]; assist: AssistCampaignView | null };
}

export interface CartLine {
  productId: string;
  /** The SKU of the line (`default` for a product without options); always set by the server. */
  skuId?: string;
  /** The SKU's spec as shown ('红 / M'); '' for a product without options. */
  spec?: string;
  title: string;
  image: string;
  /** Current list price of the SKU (display only; the order is priced again on the server). */
  priceFen: Fen;
  /** The SKU's stock. */
  stock: number;
  quantity: number;
  /** False when the product is gone, off sale or out of stock. */
  available: boolean;
}

export interface CartView {
  items: CartLine[];
  /** Sum of available lines at current prices (display only). */
  totalFen: Fen;
}

export interface AddressView extends ShippingAddress {
  id: string;
  isDefault: boolean;
}

export interface CouponView {
  id: string;
  title: string;
  amountFen: Fen;
  minSpendFen: Fen;
  status: CouponStatus;
  expiresAt: string | null;
  orderId: string | null;
}

/** What a buyer can do with an order. */
export type BuyerOrderAction = 'pay' | 'cancel' | 'confirm' | 'refund';

export interface OrderView {
  id: string;
  /** 订单编号 to show ("20261205-000123"); null on orders made before numbers were given (show the id). */
  orderNo: string | null;
  /**
   * What the buyer may do now, decided on the server's clock (a refund past the deadline, a payment past the expiry
   * are not offered whatever the phone's clock says). In the buyer's own views; absent elsewhere.
   */
  actions?: BuyerOrderAction[];
  buyerId: string;
  status: OrderStatus;
  items: OrderItem[];
  itemsTotalFen: Fen;
  discounts: { couponFen: Fen; walletCashFen: Fen; pointsFen: Fen; pointsUsed: number };
  payableFen: Fen;
  couponId: string | null;
  assistTaskId: string | null;
  address: ShippingAddress;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  shipping: { carrier: string; trackingNo: string } | null;
  receivedAt: string | null;
  refundDeadline: string | null;
  refundedAt: string | null;
  refundStatus: RefundStatus | null;
  /** A 拼团 order: its group and what it waits for (null for other orders). */
  group?: { groupId: string; role: 'leader' | 'member'; state: GroupOrderState } | null;
}

export interface RefundView {
  orderId: string;
  buyerId: string;
  amountFen: Fen;
  reason: string;
  status: RefundStatus;
  merchantNote: string;
  requestedAt: string;
  reviewedAt: string | null;
  refundedAt: string | null;
}

/** What the app needs to take the payment. */
export interface PayView {
  provider: 'local' | 'wechat';
  orderId: string;
  outTradeNo: string;
  payableFen: Fen;
  /** Local provider: the app shows a confirmation sheet, then POSTs {outTradeNo} to this path of the local cloud. */
  local?: { confirmPath: string };
  /** WeChat Pay: the arguments of wx.requestPayment. */
  wechat?: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string };
}

/** What the buyer chooses at checkout, priced the same way by `quote` and by `createOrder`. */
export interface CheckoutSelection {
  items: {
    productId: string;
    /** The SKU; required for a product with several SKUs (SKU_REQUIRED), optional for one with a single SKU. */
    skuId?: string;
    quantity: number;
    /** A succeeded assist task redeemed on this line (quantity 1); its price applies to the SKU bought. */
    assistTaskId?: string;
  }[];
  couponId?: string;
  /** Wallet cash (fen) and points the buyer chooses to spend — amounts, not prices. */
  useCashFen?: number;
  usePoints?: number;
  /** 拼团: open a new group on the (one) item's product at the group price… */
  openGroup?: boolean;
  /** …or join this group (createOrder holds a seat for the order until it is paid or closes). */
  groupId?: string;
}

export interface CreateOrderInput extends CheckoutSelection {
  /** Made once per intent by the client: a repeat returns the same order. */
  requestId: string;
  /** The items come from the cart: they are removed from it once ordered. */
  fromCart?: boolean;
  addressId?: string;
  address?: ShippingAddress;
}

export interface QuoteLine {
  productId: string;
  /** Always set by the server (optional for views built before SKUs). */
  skuId?: string;
  /** The SKU's spec as shown ('红 / M'); '' for a product without options. */
  spec?: string;
  title: string;
  quantity: number;
  unitPriceFen: Fen;
  subtotalFen: Fen;
  /** Priced at the redeemed assist price. */
  assisted: boolean;
}

/** Why the chosen coupon is left out of the quote: the code createOrder would refuse it with. */
export type QuoteCouponRefusal = 'COUPON_MIN_SPEND' | 'COUPON_EXPIRED' | 'COUPON_UNAVAILABLE';

/** The amounts of a bill: the items, each discount, and what is left to pay (createOrder's pricing and the quote's). */
export interface CheckoutAmounts {
  itemsTotalFen: Fen;
  couponFen: Fen;
  walletCashFen: Fen;
  pointsFen: Fen;
  pointsUsed: number;
  payableFen: Fen;
}

/**
 * What the selection costs now, priced by the same code as createOrder, writing nothing (no stock, coupon, voucher
 * or wallet is held). Not a promise: createOrder prices again. A coupon that cannot be used is left out and says why
 * (createOrder with it would be refused with that code); anything else wrong is refused as createOrder refuses it.
 */
export interface OrderQuote extends CheckoutAmounts {
  lines: QuoteLine[];
  coupon: { id: string; usable: true; reason: null } | { id: string; usable: false; reason: QuoteCouponRefusal } | null;
  /** Why a discount came out smaller than asked (the points cap, the 1 fen minimum), in Chinese. */
  notes?: string[];
}

export interface ShopSettingsView {
  refundWindowDays: number;
  autoConfirmDays: number;
  payTimeoutMinutes: number;
}

export interface ShopActions {
  /** `q`: products whose title contains it (case-insensitive, taken literally: regex characters are escaped). */
  listProducts: [{ cursor?: number; pageSize?: number; q?: string; categoryId?: string }, Page<ProductSummary>];
  getProduct: [{ productId: string }, ProductDetail];
  getCart: [Record<string, never>, CartView];
  /** skuId: required for a product with several SKUs, optional for one with a single SKU. */
  addToCart: [{ productId: string; skuId?: string; quantity: number }, CartView];
  setCartQuantity: [{ productId: string; skuId?: string; quantity: number }, CartView];
  /** productIds: every line of those products; lines: only those SKUs. */
  removeFromCart: [{ productIds?: string[]; lines?: { productId: string; skuId: string }[] }, CartView];
  listAddresses: [Record<string, never>, AddressView[]];
  saveAddress: [ShippingAddress & { id?: string; isDefault?: boolean }, AddressView];
  deleteAddress: [{ id: string }, { deleted: boolean }];
  quote: [CheckoutSelection, OrderQuote];
  createOrder: [CreateOrderInput, { order: OrderView; created: boolean }];
  pay: [{ orderId: string }, PayView];
  cancelOrder: [{ orderId: string }, OrderView];
  listOrders: [{ status?: OrderStatus; cursor?: number; pageSize?: number }, Page<OrderView>];
  getOrder: [{ orderId: string }, OrderView];
  confirmReceipt: [{ orderId: string }, OrderView];
  requestRefund: [{ orderId: string; reason: string }, RefundView];
  listCoupons: [{ status?: CouponStatus }, CouponView[]];
  /** Platform only: the payment provider's confirmation of an order's (or a pre-sale's PD-/PB-) trade. */
  paymentNotify: [{ outTradeNo: string; provider?: 'local' | 'wechat'; transactionId?: string; totalFee?: number; resultCode?: string }, PaymentNotifyResult];
}

/** What a payment notification did: `transitioned` is true only for the one notification that marked it paid. */
export interface PaymentNotifyResult {
  orderId: string;
  status: string;
  transitioned: boolean;
}

export interface MerchantShopActions {
  listOrders: [{ status?: OrderStatus; cursor?: number; pageSize?: number }, Page<OrderView>];
  shipOrder: [{ orderId: string; carrier: string; trackingNo: string }, OrderView];
  listRefunds: [{ status?: RefundStatus; cursor?: number; pageSize?: number }, Page<RefundView>];
  reviewRefund: [{ orderId: string; approve: boolean; note?: string }, RefundView];
  getShopSettings: [Record<string, never>, ShopSettingsView & AtRev];
  saveShopSettings: [{ refundWindowDays: number; autoConfirmDays: number } & SentRev, ShopSettingsView & AtRev];
}
