/**
 * 结算's amounts: the server's quote line by line (dimmed while a newer one is on its way), or, before the first
 * answer or when it failed, the page's estimate with the refusal and a way to ask again.
 */
import { Text, View } from '@tarojs/components';
import type { CouponView, OrderQuote } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import type { QuoteState } from './useQuote';

interface Props {
  quote: QuoteState;
  itemsTotal: number;
  coupon: CouponView | null;
  useCash: boolean;
  usePoints: boolean;
}

function Quoted({ shown, updating, useCash, usePoints }: { shown: OrderQuote; updating: boolean; useCash: boolean; usePoints: boolean }) {
  return (
    <View className={`card checkout-summary${updating ? ' checkout-summary--updating' : ''}`}>
      <View className='option-row summary-items'>
        <Text>商品金额</Text>
        <Text>{formatFen(shown.itemsTotalFen)}</Text>
      </View>
      {shown.coupon?.usable && (
        <View className='option-row summary-coupon'>
          <Text>优惠券</Text>
          <Text>-{formatFen(shown.couponFen)}</Text>
        </View>
      )}
      {(useCash || shown.walletCashFen > 0) && (
        <View className='option-row summary-cash'>
          <Text>余额抵扣</Text>
          <Text>-{formatFen(shown.walletCashFen)}</Text>
        </View>
      )}
      {(usePoints || shown.pointsFen > 0) && (
        <View className='option-row summary-points'>
          <Text>积分抵扣</Text>
          <Text>
            -{formatFen(shown.pointsFen)}（{shown.pointsUsed} 积分）
          </Text>
        </View>
      )}
      {shown.notes?.map((note) => (
        <Text key={note} className='muted checkout-note'>
          {note}
        </Text>
      ))}
    </View>
  );
}

export default function Summary({ quote, itemsTotal, coupon, useCash, usePoints }: Props) {
  if (quote.shown) return <Quoted shown={quote.shown} updating={quote.updating} useCash={useCash} usePoints={usePoints} />;
  return (
    <View className='card checkout-summary'>
      <View className='option-row summary-items'>
        <Text>商品金额</Text>
        <Text>{formatFen(itemsTotal)}</Text>
      </View>
      {coupon && (
        <View className='option-row summary-coupon'>
          <Text>优惠券</Text>
          <Text>-{formatFen(coupon.amountFen)}</Text>
        </View>
      )}
      {quote.failed && (
        <Text className='form-error checkout-quote-error' onClick={quote.retry}>
          {quote.failed}（点此重新计算）
        </Text>
      )}
      <Text className='muted'>{useCash || usePoints ? '余额和积分的抵扣金额由系统按规则计算，' : ''}实付金额以提交后系统计算为准（至少 ¥0.01）。</Text>
    </View>
  );
}
