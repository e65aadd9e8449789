/**
 * Every collection and its indexes, declared once. The local cloud applies this at start (creating collections and
 * SQLite expression indexes, enforcing unique ones); `npm run cloud:init` applies it to a real CloudBase environment.
 *
 * Index keys must be scalar fields (string, number, Date): the local cloud uses an index for equality and range
 * lookups on its fields, and does not index array elements.
 */
export interface IndexSpec {
  name: string;
  /** Field paths (dotted) in order; 1 ascending, -1 descending. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}

export const COLLECTIONS: CollectionSpec[] = [
  { name: 'users', indexes: [{ name: 'inviteCode', keys: { inviteCode: 1 }, unique: true }, { name: 'inviter', keys: { inviterId: 1 } }] },
  {
    name: 'referrals',
    indexes: [
      { name: 'inviter_status', keys: { inviterId: 1, status: 1 } },
      /** The merchant's confirmations job: converted invitees not yet confirmed whose refund deadline passed. */
      { name: 'status_confirmed_deadline', keys: { status: 1, confirmedAt: 1, 'conversion.refundDeadline': 1 } },
      /** 报表: invitees converted in a range. */
      { name: 'status_conversion_at', keys: { status: 1, 'conversion.at': 1 } },
    ],
  },
  {
    name: 'products',
    indexes: [
      { name: 'onSale_sort', keys: { onSale: 1, sort: -1 } },
      /** 首页's category tabs. */
      { name: 'category_onSale_sort', keys: { categoryId: 1, onSale: 1, sort: -1 } },
    ],
  },
  {
    name: 'orders',
    indexes: [
      { name: 'buyer_created', keys: { buyerId: 1, createdAt: -1 } },
      { name: 'status_expires', keys: { status: 1, expiresAt: 1 } },
      { name: 'status_created', keys: { status: 1, createdAt: -1 } },
      { name: 'status_shipped', keys: { status: 1, shippedAt: 1 } },
      { name: 'steps_lease', keys: { stepsLeaseUntil: 1 } },
      /** 报表: orders paid in a range. */
      { name: 'paid', keys: { paidAt: 1 } },
    ],
  },
  {
    name: 'refunds',
    indexes: [
      { name: 'status_requested', keys: { status: 1, requestedAt: -1 } },
      /** 用户详情: one buyer's refunds; 报表: refunds paid back in a range. */
      { name: 'buyer_requested', keys: { buyerId: 1, requestedAt: -1 } },
      { name: 'status_refunded', keys: { status: 1, refundedAt: 1 } },
      /** The timer's retry of approved refunds, least recently tried first. */
      { name: 'status_updated', keys: { status: 1, updatedAt: 1 } },
    ],
  },
  { name: 'shop_settings', indexes: [] },
  { name: 'carts', indexes: [] },
  { name: 'addresses', indexes: [{ name: 'owner', keys: { ownerId: 1 } }] },
  { name: 'coupons', indexes: [{ name: 'owner_status', keys: { ownerId: 1, status: 1 } }, { name: 'status_expires', keys: { status: 1, expiresAt: 1 } }] },
  { name: 'rebate_rules', indexes: [{ name: 'active', keys: { active: 1 } }] },
  { name: 'assist_campaigns', indexes: [{ name: 'product', keys: { productId: 1 } }] },
  {
    name: 'assist_tasks',
    indexes: [
      { name: 'owner_product', keys: { ownerId: 1, productId: 1 } },
      { name: 'owner_started', keys: { ownerId: 1, startedAt: -1 } },
      { name: 'status_deadline', keys: { status: 1, deadline: 1 } },
      { name: 'status_fallback', keys: { status: 1, fallbackState: 1 } },
      { name: 'status_reward', keys: { status: 1, rewardState: 1 } },
      { name: 'status_statsOwed', keys: { status: 1, statsOwed: 1 } },
    ],
  },
  /** group_offers/go-<productId>: the merchant's 拼团 offer on a product (read by _id only). */
  { name: 'group_offers', indexes: [] },
  {
    name: 'groups',
    indexes: [
      { name: 'leader_product', keys: { leaderId: 1, productId: 1 } },
      { name: 'product_status_deadline', keys: { productId: 1, status: 1, deadline: 1 } },
      { name: 'status_deadline', keys: { status: 1, deadline: 1 } },
      { name: 'status_created', keys: { status: 1, createdAt: -1 } },
      { name: 'fanout', keys: { fanout: 1 } },
      { name: 'leader_reward_check', keys: { leaderRewardState: 1, leaderRewardCheckAt: 1 } },
      { name: 'created', keys: { createdAt: -1 } },
    ],
  },
  /** presales/ps-<productId>: a product's 阶梯预售 (its count is a guarded $inc keyed by the deposit). */
  { name: 'presales', indexes: [{ name: 'status_ends', keys: { status: 1, endsAt: 1 } }, { name: 'status_balanceEnds', keys: { status: 1, balanceEndsAt: 1 } }] },
  {
    name: 'presale_deposits',
    indexes: [
      { name: 'presale_round_state', keys: { presaleId: 1, round: 1, state: 1 } },
      { name: 'state_expires', keys: { state: 1, depositExpiresAt: 1 } },
      { name: 'refundOwed', keys: { refundOwed: 1 } },
    ],
  },
  { name: 'assists', indexes: [{ name: 'task', keys: { taskId: 1 } }, { name: 'helper_day', keys: { helperId: 1, day: 1 } }] },
  /** assist_helpers/<openid>: first arrival through an assist card and the day's help counter (read by _id only). */
  { name: 'assist_helpers', indexes: [] },
  { name: 'ledger', indexes: [{ name: 'sourceKey', keys: { sourceKey: 1 }, unique: true }, { name: 'user_created', keys: { userId: 1, createdAt: -1 } }] },
  { name: 'wallets', indexes: [] },
  {
    name: 'withdrawals',
    indexes: [
      { name: 'user_created', keys: { userId: 1, createdAt: -1 } },
      { name: 'status', keys: { status: 1 } },
      { name: 'status_transfer_expires', keys: { status: 1, transferExpiresAt: 1 } },
      { name: 'status_updated', keys: { status: 1, updatedAt: 1 } },
    ],
  },
  /** rewards/<id>: rebates earned; the settle job finds matured frozen ones, per user, and owed coupon operations. */
  {
    name: 'rewards',
    indexes: [
      { name: 'status_matures', keys: { status: 1, maturesAt: 1 } },
      { name: 'user_status_matures', keys: { userId: 1, status: 1, maturesAt: 1 } },
      { name: 'coupon_sync', keys: { couponSyncAt: 1 } },
      /** The merchant's dashboard counts the rewards an order created (merchant.stats order step). */
      { name: 'order', keys: { orderId: 1 } },
      /** 报表: rebates earned in a range. */
      { name: 'created', keys: { createdAt: 1 } },
    ],
  },
  /** settings/<module>: merchant settings read by _id (settings/referral). */
  { name: 'settings', indexes: [] },
  /** notifications/n:<sourceKey>: the outbox; the sender (app/messages/sender.ts) takes queued ones oldest first, due retries and lapsed claims. */
  {
    name: 'notifications',
    indexes: [
      { name: 'user_created', keys: { userId: 1, createdAt: -1 } },
      { name: 'status', keys: { status: 1 } },
      { name: 'status_created', keys: { status: 1, createdAt: 1 } },
      { name: 'status_next', keys: { status: 1, nextAttemptAt: 1 } },
      { name: 'status_claim', keys: { status: 1, claimUntil: 1 } },
      { name: 'counted', keys: { counted: 1 } },
    ],
  },
  /** message_caps/<day>|<kind>|<openid>: the one subscribe message of that kind a user may get that day (its inserter sends). */
  { name: 'message_caps', indexes: [{ name: 'day', keys: { day: 1 } }] },
  /** poster_codes/<openid>: the user's 小程序码 in cloud storage (file id, scene, page), made once. */
  { name: 'poster_codes', indexes: [] },
  { name: 'events', indexes: [{ name: 'type_day', keys: { type: 1, day: 1 } }] },
  /** stats_daily/<day>#<shard>: the dashboard's counters and the keys of the events counted (infra/stats.ts); one query reads a range's shards by day. */
  { name: 'stats_daily', indexes: [{ name: 'day', keys: { day: 1 } }] },
  {
    name: 'idempotency',
    /** createOrder's locks still pending (shop/createLocks.ts): the timer's look for creates that died. */
    indexes: [{ name: 'pending_since', keys: { pendingSince: 1 } }],
  },
  /** One counter per Asia/Shanghai day for 订单编号 (shop/orderNumbers.ts): `_id` is the day, `seq` the last number given. */
  { name: 'order_numbers', indexes: [] },
  { name: 'job_runs', indexes: [] },
];
