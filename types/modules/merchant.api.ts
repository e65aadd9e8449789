/** Merchant-tab actions of their own (stats, products, users): the merchant tab issue. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MerchantAdminActions {}
