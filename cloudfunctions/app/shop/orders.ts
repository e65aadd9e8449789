/**
 * Orders: create (server-priced, stock reserved by guarded updates, idempotent by the client's requestId), cancel,
 * expire unpaid, ship, confirm receipt (by the buyer or by the timer), and lists.
 */
import type { CreateOrderInput, OrderView, Page } from '../../../types/api';
import type { OrderDoc, OrderItem, OrderStatus, ShippingAddress } from '../../../types/models';
import type { Fen } from '../../../types/money';
import type { CouponDoc } from '../../../types/modules/shop.models';
import type { GroupCheckout } from '../group/seats';
import { validateAddress } from '../../domain/shopAddress';
import { addDays, addMinutes, orderIdFor, requestFingerprint } from '../../domain/shopOrders';
import { normalizeLines } from '../../domain/shopPricing';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { FIELD_LABELS } from '../../infra/validationMessages';
import { hasConsented } from '../privacy';
import { lockCouponForOrder } from '../coupons/coupons';
import { finishOwedSteps, runOwedSteps, transitionOrder } from './outbox';
import { confirmPaid } from './payment';
import { paymentProvider, paymentProviderName } from '../../infra/payments';
import { lineTitle, priceOrder, sellableLines, skuOfLine } from './pricing';
import { dropOrderedLines } from './cart';
import { dropCreateLock, giveBackHolds, takeCreateLock } from './createLocks';
import { specText } from '../../domain/productSkus';
import { checkoutSeams, groupSeams } from './seams';
import { loadShopSettings, payTimeoutMinutes } from './settings';
import { putBackStock, reserveStock } from './stock';
import { nextOrderNo } from './orderNumbers';
import { newestFirst, orderView } from './views';
import { sealAddress } from '../../infra/personalData';

async function getOrderDoc(ctx: Pick<Ctx, 'db'>, orderId: string): Promise<OrderDoc | undefined> {
  return (await collection(ctx.db, 'orders').doc(orderId).get()).data?.[0];
}

