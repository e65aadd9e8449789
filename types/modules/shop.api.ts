/** Actions of the shop module (functions `shop` and the shop part of `merchant`). */
import type { Page } from '../api';
import type { Fen } from '../money';

export interface ProductSummary {
  id: string;
  title: string;
  image: string;
  priceFen: Fen;
  stock: number;
  badges: { rebate: boolean; assist: boolean };
}

export interface ProductDetail extends ProductSummary {
  images: string[];
  description: string;
  onSale: boolean;
}

export interface ShopActions {
  listProducts: [{ cursor?: number; pageSize?: number }, Page<ProductSummary>];
  getProduct: [{ productId: string }, ProductDetail];
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MerchantShopActions {}
