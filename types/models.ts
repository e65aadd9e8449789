/** Documents as stored in the database. Times are Dates; money is integer fen. */
import type { Fen } from './money';
import type { Role } from './api';
import type { GroupOrderState } from './modules/group.models';

export interface UserDoc {
  _id: string; // openid
  inviteCode: string;
  nickname: string;
  avatarUrl: string;
  roles: Role[];
  createdAt: Date;
  lastLoginAt: Date;
  /** 封禁 by a merchant (app/accounts/blocking.ts: its BlockMark); absent or null: not blocked. */
  blocked?: { at: Date; by: string; reason: string } | null;
  /** Privacy notice agreed (version, time); null until then. Nothing personal is shown to an inviter before it. */
  consent?: { version: string; at: Date } | null;
  /** The direct inviter (one level only), set once by bindInviter; referrals/<openid> holds source and status. */
  inviterId?: string | null;
  boundAt?: Date | null;
  /**
   * Someone was ever bound to this user (set by the binding transaction, never cleared). False on users created
   * since it exists; absent on older ones, which the binding treats as "may have invitees".
   */
  hasInvitees?: boolean;
  /**
   * The user's first open through a shared card, poster or assist card (the dashboard's "first login from a card"
   * counts once per user, on this day); null or absent until then.
   */
  cardOpenedAt?: Date | null;
  /**
   * The order holding this user's seat in a 拼团 for new users only: one such group at a time (app/group/seats.ts);
   * cleared when that order closes unpaid, kept once paid. Null or absent: none.
   */
  newUserGroupSeat?: string | null;
  /** An inviter that arrived before consent: bound at consent if still eligible (first touch wins here too). */
  pendingInviter?: { inviterId: string; source: 'card' | 'poster' | 'code' | 'assist'; at: Date } | null;
  /** The tombstone id while the account's deletion is under way (app/account.ts), set by its first step. */
  deletingAs?: string;
  /**
   * Created after the same openid deleted an earlier account: what that account still owes is carried here whenever
   * it appears (app/wallet/carryOver.ts). Absent for everyone else.
   */
  formerAccount?: boolean;
}

/** One option dimension of a product (规格), e.g. { name: '颜色', values: ['红', '蓝'] }; at most 2 per product. */
export interface ProductOption {
  name: string;
  values: string[];
}

/**
 * One SKU of a product with options: one value per option (`spec`), its own price and its own stock (a hot counter,
 * changed only by guarded updates, like the product's `stock`). `skuId` is derived from the spec (domain/productSkus),
 * so re-saving the same spec keeps the id and the carts and orders that name it.
 */
export interface ProductSku {
  skuId: string;
  spec: Record<string, string>;
  priceFen: Fen;
  stockQty: number;
}

