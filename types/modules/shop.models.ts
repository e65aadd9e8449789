/** Documents the shop module stores besides products and orders (types/models.ts). Money in fen, times as Dates. */
import type { ShippingAddress } from '../models';
import type { Fen } from '../money';

/** `carts/<openid>`: the shopper's server-side cart. Prices are never stored here: the server prices at checkout. */
export interface CartDoc {
  _id: string;
  /** One line per (product, SKU); `skuId` absent on lines added before SKUs (the product's single SKU). */
  items: { productId: string; skuId?: string; quantity: number; addedAt: Date }[];
  updatedAt: Date;
}

/** `addresses/<random id>`: a saved shipping address, validated on the server. */
export interface AddressDoc extends ShippingAddress {
  _id: string;
  ownerId: string;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * held = issued but frozen (e.g. a reward until its order's refund deadline); available = usable; locked = applied to
 * an unpaid order; used = the order was paid; expired; void = taken back (e.g. the order that earned it was refunded).
 */
export type CouponStatus = 'held' | 'available' | 'locked' | 'used' | 'expired' | 'void';

/** `coupons/<id from sourceKey>`: one coupon, owned by one user, used once. */
export interface CouponDoc {
  _id: string;
  /** What issued it, e.g. `rebate:<ruleId>:<orderId>`; the idempotency key of issueCoupon. */
  sourceKey: string;
  ownerId: string;
  title: string;
  amountFen: Fen;
  minSpendFen: Fen;
  validDays: number;
  status: CouponStatus;
  /** Set when the coupon becomes available (issue, or activation of a held one). */
  expiresAt: Date | null;
  /** The order it is locked in or was used by. */
  orderId: string | null;
  /**
   * Taken back (its reward was voided) while locked in an order or used by one: it cannot leave that order, but it
   * never comes back from it (a cancel, an expiry or a refund makes it void instead of available). Null or absent: not.
   */
  revokedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type RefundStatus = 'requested' | 'approved' | 'rejected' | 'refunded';

/** `refunds/<orderId>`: one refund of a whole order; approved once, paid back once (out refund no `R<orderId>`). */
export interface RefundDoc {
  _id: string;
  orderId: string;
  buyerId: string;
  amountFen: Fen;
  reason: string;
  status: RefundStatus;
  merchantNote: string;
  requestedAt: Date;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  refundedAt: Date | null;
  /** The provider's refund id once paid back. */
  refundId: string | null;
  updatedAt: Date;
}

/** `shop_settings/default`: set by the merchant. */
export interface ShopSettingsDoc {
  /** The editor revision (infra/revisions.ts): counted up by every save from a merchant editor. */
  rev?: number;
  _id: 'default';
  /** Days after receipt during which a shopper may ask for a refund (rewards stay frozen until then). */
  refundWindowDays: number;
  /** Days after shipping after which receipt confirms itself. */
  autoConfirmDays: number;
  updatedAt: Date;
}
