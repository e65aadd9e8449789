/**
 * 结算's pure parts: the link's lines, the data the page loads, the page's own estimate, and the selection that
 * shop.quote and shop.createOrder both take (ids, quantities and amounts, never a price).
 */
import type { CheckoutSelection } from '../../../../types/api';
import { callFunction } from '../../../services/cloud';

export interface Line {
  productId: string;
  quantity: number;
  skuId?: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** ?items=p1:2,p2:1:s0a1b2c3d: productId:quantity[:skuId], quantities 1–99, bad ids dropped. */
export function parseItems(spec: string | undefined): Line[] {
  if (!spec) return [];
  return decodeURIComponent(spec)
    .split(',')
    .map((part) => {
      const [productId, q, skuId] = part.split(':');
      const line: Line = { productId, quantity: Math.max(1, Math.min(99, Number.parseInt(q ?? '1', 10) || 1)) };
      return skuId && ID.test(skuId) ? { ...line, skuId } : line;
    })
    .filter((line) => ID.test(line.productId));
}

export async function loadCheckout(lines: Line[], assistTaskId: string | undefined) {
  const [products, addresses, coupons, wallet, task] = await Promise.all([
    Promise.all(lines.map((line) => callFunction('shop', 'getProduct', { productId: line.productId }))),
    callFunction('shop', 'listAddresses', {}),
    callFunction('shop', 'listCoupons', { status: 'available' }),
    callFunction('wallet', 'summary', {}),
    assistTaskId ? callFunction('assist', 'get', { taskId: assistTaskId }) : Promise.resolve(null),
  ]);
  return { products, addresses, coupons, wallet, task };
}

export type CheckoutData = Awaited<ReturnType<typeof loadCheckout>>;

/** The page's own estimate (list or assist prices), for the coupon picker and until the server's quote arrives. */
export function estimateOf(lines: Line[], { products, task }: CheckoutData) {
  const assistPrice = task && task.viewer.isOwner && task.voucher?.state === 'available' ? task.voucher.priceFen : null;
  const estimateLines = lines.map((line, i) => {
    const product = products[i];
    const assisted = assistPrice !== null && task?.product.id === line.productId;
    const sku = product.skus?.find((k) => k.skuId === line.skuId) ?? null;
    return { line, product, sku, assisted, quantity: assisted ? 1 : line.quantity, unit: assisted ? assistPrice : (sku?.priceFen ?? product.priceFen) };
  });
  return { estimateLines, itemsTotal: estimateLines.reduce((sum, l) => sum + l.unit * l.quantity, 0) };
}

export type EstimateLine = ReturnType<typeof estimateOf>['estimateLines'][number];

export interface Choices {
  couponId: string | null;
  useCash: boolean;
  usePoints: boolean;
}

/** 拼团: ?openGroup=1 opens a group on the one item, ?groupId=… joins one; the group price comes from the server's quote. */
export type GroupChoice = { openGroup?: true; groupId?: string };

/** What the buyer chose, as both shop.quote and shop.createOrder take it; `key` tells selections apart. */
export function selectionOf(lines: Line[], data: CheckoutData, assistTaskId: string | undefined, choices: Choices, group: GroupChoice = {}) {
  const { estimateLines, itemsTotal } = estimateOf(lines, data);
  const coupon = data.coupons.find((c) => c.id === choices.couponId && c.minSpendFen <= itemsTotal) ?? null;
  const selection: CheckoutSelection = {
    items: estimateLines.map((l) => {
      const sku = l.line.skuId ? { skuId: l.line.skuId } : {};
      return l.assisted ? { productId: l.line.productId, ...sku, quantity: 1, assistTaskId } : { productId: l.line.productId, ...sku, quantity: l.line.quantity };
    }),
    couponId: coupon?.id,
    useCashFen: choices.useCash ? data.wallet.cash.availableFen : undefined,
    usePoints: choices.usePoints ? data.wallet.points.available : undefined,
    ...group,
  };
  return { selection, key: JSON.stringify(selection), coupon };
}
