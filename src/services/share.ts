/**
 * Share cards and links. A card carries the sharer's invite code (`inviter`) and `source`, and on an assist the task;
 * the app reads them at launch (services/launch.ts). The browser build shares a link to the same page instead.
 */
export const productPath = (productId: string) => `/packages/shop/product/index?id=${encodeURIComponent(productId)}`;
export const assistPath = (taskId: string) => `/packages/assist/task/index?taskId=${encodeURIComponent(taskId)}`;
export const groupPath = (groupId: string) => `/packages/shop/group/index?groupId=${encodeURIComponent(groupId)}`;
/** 结算 for a 拼团 order: open a group on the product, or join one (the price is the server's); `skuId` for a product with 规格. */
export const groupCheckoutPath = (productId: string, groupId?: string, skuId?: string) =>
  `/packages/shop/checkout/index?items=${encodeURIComponent(`${productId}:1${skuId ? `:${skuId}` : ''}`)}&${groupId ? `groupId=${encodeURIComponent(groupId)}` : 'openGroup=1'}`;

function withInviter(path: string, inviteCode: string | undefined, source: 'card' | 'poster' = 'card'): string {
  if (!inviteCode) return path;
  return `${path}${path.includes('?') ? '&' : '?'}inviter=${encodeURIComponent(inviteCode)}&source=${source}`;
}

export function productShare(productId: string, inviteCode?: string, source?: 'card' | 'poster'): string {
  return withInviter(productPath(productId), inviteCode, source);
}

export function assistShare(taskId: string, inviteCode?: string, source?: 'card' | 'poster'): string {
  return withInviter(assistPath(taskId), inviteCode, source);
}

export function groupShare(groupId: string, inviteCode?: string, source?: 'card' | 'poster'): string {
  return withInviter(groupPath(groupId), inviteCode, source);
}

export function inviteShare(inviteCode?: string, source?: 'card' | 'poster'): string {
  return withInviter('/pages/index/index', inviteCode, source);
}

/** The browser link that opens `path` (hash router); in weapp the path itself. */
export function webLink(path: string): string {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return path;
  return `${window.location.origin}${window.location.pathname}#${path}`;
}
