/**
 * The action catalogue: every action of every function, with a valid example payload (ids from the scenario,
 * test/support/scenario.ts), who the example runs as, and the access level the function declares. The fuzzer mutates
 * these examples; the authorization matrix calls each as its owner, another shopper, a merchant and with no identity.
 * Typed against the contract (types/api.ts: a missing or unknown action does not compile) and checked against the
 * functions' own action maps by test/unit/catalogue.test.ts.
 */
import type { Access } from '../../cloudfunctions/infra/handler';
import type { ActionName, FunctionName, PayloadOf } from '../../types/api';
import type { Fen } from '../../types/money';
import type { Json } from './fuzz';
import { ADDRESS, Scenario } from './scenario';

/**
 * Who an example runs as: the scenario's owner, the other shopper, the merchant (all through the gateway with a
 * signed session), or the platform (the SDK's `callFunction` from a server: no OPENID, as a timer or a payment
 * callback reaches a function).
 */
export type Runner = 'owner' | 'other' | 'merchant' | 'platform';

export interface ActionExample {
  fn: FunctionName;
  action: string;
  access: Access;
  as: Runner;
  /** A payload that passes validation, with ids from the scenario. */
  payload(s: Scenario): Record<string, Json>;
}

type Entry<F extends FunctionName, A extends ActionName<F>> = {
  access: Access;
  as: Runner;
  payload(s: Scenario): PayloadOf<F, A>;
};
type Catalogue = { [F in FunctionName]: { [A in ActionName<F>]: Entry<F, A> } };

let requests = 0;
/** A fresh client request id (createOrder, withdraw): each example call is a new intent. */
const requestId = () => `ex${Date.now().toString(36)}${(++requests).toString(36)}`;
const fen = (n: number) => n as Fen;
const none = () => ({}) as Record<string, never>;

