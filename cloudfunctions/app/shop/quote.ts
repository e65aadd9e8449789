/**
 * shop.quote: what a checkout selection (items, coupon, assist price, wallet cash and points) costs right now, priced
 * by createOrder's own pricing path (pricing.ts → domain/shopPricing) from the same documents, read once and in
 * parallel. It writes nothing: no stock is reserved, no coupon locked, no assist voucher claimed, no ledger entry made.
 * Refusals are createOrder's codes; only a coupon of the buyer's own that createOrder would refuse is left out of the
 * price and named instead, so the page can still show a total. A quote is not a promise: createOrder prices again.
 */
import type { CheckoutSelection, OrderQuote } from '../../../types/api';
import type { Fen } from '../../../types/money';
import type { CouponDoc } from '../../../types/modules/shop.models';
import { voucherRefusal } from '../../domain/assistPolicy';
import { couponStateRefusal, normalizeLines, planWalletSpend, walletSpendNotes, walletSpendRefusal } from '../../domain/shopPricing';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { priceOrder, sellableLines, skuOfLine } from './pricing';
import { specText } from '../../domain/productSkus';
import { checkoutSeams, groupSeams } from './seams';

export async function quoteOrder(ctx: Ctx, input: CheckoutSelection): Promise<OrderQuote> {
  const verdict = normalizeLines(input.items);
  if (!verdict.ok) throw new AppError(verdict.reason);
  let lines = verdict.lines;
  const assisted = lines.find((l) => l.assistTaskId);
  const ask = { cashFen: input.useCashFen ?? 0, points: input.usePoints ?? 0 };
  const asked = ask.cashFen > 0 || ask.points > 0;
  // 拼团: the group price (and the refusals createOrder would answer before claiming a seat); nothing is held.
  if (input.openGroup || input.groupId) {
    if (input.openGroup && input.groupId) throw new AppError('GROUP_ORDER_INVALID');
    groupSeams.assertGroupLine(lines);
  }
  const _ = ctx.db.command;
  const [productsRes, couponRes, taskRes, wallet] = await Promise.all([
    collection(ctx.db, 'products').where({ _id: _.in(lines.map((l) => l.productId)) }).limit(lines.length).get(),
    input.couponId ? collection(ctx.db, 'coupons').doc(input.couponId).get() : null,
    assisted?.assistTaskId ? collection(ctx.db, 'assist_tasks').doc(assisted.assistTaskId).get() : null,
    asked ? checkoutSeams.walletForQuote(ctx, ctx.openid) : null,
  ]);
  const group = input.openGroup || input.groupId ? await groupSeams.prepareGroupCheckout(ctx, { productId: lines[0].productId, openGroup: input.openGroup, groupId: input.groupId }) : null;
  const products = new Map(productsRes.data.map((p) => [p._id, p]));
  lines = sellableLines(lines, products);
  const now = ctx.clock.now();

  // In createOrder's order: coupon, then assist voucher. Someone else's coupon is not found, as there.
  let coupon: CouponDoc | null = null;
  let couponAnswer: OrderQuote['coupon'] = null;
  if (input.couponId) {
    const doc = couponRes?.data?.[0];
    if (!doc || doc.ownerId !== ctx.openid) throw new AppError('COUPON_NOT_FOUND');
    const why = couponStateRefusal(doc, now);
    if (why) couponAnswer = { id: doc._id, usable: false, reason: why };
    else coupon = doc;
  }

  let assistPriceFen: Fen | null = null;
  if (assisted) {
    const task = taskRes?.data?.[0];
    if (!task) throw new AppError('ASSIST_TASK_NOT_FOUND');
    // A quote holds no order, so a voucher held by any order is used (as it is for a new createOrder).
    const why = voucherRefusal(task, { buyerId: ctx.openid, productId: assisted.productId, orderId: '' }, now);
    if (why) throw new AppError(why === 'held' ? 'ASSIST_VOUCHER_USED' : why);
    assistPriceFen = task.voucher!.priceFen;
  }

  const notes: string[] = [];
  const priced = await priceOrder({
    lines,
    products,
    assistPriceFen,
    groupPriceFen: group?.priceFen ?? null,
    coupon,
    ask,
    couponUnderMinSpend: 'leaveOut',
    // What spendWalletAtCheckout would spend, from the balances as they are now; nothing is spent.
    spendWallet: (dueFen) => {
      const { terms, available } = wallet!;
      const spend = planWalletSpend(ask, dueFen, terms);
      const refused = walletSpendRefusal(spend, available);
      if (refused) throw new AppError(refused);
      notes.push(...walletSpendNotes(ask, dueFen, terms, spend));
      return spend;
    },
  });
  if (coupon) {
    couponAnswer = priced.couponLeftOut ? { id: coupon._id, usable: false, reason: priced.couponLeftOut } : { id: coupon._id, usable: true, reason: null };
  }

  const { lines: pricedLines, couponLeftOut: _leftOut, ...amounts } = priced;
  return {
    ...amounts,
    lines: pricedLines.map((l, i) => ({
      productId: l.productId,
      skuId: skuOfLine(products, lines[i]).skuId,
      spec: specText(skuOfLine(products, lines[i]).spec, products.get(l.productId)!.options),
      title: products.get(l.productId)!.title,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      subtotalFen: l.subtotalFen,
      assisted: l.assisted,
    })),
    coupon: couponAnswer,
    ...(notes.length ? { notes } : {}),
  };
}
