/**
 * The merchant's tools, each a page in the merchant subpackage (packages/merchant/, issue #7). The 商家 tab lists
 * only what is here, so it never links to a page that does not exist: add an entry together with its page.
 */
export interface MerchantTool {
  title: string;
  description: string;
  path: string;
}

export const MERCHANT_TOOLS: MerchantTool[] = [];
