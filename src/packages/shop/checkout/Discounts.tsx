/**
 * 结算's discounts: 优惠券 (its row and the sheet to choose one; a coupon under its threshold cannot be chosen, one the
 * server's quote left out says why), 余额抵扣 and 积分抵扣. The amounts come from the quote when there is one.
 */
import { Switch, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { CouponView, OrderQuote, WalletSummary } from '../../../../types/api';
import { messageFor } from '../../../../types/errors';
import { formatFen, pointsToFen } from '../../../../types/money';

interface Props {
  coupons: CouponView[];
  /** The coupon chosen (and usable at the estimate's total), or null. */
  coupon: CouponView | null;
  /** The error code for which the server's quote left the chosen coupon out, or null. */
  couponLeftOut: Parameters<typeof messageFor>[0] | null;
  itemsTotal: number;
  shown: OrderQuote | null;
  wallet: WalletSummary;
  useCash: boolean;
  usePoints: boolean;
  onCoupon: (id: string | null) => void;
  onUseCash: (on: boolean) => void;
  onUsePoints: (on: boolean) => void;
}

export default function Discounts({ coupons, coupon, couponLeftOut, itemsTotal, shown, wallet, useCash, usePoints, onCoupon, onUseCash, onUsePoints }: Props) {
  const [picking, setPicking] = useState(false);
  const usable = coupons.filter((c) => c.minSpendFen <= itemsTotal);
  const pointsValue = pointsToFen(wallet.points.available, Math.max(wallet.pointsPerYuan, 1));
  const choose = (id: string | null) => {
    onCoupon(id);
    setPicking(false);
  };
  return (
    <>
      <View className='card checkout-options'>
        <View className='option-row coupon-row' onClick={() => setPicking(true)}>
          <Text>优惠券</Text>
          <Text className={coupon && !couponLeftOut ? 'price' : 'muted'}>
            {couponLeftOut
              ? `不可用：${messageFor(couponLeftOut)} ›`
              : coupon
                ? `-${formatFen(shown?.coupon?.id === coupon.id ? shown.couponFen : coupon.amountFen)}`
                : usable.length
                  ? `${usable.length} 张可用 ›`
                  : '无可用 ›'}
          </Text>
        </View>
        <View className='option-row cash-row'>
          <Text>
            余额抵扣 <Text className='muted'>可用 {formatFen(wallet.cash.availableFen)}</Text>
          </Text>
          <Switch className='cash-switch' checked={useCash} disabled={wallet.cash.availableFen <= 0} color='#e4393c' onChange={(e) => onUseCash(e.detail.value)} />
        </View>
        <View className='option-row points-row'>
          <Text>
            积分抵扣{' '}
            <Text className='muted'>
              {wallet.points.available} 积分 ≈ {formatFen(pointsValue)}（{wallet.pointsPerYuan} 积分 = ¥1，有抵扣上限）
            </Text>
          </Text>
          <Switch className='points-switch' checked={usePoints} disabled={wallet.points.available <= 0} color='#e4393c' onChange={(e) => onUsePoints(e.detail.value)} />
        </View>
      </View>

      {picking && (
        <View className='sheet-mask coupon-picker' onClick={() => setPicking(false)}>
          <View className='sheet' onClick={(e) => e.stopPropagation()}>
            <Text className='sheet__title'>选择优惠券</Text>
            <View className={`picker-row${coupon ? '' : ' picker-row--on'}`} onClick={() => choose(null)}>
              不使用优惠券
            </View>
            {coupons.map((c) => {
              const ok = c.minSpendFen <= itemsTotal;
              return (
                <View
                  key={c.id}
                  className={`picker-row coupon-option${coupon?.id === c.id ? ' picker-row--on' : ''}${ok ? '' : ' picker-row--off'}`}
                  onClick={() => {
                    if (ok) choose(c.id);
                  }}
                >
                  <Text className='price'>{formatFen(c.amountFen)}</Text>
                  <Text>
                    {' '}
                    {c.title} · 满 {formatFen(c.minSpendFen)} 可用{ok ? '' : '（未达门槛）'}
                  </Text>
                </View>
              );
            })}
          </View>
        </View>
      )}
    </>
  );
}
