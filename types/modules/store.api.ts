/** The shop's public face: who sells (name, qualifications, customer service) and every active rule, in full. */
import type { AtRev, SentRev } from '../revision';

export interface StoreProfile {
  storeName: string;
  /** Lines the merchant publishes: 营业执照 / 食品经营许可证 numbers, the operating company, … */
  qualifications: string[];
  /** A service phone shown beside 联系客服 (the browser has no WeChat customer-service chat); '' when none. */
  servicePhone: string;
}

export interface StoreInfo extends StoreProfile {
  rebateRules: { name: string; summary: string; details: string[] }[];
  assistCampaigns: { productId: string; productTitle: string; summary: string; details: string[] }[];
}

/** One slide of the 首页 banner area, as the merchant writes it (`settings/banners`). */
export interface HomeBanner {
  /** Up to 12 characters, e.g. 双十二 推三返一. */
  heading: string;
  /** Up to 30 characters. */
  caption: string;
  /** The product a tap opens, or null (the banner only informs). */
  productId: string | null;
}

export interface HomeBanners {
  banners: HomeBanner[];
  /**
   * True when the merchant has set none and the slide shown is the shop's first active rebate rule in its own words
   * (never a claim the rules do not make); then `banners` holds that one slide, or none without an active rule.
   */
  fromRules: boolean;
}

/**
 * 商品分类: the merchant's categories in the order the 首页 shows them as tabs (`settings/categories`). A product holds
 * at most one (`categoryId`); one without shows under 全部 only.
 */
export interface ProductCategory {
  /** Assigned by the server when the category is created; never reused. */
  id: string;
  /** 1–6 characters, unique in the shop, e.g. 茶叶. */
  name: string;
}

/** A category as the merchant's editor sends it: `id` null for a new one. */
export interface ProductCategoryInput {
  id: string | null;
  name: string;
}

export interface StoreShopActions {
  storeInfo: [Record<string, never>, StoreInfo];
  homeBanners: [Record<string, never>, HomeBanners];
  /** The 首页 category tabs, in the merchant's order (empty: no tabs). */
  categories: [Record<string, never>, { categories: ProductCategory[] }];
}

export interface MerchantStoreActions {
  getStoreProfile: [Record<string, never>, StoreProfile & AtRev];
  saveStoreProfile: [StoreProfile & SentRev, StoreProfile & AtRev];
  /** The banners as saved (an empty list: the shop shows its first active rule instead). */
  getHomeBanners: [Record<string, never>, { banners: HomeBanner[] } & AtRev];
  /** Replaces the list (at most 5, in order). A product link must name a product that exists and is not archived. */
  saveHomeBanners: [{ banners: HomeBanner[] } & SentRev, { banners: HomeBanner[] } & AtRev];
  /** Every category with how many products (any state but archived) hold it. */
  getCategories: [Record<string, never>, { categories: (ProductCategory & { products: number })[] } & AtRev];
  /**
   * Replaces the list (at most 12, in order; names unique). A new one has `id: null`; an id must be one the shop has.
   * Leaving out a category that products still hold is refused (CATEGORY_IN_USE) and nothing is written.
   */
  saveCategories: [{ categories: ProductCategoryInput[] } & SentRev, { categories: ProductCategory[] } & AtRev];
}
