/** Shared mock data for ui tests (shaped by types/api.ts, so a contract change breaks the build of the tests). */
import type { Me, ProductSummary } from '../../types/api';
import { fen } from '../../types/money';

export const me = (over: Partial<Me> = {}): Me => ({
  openid: 'o-test-1',
  inviteCode: 'K7Q2MZ',
  nickname: '小明',
  avatarUrl: '',
  roles: ['shopper'],
  isNew: false,
  ...over,
});

export const product = (id: string, over: Partial<ProductSummary> = {}): ProductSummary => ({
  id,
  title: `商品${id}`,
  image: `https://img.example.com/${id}.png`,
  priceFen: fen(100),
  stock: 10,
  badges: { rebate: false, assist: false },
  ...over,
});