/** The buyer's own order, or ORDER_NOT_FOUND (someone else's order is not found, not forbidden: nothing leaks). */
export async function buyersOrder(ctx: Ctx, orderId: string): Promise<OrderDoc> {
  const order = await getOrderDoc(ctx, orderId);
  if (!order || order.buyerId !== ctx.openid) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

function sameRequest(order: OrderDoc, fingerprint: string, now: Date) {
  if (order.requestHash && order.requestHash !== fingerprint) throw new AppError('REQUEST_ID_REUSED');
  return { order: orderView(order, now), created: false };
}

/** Everything checked before anything is written: products, quantities, the address. */
async function prepare(ctx: Ctx, input: CreateOrderInput) {
  const verdict = normalizeLines(input.items);
  if (!verdict.ok) throw new AppError(verdict.reason);
  const lines = verdict.lines;
  const _ = ctx.db.command;
  const [productsRes, userRes, addressRes] = await Promise.all([
    collection(ctx.db, 'products').where({ _id: _.in(lines.map((l) => l.productId)) }).limit(lines.length).get(),
    collection(ctx.db, 'users').doc(ctx.openid).field({ inviterId: true, consent: true }).get(),
    input.addressId ? collection(ctx.db, 'addresses').doc(input.addressId).get() : Promise.resolve(null),
  ]);
  // An order carries a name, a phone number and an address: personal data, only after the privacy consent.
  const user = userRes.data?.[0];
  if (!hasConsented(user)) throw new AppError('PRIVACY_CONSENT_REQUIRED');
  const products = new Map(productsRes.data.map((p) => [p._id, p]));
  const sellable = sellableLines(lines, products);
  let address: ShippingAddress;
  if (input.addressId) {
    const doc = addressRes?.data?.[0];
    if (!doc || doc.ownerId !== ctx.openid) throw new AppError('ADDRESS_NOT_FOUND');
    // Copied as stored (name, phone and street stay sealed: infra/personalData).
    address = { name: doc.name, phone: doc.phone, province: doc.province, city: doc.city, district: doc.district, detail: doc.detail };
  } else if (input.address) {
    const v = validateAddress(input.address);
    if (!v.ok) throw new AppError('ADDRESS_INVALID', `收货地址的${FIELD_LABELS[v.field]}填写不正确`);
    address = sealAddress(v.address);
  } else {
    throw new AppError('ADDRESS_INVALID', '请选择收货地址');
  }
  const inviterId = user?.inviterId || null;
  return { lines: sellable, products, address, inviterId };
}

/**
 * A 拼团 order (open a group, or join one): one unit of one product, never from the cart; checked before anything is
 * written. Opening reads the offer here; a join reads nothing here: its seat claim answers the group and makes the
 * checks a read here would (claimSeat), so the join's checkout is known once the seat is held.
 */
async function prepareGroupOrder(ctx: Ctx, input: CreateOrderInput): Promise<GroupCheckout | null> {
  if (!input.openGroup && !input.groupId) return null;
  if ((input.openGroup && input.groupId) || input.fromCart) throw new AppError('GROUP_ORDER_INVALID');
  const { productId } = groupSeams.assertGroupLine(input.items);
  if (input.groupId) return null;
  return groupSeams.prepareGroupCheckout(ctx, { productId, openGroup: input.openGroup });
}

export async function createOrder(ctx: Ctx, input: CreateOrderInput): Promise<{ order: OrderView; created: boolean }> {
  const orderId = orderIdFor(ctx.openid, input.requestId);
  const fingerprint = requestFingerprint(input);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  let groupCheckout: GroupCheckout | null;
  try {
    [prepared, groupCheckout] = await Promise.all([prepare(ctx, input), prepareGroupOrder(ctx, input)]);
  } catch (e) {
    // A repeat of a create that succeeded answers that order even if the product has sold out since.
    const existing = e instanceof AppError ? await getOrderDoc(ctx, orderId) : undefined;
    if (existing && existing.buyerId === ctx.openid) return sameRequest(existing, fingerprint, ctx.clock.now());
    throw e;
  }
  const { lines, products, address, inviterId } = prepared;

  const holds = {
    buyerId: ctx.openid,
    couponId: input.couponId ?? null,
    assistTaskId: lines.find((l) => l.assistTaskId)?.assistTaskId ?? null,
    walletSpend: (input.useCashFen ?? 0) > 0 || (input.usePoints ?? 0) > 0,
    group: input.openGroup ? ('open' as const) : input.groupId ? ('join' as const) : null,
  };
  const lock = await takeCreateLock(ctx, orderId, fingerprint, holds);
  if (lock !== 'taken') return sameRequest(lock, fingerprint, ctx.clock.now());

  const undo: (() => Promise<unknown>)[] = [];
  let order: OrderDoc;
  try {
    const stock = await reserveStock(ctx, lines);
    if (!stock.ok) {
      const p = products.get(stock.productId);
      throw new AppError('OUT_OF_STOCK', `「${p ? lineTitle(p, stock) : '商品'}」库存不足`);
    }
    undo.push(() => putBackStock(ctx, lines));

    // 拼团: the leader's order makes the group; a friend's claims a seat, before any payment (released if this fails).
    let groupId: string | null = null;
    if (groupCheckout?.kind === 'open') {
      const group = await groupSeams.openGroupForOrder(ctx, { offer: groupCheckout.offer!, product: products.get(lines[0].productId)!, orderId });
      groupId = group._id; // a failure drops it with the other holds (giveBackHolds)
    } else if (input.groupId) {
      // The claim answers the group (price, deadline) and refuses as a read before it would: no read of it before (issue 15).
      groupCheckout = await groupSeams.claimSeat(ctx, { groupId: input.groupId, productId: lines[0].productId, orderId });
      groupId = groupCheckout.group!._id;
      const seat = { _id: orderId, buyerId: ctx.openid, groupId, groupRole: 'member' as const };
      undo.push(() => groupSeams.releaseGroupSeat(ctx, seat));
    }

    let coupon: CouponDoc | null = null;
    if (input.couponId) {
      coupon = await lockCouponForOrder(ctx, { couponId: input.couponId, ownerId: ctx.openid, orderId });
    }

    const assisted = lines.find((l) => l.assistTaskId);
    let assistPriceFen: Fen | null = null;
    if (assisted?.assistTaskId) {
      const taskId = assisted.assistTaskId;
      ({ priceFen: assistPriceFen } = await checkoutSeams.claimAssistPrice(ctx, { taskId, buyerId: ctx.openid, productId: assisted.productId, orderId }));
    }

    // The same pricing as shop.quote; here the wallet spend is made (given back if the order fails after it).
    const priced = await priceOrder({
      lines,
      products,
      assistPriceFen,
      groupPriceFen: groupCheckout?.priceFen ?? null,
      coupon,
      ask: { cashFen: input.useCashFen ?? 0, points: input.usePoints ?? 0 },
      couponUnderMinSpend: 'refuse',
      spendWallet: async (dueFen) => {
        const spent = await checkoutSeams.spendWalletAtCheckout(ctx, {
          buyerId: ctx.openid,
          orderId,
          cashFen: (input.useCashFen ?? 0) as Fen,
          points: input.usePoints ?? 0,
          orderTotalFen: dueFen,
        });
        return spent;
      },
    });

    const now = ctx.clock.now();
    // Taken last, once everything that can refuse the order has agreed, so refusals leave few gaps in the day's numbers.
    const orderNo = await nextOrderNo(ctx, now);
    // priced.lines are `lines` in order; each carries the SKU bought and its spec as shown then.
    const items: OrderItem[] = priced.lines.map((l, i) => {
      const p = products.get(l.productId)!;
      const sku = skuOfLine(products, lines[i]);
      const spec = specText(sku.spec, p.options);
      return { productId: l.productId, skuId: sku.skuId, spec, title: p.title, image: p.images[0] ?? '', quantity: l.quantity, unitPriceFen: l.unitPriceFen, subtotalFen: l.subtotalFen };
    });
    order = {
      _id: orderId,
      orderNo,
      buyerId: ctx.openid,
      requestId: input.requestId,
      requestHash: fingerprint,
      items,
      itemsTotalFen: priced.itemsTotalFen,
      discounts: { couponFen: priced.couponFen, walletCashFen: priced.walletCashFen, pointsFen: priced.pointsFen, pointsUsed: priced.pointsUsed },
      payableFen: priced.payableFen,
      couponId: coupon?._id ?? null,
      assistTaskId: assisted?.assistTaskId ?? null,
      inviterId,
      address,
      status: 'pending_payment',
      createdAt: now,
      expiresAt: groupCheckout ? groupSeams.groupOrderExpiry(addMinutes(now, payTimeoutMinutes()), groupCheckout) : addMinutes(now, payTimeoutMinutes()),
      paidAt: null,
      shippedAt: null,
      shipping: null,
      receivedAt: null,
      refundDeadline: null,
      refundedAt: null,
      payment: { provider: paymentProviderName(), outTradeNo: orderId, transactionId: null },
      pendingSteps: [],
      stepsLeaseUntil: null,
      refundStatus: null,
      stockReleasedAt: null,
      ...(groupId ? { groupId, groupRole: groupCheckout?.kind === 'open' ? ('leader' as const) : ('member' as const), groupState: 'waiting' as const } : {}),
      updatedAt: now,
    };
    await collection(ctx.db, 'orders').add(order);
  } catch (e) {
    // An order that was written stands with what it holds (its write may have answered an error whose answer was
    // lost): giving its stock, coupon or wallet spend back would leave a payable order that paid with them, and a
    // second give-back when it is cancelled or expires. Not known (the read failed too): nothing is given back here,
    // and the lock stays, so the timer decides once the order can be read (createLocks.ts).
    const written = await getOrderDoc(ctx, orderId).then(
      (o) => !!o,
      () => null,
    );
    if (written !== false) throw e;
    // Give back what this attempt took (stock, group seat), then what is held for this order id (coupon, assist
    // voucher, wallet spend) — by the order id, whichever attempt took it: a retry that took a crashed create's lock
    // over may fail before reaching them. Then free the requestId for a retry. A give-back that failed keeps the
    // lock, so the timer gives back what is keyed by the order.
    let givenBack = true;
    const failed = (err: unknown) => {
      givenBack = false;
      console.error('[shop] createOrder undo failed', err);
    };
    for (const step of undo) await step().catch(failed);
    await giveBackHolds(ctx, orderId, holds).catch(failed);
    if (givenBack) await dropCreateLock(ctx, orderId).catch(() => undefined);
    throw e;
  }
  // From here the order stands: nothing below gives anything back.
  if (input.fromCart) {
    // Best effort: the order stands even if the cart could not be tidied.
    await dropOrderedLines(ctx, lines).catch((e: unknown) => console.error('[shop] cart cleanup failed', e));
  }
  return { order: orderView(order, order.createdAt), created: true };
}

export async function getOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  return orderView(await buyersOrder(ctx, orderId), ctx.clock.now());
}

