/**
 * The product page's 拼团 section: the group price and size, every rule before the button, 发起拼团, and under 凑团
 * the open groups anyone may join. Renders nothing when the product has no active offer (or it cannot be read: the
 * page stays usable without it).
 */
import { Text, View } from '@tarojs/components';
import type { GroupOfferView } from '../../../../types/api';
import { formatFen, type Fen } from '../../../../types/money';
import RulesCard from '../../../components/RulesCard';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { formatCountdown } from '../../../utils/format';

interface Props {
  productId: string;
  buyable: boolean;
  /** 发起拼团, with the group price (one price whatever the 规格). */
  onOpen(groupPriceFen: Fen): void;
  onView(groupId: string): void;
}

export default function GroupSection({ productId, buyable, onOpen, onView }: Props) {
  const offer = useRemote<GroupOfferView | null>(() => callFunction('shop', 'groupOffer', { productId }).catch(() => null), [productId]);
  const o = offer.state.status === 'ready' ? offer.state.data : null;
  if (!o) return null;
  return (
    <RulesCard title='拼团' summary={`${o.groupSize} 人拼团价 ${formatFen(o.groupPriceFen)}（单买 ${formatFen(o.listPriceFen)}）`} lines={o.rulesText} className='product-page__group'>
      <View className={`primary-button product-page__open-group${buyable ? '' : ' primary-button--disabled'}`} onClick={() => buyable && onOpen(o.groupPriceFen)}>
        发起拼团 {formatFen(o.groupPriceFen)}
      </View>
      {o.openGroups.length > 0 && (
        <View className='product-page__open-groups'>
          <Text className='card__title'>正在拼团，可直接参团</Text>
          {o.openGroups.map((g) => (
            <View key={g.groupId} className='row product-page__open-group-row' onClick={() => onView(g.groupId)}>
              <Text className='product-page__open-group-leader'>{g.leader.name} 的团</Text>
              <Text className='muted'>
                还差 {g.size - g.paidCount} 人 · 剩余 {formatCountdown(g.msLeft)}
              </Text>
              <Text className='ghost-button product-page__join-group'>去参团</Text>
            </View>
          ))}
        </View>
      )}
    </RulesCard>
  );
}
