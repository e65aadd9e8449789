import type { OrderStep } from '../kernel/orderSteps';
import { checkoutSeams } from './seams';
import { returnCouponFromOrder, useCouponForOrder } from '../coupons/coupons';
import { releaseOrderStockOnce } from './stock';

/** Steps the shop module runs when an order is paid, received or refunded (see app/orderSteps.ts). */
export const shopOrderSteps: OrderStep[] = [
  {
    name: 'shop.useCoupon',
    on: 'paid',
    run: async (ctx, order) => {
      if (order.couponId) await useCouponForOrder(ctx, order.couponId, order._id);
    },
  },
  {
    // Units refunded before shipping go back on sale; shipped goods come back through after-sales, not the shelf.
    name: 'shop.restock',
    on: 'refunded',
    run: async (ctx, order) => {
      if (!order.shippedAt) await releaseOrderStockOnce(ctx, order);
    },
  },
  {
    name: 'shop.returnCoupon',
    on: 'refunded',
    run: async (ctx, order) => {
      if (order.couponId) await returnCouponFromOrder(ctx, order.couponId, order._id);
    },
  },
  {
    name: 'shop.returnWalletSpend',
    on: 'refunded',
    run: async (ctx, order) => {
      if (spentWallet(order)) await checkoutSeams.returnWalletSpend(ctx, { orderId: order._id, buyerId: order.buyerId });
    },
  },
];

export function spentWallet(order: { discounts: { walletCashFen: number; pointsUsed: number } }): boolean {
  return order.discounts.walletCashFen > 0 || order.discounts.pointsUsed > 0;
}