export async function listOrders(ctx: Ctx, input: { status?: OrderStatus; cursor?: number; pageSize?: number }, buyerId: string | null): Promise<Page<OrderView>> {
  const where: Record<string, unknown> = {};
  if (buyerId) where.buyerId = buyerId;
  if (input.status) where.status = input.status;
  // The buyer's own list says what each order allows now; the merchant's has no buyer buttons.
  const now = ctx.clock.now();
  return newestFirst(ctx, 'orders', where, 'createdAt', input, (o: OrderDoc) => (buyerId ? orderView(o, now) : orderView(o)));
}

/**
 * Close an unpaid order (the buyer's cancel, or expiry). The trade is closed at the provider first so it can no longer
 * be paid; if it was paid meanwhile, the payment is taken instead. Answers the order as it ends up.
 */
async function closeUnpaid(ctx: Ctx, order: OrderDoc, to: 'cancelled' | 'expired'): Promise<OrderDoc> {
  const closed = await paymentProvider().closeOrder(order.payment.outTradeNo);
  if (closed === 'paid') {
    await confirmPaid(ctx, order._id);
    return (await getOrderDoc(ctx, order._id)) as OrderDoc;
  }
  const moved = await transitionOrder(ctx, order._id, ['pending_payment'], { status: to }, 'closed');
  if (!moved) return (await getOrderDoc(ctx, order._id)) as OrderDoc;
  await runOwedSteps(ctx, moved);
  return (await getOrderDoc(ctx, order._id)) as OrderDoc;
}