const CATALOGUE: Catalogue = {
  user: {
    login: { access: 'user', as: 'owner', payload: () => ({}) },
    consent: { access: 'user', as: 'owner', payload: () => ({ version: '2026-01' }) },
    profile: { access: 'user', as: 'owner', payload: () => ({ nickname: '小安', avatarUrl: '/assets/avatar.png' }) },
    bindCode: { access: 'user', as: 'owner', payload: (s) => ({ inviteCode: s.other.inviteCode }) },
    exportData: { access: 'user', as: 'owner', payload: none },
    // Without the typed 注销 nothing is deleted (a real deletion is in account-privacy.test.ts).
    deleteAccount: { access: 'user', as: 'owner', payload: () => ({ confirm: '不注销' }) },
  },
  shop: {
    listProducts: { access: 'user', as: 'owner', payload: () => ({ pageSize: 5 }) },
    getProduct: { access: 'user', as: 'owner', payload: () => ({ productId: 'p-tea' }) },
    storeInfo: { access: 'user', as: 'owner', payload: none },
    homeBanners: { access: 'user', as: 'owner', payload: none },
    categories: { access: 'user', as: 'owner', payload: none },
    getCart: { access: 'user', as: 'owner', payload: none },
    addToCart: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId, quantity: 1 }) },
    setCartQuantity: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId, quantity: 2 }) },
    removeFromCart: { access: 'user', as: 'owner', payload: (s) => ({ productIds: [s.productId] }) },
    listAddresses: { access: 'user', as: 'owner', payload: none },
    saveAddress: { access: 'user', as: 'owner', payload: () => ({ ...ADDRESS }) },
    deleteAddress: { access: 'user', as: 'owner', payload: (s) => ({ id: s.owner.spareAddressId }) },
    // The owner's own coupon and some of their wallet cash: every part of the pricing is read, nothing is written.
    quote: {
      access: 'user',
      as: 'owner',
      payload: (s) => ({ items: [{ productId: s.productId, quantity: 2 }], couponId: s.owner.couponId, useCashFen: 500 }),
    },
    createOrder: {
      access: 'user',
      as: 'owner',
      payload: (s) => ({ requestId: requestId(), items: [{ productId: s.productId, quantity: 1 }], addressId: s.owner.addressId, couponId: s.owner.couponId }),
    },
    pay: { access: 'user', as: 'owner', payload: (s) => ({ orderId: s.owner.orders.unpaid }) },
    cancelOrder: { access: 'user', as: 'owner', payload: (s) => ({ orderId: s.owner.orders.toCancel }) },
    listOrders: { access: 'user', as: 'owner', payload: () => ({ status: 'paid', pageSize: 10 }) },
    getOrder: { access: 'user', as: 'owner', payload: (s) => ({ orderId: s.owner.orders.paid }) },
    confirmReceipt: { access: 'user', as: 'owner', payload: (s) => ({ orderId: s.owner.orders.shipped }) },
    requestRefund: { access: 'user', as: 'owner', payload: (s) => ({ orderId: s.owner.orders.paid, reason: '尺寸不合适' }) },
    listCoupons: { access: 'user', as: 'owner', payload: () => ({ status: 'available' }) },
    // The payment system's notification (WeChat Pay's callback; locally POST /__pay/confirm invokes it).
    paymentNotify: { access: 'platform', as: 'platform', payload: (s) => ({ outTradeNo: s.owner.orders.paid, provider: 'local' }) },
    // 拼团 (the scenario has no offer and no group: the offer answers null, the group is not found for anyone)
    groupOffer: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId }) },
    getGroup: { access: 'user', as: 'owner', payload: () => ({ groupId: 'gp-not-a-group' }) },
    myGroups: { access: 'user', as: 'owner', payload: () => ({ pageSize: 10 }) },
    // 阶梯预售 (the scenario's product has no pre-sale: null, and the rest are refused as not found)
    presale: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId }) },
    payDeposit: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId }) },
    withdrawDeposit: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId }) },
    payBalance: { access: 'user', as: 'owner', payload: (s) => ({ productId: s.productId }) },
  },
  referral: {
    myInviteCard: { access: 'user', as: 'owner', payload: none },
    posterCode: { access: 'user', as: 'owner', payload: none },
    myInvitees: { access: 'user', as: 'owner', payload: () => ({ pageSize: 10 }) },
    progress: { access: 'user', as: 'owner', payload: none },
  },
  wallet: {
    summary: { access: 'user', as: 'owner', payload: none },
    entries: { access: 'user', as: 'owner', payload: () => ({ asset: 'cash', pageSize: 10 }) },
    activity: { access: 'user', as: 'owner', payload: () => ({ asset: 'cash', pageSize: 10 }) },
    coupons: { access: 'user', as: 'owner', payload: () => ({ status: 'available' }) },
    withdraw: { access: 'user', as: 'owner', payload: () => ({ amountFen: 100, requestId: requestId() }) },
    withdrawals: { access: 'user', as: 'owner', payload: () => ({ pageSize: 10 }) },
    confirmTransfer: { access: 'user', as: 'owner', payload: (s) => ({ withdrawalId: s.owner.withdrawalTransferring }) },
  },
  assist: {
    campaign: { access: 'user', as: 'owner', payload: () => ({ productId: 'p-tea' }) },
    start: { access: 'user', as: 'owner', payload: () => ({ productId: 'p-tea' }) },
    // The owner helps the other shopper's task (a friend's card).
    help: { access: 'user', as: 'owner', payload: (s) => ({ taskId: s.other.taskId }) },
    get: { access: 'user', as: 'owner', payload: (s) => ({ taskId: s.owner.taskId }) },
    mine: { access: 'user', as: 'owner', payload: () => ({ pageSize: 10 }) },
  },
  merchant: {
    // shop
    listOrders: { access: 'merchant', as: 'merchant', payload: () => ({ status: 'paid', pageSize: 10 }) },
    shipOrder: { access: 'merchant', as: 'merchant', payload: (s) => ({ orderId: s.owner.orders.toShip, carrier: '顺丰', trackingNo: 'SF1234567890' }) },
    listRefunds: { access: 'merchant', as: 'merchant', payload: () => ({ status: 'requested', pageSize: 10 }) },
    reviewRefund: { access: 'merchant', as: 'merchant', payload: (s) => ({ orderId: s.owner.orders.refundRequested, approve: true, note: '同意退款' }) },
    getShopSettings: { access: 'merchant', as: 'merchant', payload: none },
    getStoreProfile: { access: 'merchant', as: 'merchant', payload: none },
    getHomeBanners: { access: 'merchant', as: 'merchant', payload: none },
    getCategories: { access: 'merchant', as: 'merchant', payload: none },
    saveCategories: { access: 'merchant', as: 'merchant', payload: () => ({ categories: [{ id: 'c-tea', name: '茶饮冲调' }, { id: 'c-food', name: '粮油零食' }, { id: 'c-home', name: '家居日用' }, { id: null, name: '礼盒' }] }) },
    saveHomeBanners: { access: 'merchant', as: 'merchant', payload: () => ({ banners: [{ heading: '双十二 推三返一', caption: '邀请好友下单，奖励可提现', productId: null }] }) },
    saveStoreProfile: { access: 'merchant', as: 'merchant', payload: () => ({ storeName: '推三返一旗舰店', qualifications: ['营业执照：91330100MA00000000'], servicePhone: '0571-88888888' }) },
    saveShopSettings: { access: 'merchant', as: 'merchant', payload: () => ({ refundWindowDays: 7, autoConfirmDays: 10 }) },
    // referral
    saveRebateRule: {
      access: 'merchant',
      as: 'merchant',
      // Switched off and limited to the scenario's merchant product, so what the fuzzer saves changes no other order.
      payload: (s) => ({
        name: '每单返现',
        active: false,
        priority: 1,
        reward: { form: 'cash', amountFen: fen(100) },
        trigger: { kind: 'eachOrder', minOrderFen: fen(0), fixedFen: fen(100) },
        caps: { perInviterPerDay: 10, perInviterTotal: null },
        productIds: [s.merchantProductId],
        startsAt: null,
        endsAt: null,
      }),
    },
    listRebateRules: { access: 'merchant', as: 'merchant', payload: none },
    getReferralSettings: { access: 'merchant', as: 'merchant', payload: none },
    saveReferralSettings: { access: 'merchant', as: 'merchant', payload: () => ({ withdrawDailyCount: 100, pointsPerYuan: 100 }) },
    listWithdrawals: { access: 'merchant', as: 'merchant', payload: () => ({ status: 'pending', pageSize: 10 }) },
    reviewWithdrawal: { access: 'merchant', as: 'merchant', payload: (s) => ({ withdrawalId: s.owner.withdrawalPending, approve: true, note: '核对无误' }) },
    listRewards: { access: 'merchant', as: 'merchant', payload: (s) => ({ userId: s.victim, pageSize: 10 }) },
    voidReward: { access: 'merchant', as: 'merchant', payload: (s) => ({ rewardId: s.rewardId, reason: '刷单' }) },
    // assist
    getAssistCampaign: { access: 'merchant', as: 'merchant', payload: (s) => ({ productId: s.merchantProductId }) },
    saveAssistCampaign: {
      access: 'merchant',
      as: 'merchant',
      payload: (s) => ({
        productId: s.merchantProductId,
        active: true,
        helpersNeeded: 3,
        durationHours: 24,
        success: { kind: 'price', priceFen: fen(500), validHours: 48 },
        fallback: { kind: 'points', pointsPerHelper: 10 },
        newUsersOnly: false,
        helperDailyCap: 3,
        openTasksPerShopper: 1,
        startsAt: null,
        endsAt: null,
      }),
    },
    // the merchant tab
    stats: { access: 'merchant', as: 'merchant', payload: () => ({ range: '7d' }) },
    listProducts: { access: 'merchant', as: 'merchant', payload: () => ({ onSale: true, pageSize: 10 }) },
    getProduct: { access: 'merchant', as: 'merchant', payload: (s) => ({ id: s.merchantProductId }) },
    saveProduct: {
      access: 'merchant',
      as: 'merchant',
      payload: () => ({ title: '新品茶具', description: '测试上架', images: ['/assets/demo/p-cup.svg'], priceFen: 2990, stock: 10, onSale: false, sort: 1 }),
    },
    setProductOnSale: { access: 'merchant', as: 'merchant', payload: (s) => ({ id: s.spareProductId, onSale: false }) },
    archiveProduct: { access: 'merchant', as: 'merchant', payload: (s) => ({ id: s.spareProductId, archived: true }) },
    deleteProduct: { access: 'merchant', as: 'merchant', payload: (s) => ({ id: s.spareProductId }) },
    users: { access: 'merchant', as: 'merchant', payload: () => ({ query: 'demo', pageSize: 10 }) },
    referralTree: { access: 'merchant', as: 'merchant', payload: (s) => ({ openid: s.owner.openid }) },
    blockUser: { access: 'merchant', as: 'merchant', payload: (s) => ({ openid: s.victim, blocked: false, reason: '误判' }) },
    addMerchant: { access: 'merchant', as: 'merchant', payload: (s) => ({ inviteCode: s.promoteCode }) },
    removeMerchant: { access: 'merchant', as: 'merchant', payload: (s) => ({ openid: s.victim }) },
    userPurchases: { access: 'merchant', as: 'merchant', payload: (s) => ({ openid: s.owner.openid }) },
    salesReport: { access: 'merchant', as: 'merchant', payload: () => ({ startDay: '2026-11-01', endDay: '2026-11-30' }) },
    // 拼团
    getGroupOffer: { access: 'merchant', as: 'merchant', payload: (s) => ({ productId: s.merchantProductId }) },
    saveGroupOffer: {
      access: 'merchant',
      as: 'merchant',
      payload: (s) => ({
        productId: s.merchantProductId,
        active: false,
        groupSize: 3,
        groupPriceFen: fen(100),
        timeLimitHours: 24,
        allowJoinAny: true,
        newUsersOnly: false,
        maxOpenPerShopper: 1,
        leaderReward: { kind: 'points', points: 100 },
        minSizeAtDeadline: null,
      }),
    },
    listGroups: { access: 'merchant', as: 'merchant', payload: () => ({ status: 'open', pageSize: 10 }) },
    groupStats: { access: 'merchant', as: 'merchant', payload: none },
    // 阶梯预售
    getPresale: { access: 'merchant', as: 'merchant', payload: (s) => ({ productId: s.merchantProductId }) },
    savePresale: {
      access: 'merchant',
      as: 'merchant',
      payload: (s) => ({
        productId: s.merchantProductId,
        active: false,
        depositFen: fen(1000),
        basePriceFen: fen(9900),
        tiers: [
          { minDeposits: 50, priceFen: fen(8900) },
          { minDeposits: 200, priceFen: fen(7900) },
        ],
        startsAt: '2030-01-01T00:00:00.000Z',
        endsAt: '2030-01-08T00:00:00.000Z',
        balanceEndsAt: '2030-01-10T00:00:00.000Z',
        forfeitUnpaid: false,
      }),
    },
  },
  settle: {
    run: { access: 'platformOrMerchant', as: 'merchant', payload: none },
  },
};

/** Every action, flat, in catalogue order. */
export const ACTIONS: ActionExample[] = (Object.keys(CATALOGUE) as FunctionName[]).flatMap((fn) =>
  Object.entries(CATALOGUE[fn] as Record<string, Entry<FunctionName, never>>).map(([action, e]) => ({
    fn,
    action,
    access: e.access,
    as: e.as,
    payload: e.payload as (s: Scenario) => Record<string, Json>,
  })),
);

export const actionKey = (a: { fn: string; action: string }) => `${a.fn}.${a.action}`;

/** The openid an example runs as in this scenario (null: the platform, through the SDK). */
export function runnerOpenid(s: Scenario, who: Runner): string | null {
  return who === 'owner' ? s.owner.openid : who === 'other' ? s.other.openid : who === 'merchant' ? s.merchant : null;
}
