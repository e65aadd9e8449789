/**
 * The shop function: catalog, cart, addresses, orders, payment, refunds, coupons. Also the target of the payment
 * provider's callback: WeChat Pay (cloudPay) invokes it with the callback fields and no `action`, and wants
 * `{errcode: 0}` back; the local cloud's payment system invokes `paymentNotify` directly.
 */
import { z } from 'zod';
import { deleteAddress, listAddresses, saveAddress } from '../../app/shop/addresses';
import { addToCart, getCart, removeFromCart, setCartQuantity } from '../../app/shop/cart';
import { getProduct, listProducts } from '../../app/shop/catalog';
import { categoryIdSchema } from '../../app/categories/categories';
import { listMyCoupons } from '../../app/coupons/coupons';
import { cancelOrder, confirmReceipt, createOrder, getOrder, listOrders } from '../../app/shop/orders';
import { confirmPaid, pay } from '../../app/shop/payment';
import { quoteOrder } from '../../app/shop/quote';
import { isWxPayCallback, paidTradeFromCallback } from '../../infra/payments/wechat';
import { requestRefund } from '../../app/shop/refunds';
import { groupShopActions } from '../../app/group/actions';
import { presaleShopActions } from '../../app/presale/actions';
import { confirmPresalePayment, isPresaleTrade } from '../../app/presale/deposits';
import { storeShopActions } from '../../app/shop/store';
import { AppError } from '../../infra/errors';
import { action, createHandler } from '../../infra/handler';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const paging = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };
// Quantities are checked by the use case (QUANTITY_INVALID), so any number gets the shop's own error code.
const quantity = z.number();
const text = (max: number) => z.string().max(max);
const address = { name: text(40), phone: text(40), province: text(40), city: text(40), district: text(40), detail: text(240) };
/** Fields a client might send to set a price. They are accepted by the schema only to be refused by name. */
const PRICE_FIELDS = ['price', 'priceFen', 'unitPriceFen', 'subtotalFen', 'totalFen', 'itemsTotalFen', 'payableFen', 'amountFen', 'discountFen', 'couponFen'] as const;
const priceFields = Object.fromEntries(PRICE_FIELDS.map((f) => [f, z.unknown().optional()]));

function hasPrice(obj: Record<string, unknown>): boolean {
  return PRICE_FIELDS.some((f) => obj[f] !== undefined);
}

/** What the buyer chooses at checkout: priced alike by quote and createOrder. */
const checkoutSelection = {
  items: z.array(z.object({ productId: id, skuId: id.optional(), quantity, assistTaskId: id.optional(), ...priceFields }).strict()).min(1).max(50),
  couponId: id.optional(),
  useCashFen: z.number().int().min(0).max(100_000_000).optional(),
  usePoints: z.number().int().min(0).max(100_000_000).optional(),
  // 拼团: open a group on the one item, or join this one (the group price is the server's).
  openGroup: z.boolean().optional(),
  groupId: id.optional(),
  ...priceFields,
};

const quoteSchema = z.object(checkoutSelection).strict();

const createOrderSchema = z
  .object({
    requestId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
    ...checkoutSelection,
    fromCart: z.boolean().optional(),
    addressId: id.optional(),
    address: z.object(address).strict().optional(),
  })
  .strict();

/** The server prices everything: a request that tries to set a price is refused, and nothing is written. */
function refusePrices(input: Record<string, unknown> & { items: Record<string, unknown>[] }) {
  if (hasPrice(input) || input.items.some((i) => hasPrice(i))) throw new AppError('PRICE_NOT_ACCEPTED');
}