export async function cancelOrder(ctx: Ctx, orderId: string): Promise<OrderView> {
  const order = await buyersOrder(ctx, orderId);
  if (order.status === 'cancelled') return orderView(order);
  // Past its time an unpaid order has expired (the timer closes it and gives everything back): say so.
  if (order.status === 'expired' || (order.status === 'pending_payment' && ctx.clock.now() >= order.expiresAt)) throw new AppError('ORDER_EXPIRED');
  if (order.status !== 'pending_payment') throw new AppError('ORDER_STATE_INVALID', '只能取消待支付的订单');
  const after = await closeUnpaid(ctx, order, 'cancelled');
  if (after.status === 'expired') throw new AppError('ORDER_EXPIRED');
  if (after.status !== 'cancelled') throw new AppError('ORDER_ALREADY_PAID');
  return orderView(after);
}

/** Timer: unpaid orders past their time expire, releasing stock, coupon, assist voucher and wallet spend. */
export async function expireUnpaidOrders(ctx: Ctx, batch = 50): Promise<number> {
  const _ = ctx.db.command;
  const res = await collection(ctx.db, 'orders').where({ status: 'pending_payment', expiresAt: _.lte(ctx.clock.now()) }).limit(batch).get();
  let n = 0;
  for (const order of res.data) {
    try {
      if ((await closeUnpaid(ctx, order, 'expired')).status === 'expired') n++;
    } catch (e) {
      console.error(`[shop] could not expire order ${order._id}`, e);
    }
  }
  return n;
}

export async function shipOrder(ctx: Ctx, input: { orderId: string; carrier: string; trackingNo: string }): Promise<OrderView> {
  const _ = ctx.db.command;
  const now = ctx.clock.now();
  // _.set: a plain object in an update is merged field by field, and `shipping` is null until now.
  const res = await collection(ctx.db, 'orders')
    // A 拼团 order ships only once its group has succeeded (other orders have no groupState: $nin matches them).
    // Nor an order whose refund the merchant approved (the money goes back, maybe after a retry): not the goods too.
    .where({ _id: input.orderId, status: 'paid', groupState: _.nin(['waiting', 'failed', 'refused']), refundStatus: _.neq('approved') })
    .updateAndReturn({ status: 'shipped', shippedAt: now, shipping: _.set({ carrier: input.carrier, trackingNo: input.trackingNo }), updatedAt: now });
  if (res.doc) return orderView(res.doc);
  const order = await getOrderDoc(ctx, input.orderId);
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  if (order.status === 'shipped' && order.shipping?.trackingNo === input.trackingNo) return orderView(order);
  if (order.status === 'paid' && order.groupId && order.groupState !== 'succeeded') throw new AppError('GROUP_NOT_SHIPPABLE');
  if (order.status === 'paid' && order.refundStatus === 'approved') throw new AppError('ORDER_STATE_INVALID', '该订单的退款已同意，不能发货');
  throw new AppError('ORDER_STATE_INVALID', '只能给已支付、未发货的订单发货');
}

async function markReceived(ctx: Ctx, orderId: string, refundWindowDays: number): Promise<OrderDoc | null> {
  const now = ctx.clock.now();
  const moved = await transitionOrder(ctx, orderId, ['shipped'], { status: 'received', receivedAt: now, refundDeadline: addDays(now, refundWindowDays) }, 'received');
  if (moved) await runOwedSteps(ctx, moved);
  return moved;
}

export async function confirmReceipt(ctx: Ctx, orderId: string): Promise<OrderView> {
  const order = await buyersOrder(ctx, orderId);
  if (order.status === 'received') return orderView(order);
  if (order.status !== 'shipped') throw new AppError('ORDER_STATE_INVALID', '订单尚未发货');
  const settings = await loadShopSettings(ctx);
  await markReceived(ctx, orderId, settings.refundWindowDays);
  return orderView((await getOrderDoc(ctx, orderId)) as OrderDoc);
}

/** Timer: shipped orders confirm themselves N days after shipping (merchant setting). */
export async function autoConfirmReceipts(ctx: Ctx, batch = 50): Promise<number> {
  const _ = ctx.db.command;
  const settings = await loadShopSettings(ctx);
  const cutoff = addDays(ctx.clock.now(), -settings.autoConfirmDays);
  const res = await collection(ctx.db, 'orders').where({ status: 'shipped', shippedAt: _.lte(cutoff) }).field({ _id: true }).limit(batch).get();
  let n = 0;
  for (const { _id } of res.data) if (await markReceived(ctx, _id, settings.refundWindowDays)) n++;
  return n;
}

export { finishOwedSteps };
