/** The shop's public face: who sells (name, qualifications, customer service) and every active rule, in full. */

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

export interface StoreShopActions {
  storeInfo: [Record<string, never>, StoreInfo];
}

export interface MerchantStoreActions {
  getStoreProfile: [Record<string, never>, StoreProfile];
  saveStoreProfile: [StoreProfile, StoreProfile];
}