const handler = createHandler('shop', {
  ...groupShopActions,
  ...presaleShopActions,
  ...storeShopActions,
  listProducts: action({ schema: z.object({ ...paging, q: z.string().max(30).optional(), categoryId: categoryIdSchema.optional() }).strict(), access: 'user', run: (input, ctx) => listProducts(ctx, input) }),
  getProduct: action({ schema: z.object({ productId: id }).strict(), access: 'user', run: (input, ctx) => getProduct(ctx, input) }),

  getCart: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => getCart(ctx) }),
  addToCart: action({ schema: z.object({ productId: id, skuId: id.optional(), quantity }).strict(), access: 'user', run: (input, ctx) => addToCart(ctx, input) }),
  setCartQuantity: action({ schema: z.object({ productId: id, skuId: id.optional(), quantity }).strict(), access: 'user', run: (input, ctx) => setCartQuantity(ctx, input) }),
  removeFromCart: action({ schema: z.object({ productIds: z.array(id).min(1).max(50).optional(), lines: z.array(z.object({ productId: id, skuId: id }).strict()).min(1).max(50).optional() }).strict(), access: 'user', run: (input, ctx) => removeFromCart(ctx, input) }),

  listAddresses: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => listAddresses(ctx) }),
  saveAddress: action({
    schema: z.object({ id: id.optional(), isDefault: z.boolean().optional(), ...address }).strict(),
    access: 'user',
    run: (input, ctx) => saveAddress(ctx, input),
  }),
  deleteAddress: action({ schema: z.object({ id }).strict(), access: 'user', run: (input, ctx) => deleteAddress(ctx, input.id) }),

  /** What the selection costs now, by createOrder's pricing, writing nothing. */
  quote: action({
    schema: quoteSchema,
    access: 'user',
    run: (input, ctx) => {
      refusePrices(input);
      return quoteOrder(ctx, input);
    },
  }),
  createOrder: action({
    schema: createOrderSchema,
    access: 'user',
    run: (input, ctx) => {
      refusePrices(input);
      return createOrder(ctx, input);
    },
  }),
  pay: action({ schema: z.object({ orderId: id }).strict(), access: 'user', run: (input, ctx) => pay(ctx, input.orderId) }),
  cancelOrder: action({ schema: z.object({ orderId: id }).strict(), access: 'user', run: (input, ctx) => cancelOrder(ctx, input.orderId) }),
  listOrders: action({
    schema: z.object({ status: z.enum(['pending_payment', 'paid', 'shipped', 'received', 'refunded', 'cancelled', 'expired']).optional(), ...paging }).strict(),
    access: 'user',
    run: (input, ctx) => listOrders(ctx, input, ctx.openid),
  }),
  getOrder: action({ schema: z.object({ orderId: id }).strict(), access: 'user', run: (input, ctx) => getOrder(ctx, input.orderId) }),
  confirmReceipt: action({ schema: z.object({ orderId: id }).strict(), access: 'user', run: (input, ctx) => confirmReceipt(ctx, input.orderId) }),
  requestRefund: action({
    schema: z.object({ orderId: id, reason: z.string().trim().min(1).max(200) }).strict(),
    access: 'user',
    run: (input, ctx) => requestRefund(ctx, input),
  }),
  listCoupons: action({
    schema: z.object({ status: z.enum(['held', 'available', 'locked', 'used', 'expired', 'void']).optional() }).strict(),
    access: 'user',
    run: (input, ctx) => listMyCoupons(ctx, input),
  }),

  /** The payment system's notification: only the platform may call it, and it is believed only after a query. */
  paymentNotify: action({
    schema: z
      .object({ outTradeNo: id, provider: z.enum(['local', 'wechat']).optional(), transactionId: z.string().max(64).optional(), totalFee: z.number().optional(), resultCode: z.string().max(16).optional() })
      .strict(),
    access: 'platform',
    // A pre-sale's deposit or balance trade (PD-… / PB-…) is confirmed by the pre-sale module.
    run: (input, ctx) => (isPresaleTrade(input.outTradeNo) ? confirmPresalePayment(ctx, input.outTradeNo) : confirmPaid(ctx, input.outTradeNo)),
  }),
});

export const main = async (event: unknown, context: Parameters<typeof handler>[1]) => {
  if (isWxPayCallback(event)) {
    const outTradeNo = paidTradeFromCallback(event);
    // A refund result or a failed payment needs no action from us: acknowledge it so it is not repeated.
    if (!outTradeNo) return { errcode: 0, errmsg: 'OK' };
    const res = await handler({ action: 'paymentNotify', provider: 'wechat', outTradeNo }, context);
    return res.ok ? { errcode: 0, errmsg: 'OK' } : { errcode: 1, errmsg: res.code };
  }
  return handler(event, context);
};