export interface ProductDoc {
  /** The editor revision (infra/revisions.ts): counted up by every save from a merchant editor. */
  rev?: number;
  _id: string;
  title: string;
  description: string;
  images: string[];
  priceFen: Fen;
  stock: number;
  /**
   * 已售: units held by orders (awaiting payment, paid, shipped; a refund after shipping keeps them). Moved in the same
   * guarded writes as `stock` (shop/stock.ts), so it costs no request and never drifts from the reservations. Absent: 0.
   */
  soldQty?: number;
  onSale: boolean;
  /** Higher first in the shop. */
  sort: number;
  /** 商品分类 (an id of `settings/categories`), or absent / null: none (shown under 全部 only). */
  categoryId?: string | null;
  /** 归档: off sale and gone from the shop (old orders keep their snapshot); the merchant can restore it. */
  archived?: boolean;
  /**
   * 规格. Absent or empty: the product is its own single SKU (`default`), priced by `priceFen` with `stock` (every
   * product written before SKUs existed reads this way, no migration needed). Present: `skus` holds every combination,
   * `priceFen` is the lowest SKU price and `stock` the sum of the SKU stocks (both kept in the same atomic writes).
   */
  options?: ProductOption[];
  skus?: ProductSku[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A merchant's rebate rule (the referral module evaluates it; domain/rebateRules.ts). Rewards go to the direct
 * inviter only. For each trigger — a converted invitee (their first paid order) or an invitee's order — the
 * highest-priority active rule that matches applies; rules never stack.
 * - everyN: every `n` converted invitees whose first paid order reaches `minOrderFen` earn one `reward`.
 * - eachOrder: each invitee order reaching `minOrderFen` earns `reward`; for cash and points, `ratioBp` of the
 *   order's paid amount (fen; points at the wallet's rate) or `fixedFen` (cash) replace the reward's fixed amount.
 * Amounts are measured on the paid amount of the rule's products (all products when `productIds` is null).
 * Caps count rewards per inviter: per Asia/Shanghai calendar day and in total.
 */
export interface RebateRuleDoc {
  /** The editor revision (infra/revisions.ts): counted up by every save from a merchant editor. */
  rev?: number;
  _id: string;
  name: string;
  active: boolean;
  priority: number;
  reward: { form: 'cash'; amountFen: Fen } | { form: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number } | { form: 'points'; points: number };
  trigger: { kind: 'everyN'; n: number; minOrderFen: Fen } | { kind: 'eachOrder'; minOrderFen: Fen; fixedFen?: Fen; ratioBp?: number };
  caps: { perInviterPerDay: number | null; perInviterTotal: number | null };
  productIds: string[] | null;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssistCampaignDoc {
  /** The editor revision (infra/revisions.ts): counted up by every save from a merchant editor. */
  rev?: number;
  _id: string;
  productId: string;
  active: boolean;
  helpersNeeded: number;
  durationHours: number;
  success: { kind: 'price'; priceFen: Fen; validHours: number } | { kind: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number };
  fallback: { kind: 'none' } | { kind: 'points'; pointsPerHelper: number } | { kind: 'coupon'; amountFenPerHelper: Fen; minSpendFen: Fen; validDays: number };
  newUsersOnly: boolean;
  helperDailyCap: number;
  openTasksPerShopper: number;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'received' | 'refunded' | 'cancelled' | 'expired';

export interface OrderItem {
  productId: string;
  /** The SKU bought (`default` for a product without options; absent on orders made before SKUs). */
  skuId?: string;
  /** The SKU's spec as shown, e.g. '红 / M' ('' for a product without options). */
  spec?: string;
  title: string;
  image: string;
  quantity: number;
  /** Unit price the server charged (the product price, or the assist price when a task is redeemed). */
  unitPriceFen: Fen;
  subtotalFen: Fen;
}

export interface ShippingAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

/**
 * An order. The shop module owns it; the referral and assist modules read it in their order steps.
 * `pendingSteps` is the outbox: follow-up steps still owed after a state change, written in the same update as the
 * change, removed one by one as each (idempotent) step completes. A retry or the settle timer finishes the rest.
 */
export interface OrderDoc {
  _id: string;
  /** 订单编号 as people read it: the Asia/Shanghai day and that day's sequence, "20261205-000123" (orders before it: none). */
  orderNo?: string;
  buyerId: string;
  /** The client's requestId for this create: a repeat returns this order. */
  requestId: string;
  /** Fingerprint of the create request: the same requestId with another payload is refused. */
  requestHash?: string;
  items: OrderItem[];
  itemsTotalFen: Fen;
  /** What was taken off itemsTotalFen, by source. */
  discounts: { couponFen: Fen; walletCashFen: Fen; pointsFen: Fen; pointsUsed: number };
  /** What the buyer pays through the payment provider. */
  payableFen: Fen;
  couponId: string | null;
  assistTaskId: string | null;
  /** The buyer's inviter at the time of purchase (attribution), or null. */
  inviterId: string | null;
  address: ShippingAddress;
  status: OrderStatus;
  createdAt: Date;
  /** Unpaid orders expire at this time (stock and coupon released). */
  expiresAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  shipping: { carrier: string; trackingNo: string } | null;
  receivedAt: Date | null;
  /** receivedAt + the merchant's refund window; rewards earned by this order stay frozen until then. */
  refundDeadline: Date | null;
  refundedAt: Date | null;
  payment: { provider: 'local' | 'wechat'; outTradeNo: string; transactionId: string | null };
  /** Outbox of follow-up step names still owed, e.g. ['paid:referral.settle']. */
  pendingSteps: string[];
  /** Set while `pendingSteps` is owed: whoever holds the lease runs them; a retry or the timer claims it once past. */
  stepsLeaseUntil?: Date | null;
  /** The refund request's state (refunds/<orderId>), mirrored for lists and for the rebate timer. */
  refundStatus?: 'requested' | 'approved' | 'rejected' | 'refunded' | null;
  /** Marks that reserved stock went back (cancel, expiry, refund before shipping), so it goes back once. */
  stockReleasedAt?: Date | null;
  /** A 拼团 order: its group (groups/<id>), whether the buyer leads it, and what the order waits for (not shippable until succeeded). */
  groupId?: string | null;
  groupRole?: 'leader' | 'member' | null;
  groupState?: GroupOrderState | null;
  /** Written by a binding of the buyer that checked this order was unpaid (so a payment racing it conflicts). */
  bindCheckedAt?: Date;
  updatedAt: Date;
}
