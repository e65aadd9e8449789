import { Text, View } from '@tarojs/components';
import type { ProductSummary } from '../../types/api';
import { formatFen } from '../../types/money';
import { soldText } from '../utils/format';
import ProductImage from './ProductImage';
import './ProductCard.css';

const LAZY_IMAGES = process.env.TARO_ENV === 'weapp';

interface Props {
  product: ProductSummary;
  onTap: (product: ProductSummary) => void;
}

export default function ProductCard({ product, onTap }: Props) {
  const soldOut = product.stock <= 0;
  return (
    <View className={`product-card${soldOut ? ' product-card--sold-out' : ''}`} onClick={() => onTap(product)}>
      <View className='product-card__media'>
        {/* Taro 4.2.1's h5 Image throws from its IntersectionObserver when lazyLoad is on. */}
        <ProductImage className='product-card__image' src={product.image} lazyLoad={LAZY_IMAGES} />
        {soldOut && <View className='product-card__sold-out'>售罄</View>}
      </View>
      <View className='product-card__body'>
        <Text className='product-card__title'>{product.title}</Text>
        <View className='product-card__badges'>
          {product.badges.rebate && <Text className='badge badge--rebate'>返利</Text>}
          {product.badges.assist && <Text className='badge badge--assist'>{product.assistPriceFen ? `助力价 ${formatFen(product.assistPriceFen)}` : '助力'}</Text>}
        </View>
        <View className='product-card__foot'>
          <Text className='product-card__price'>
            {formatFen(product.priceFen)}
            {product.priceVaries && <Text className='product-card__from'> 起</Text>}
          </Text>
          {product.soldQty > 0 && <Text className='product-card__sold'>{soldText(product.soldQty)}</Text>}
        </View>
      </View>
    </View>
  );
}
