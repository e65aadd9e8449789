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

export async function loadCheckout(lines: Line[], assistTaskId: string | undefined, group: GroupChoice = {}) {
  const [products, addresses, coupons, wallet, task, groupPriceFen] = await Promise.all([
    Promise.all(lines.map((line) => callFunction('shop', 'getProduct', { productId: line.productId }))),
    callFunction('shop', 'listAddresses', {}),
    callFunction('shop', 'listCoupons', { status: 'available' }),
    callFunction('wallet', 'summary', {}),
    assistTaskId ? callFunction('assist', 'get', { taskId: assistTaskId }) : Promise.resolve(null),
    groupPriceOf(lines, group),
  ]);
  return { products, addresses, coupons, wallet, task, groupPriceFen };
}

/**
 * The one price a 拼团 checkout charges, whatever the SKU: the joined group's own (its terms as it opened), or the
 * offer's to open one. Null when not a group checkout, or not known (the server's quote then tells).
 */
async function groupPriceOf(lines: Line[], group: GroupChoice): Promise<number | null> {
  if (group.groupId) return callFunction('shop', 'getGroup', { groupId: group.groupId }).then((g) => g.product.groupPriceFen as number, () => null);
  if (group.openGroup && lines[0]) return callFunction('shop', 'groupOffer', { productId: lines[0].productId }).then((o) => (o ? (o.groupPriceFen as number) : null), () => null);
  return null;
}

export type CheckoutData = Awaited<ReturnType<typeof loadCheckout>>;

/**
 * The page's own estimate (list, assist or group prices), for the coupon picker and until the server's quote arrives.
 * A special price applies to whichever SKU is bought, and never above that SKU's list price (as the server prices it).
 */
export function estimateOf(lines: Line[], { products, task, groupPriceFen }: CheckoutData) {
  const assistPrice = task && task.viewer.isOwner && task.voucher?.state === 'available' ? task.voucher.priceFen : null;
  const estimateLines = lines.map((line, i) => {
    const product = products[i];
    const assisted = assistPrice !== null && task?.product.id === line.productId;
    // A group order is one line of one unit.
    const special = assisted ? assistPrice : i === 0 && groupPriceFen !== null ? groupPriceFen : null;
    const sku = product.skus?.find((k) => k.skuId === line.skuId) ?? null;
    const list = sku?.priceFen ?? product.priceFen;
    return { line, product, sku, assisted, special, quantity: assisted ? 1 : line.quantity, unit: special === null ? list : Math.min(special, list) };
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
