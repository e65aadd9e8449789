/**
 * Demo data a new user sees at once: a merchant, shoppers to act as, products, a 推三返一 rule and an assist
 * campaign. Written on first start (and by the dev reset) only when the shop is empty.
 */
import type { AssistCampaignDoc, ProductDoc, RebateRuleDoc, UserDoc } from '../types/models';
import type { Fen } from '../types/money';
import type { ShopSettingsDoc } from '../types/modules/shop.models';
import { encodeStored } from './codec';
import type { Store } from './store';

export const DEMO_MERCHANT = 'demo-merchant';
/** The privacy notice version the demo shoppers agreed to (src/services/session.ts PRIVACY_VERSION). */
const DEMO_PRIVACY_VERSION = '2025-01';

export const DEMO_IDENTITIES = [
  { openid: 'demo-shopper-a', label: '顾客 A', nickname: '小安' },
  { openid: 'demo-friend-b', label: '好友 B', nickname: '小白' },
  { openid: 'demo-friend-c', label: '好友 C', nickname: '小程' },
  { openid: 'demo-friend-d', label: '好友 D', nickname: '小丁' },
  { openid: DEMO_MERCHANT, label: '商家', nickname: '店长' },
];

/** The demo shop's 商品分类 (settings/categories), the order of the 首页 tabs. */
const CATEGORIES = [
  { id: 'c-tea', name: '茶饮冲调' },
  { id: 'c-food', name: '粮油零食' },
  { id: 'c-home', name: '家居日用' },
];

const PRODUCTS: { id: string; title: string; description: string; priceFen: number; stock: number; color: string; label: string; categoryId: string }[] = [
  { id: 'p-tea', title: '明前龙井 250g 礼盒', description: '杭州西湖产区明前采摘，豆香清雅，送礼自饮两相宜。', priceFen: 16800, stock: 50, color: '#7cb342', label: '龙井', categoryId: 'c-tea' },
  { id: 'p-rice', title: '五常稻花香大米 5kg', description: '黑龙江五常核心产区当季新米，煮饭满屋香。', priceFen: 8990, stock: 120, color: '#f9a825', label: '大米', categoryId: 'c-food' },
  { id: 'p-towel', title: '新疆长绒棉毛巾 3 条装', description: '柔软吸水不掉毛，A 类婴幼儿标准。', priceFen: 4990, stock: 200, color: '#29b6f6', label: '毛巾', categoryId: 'c-home' },
  { id: 'p-honey', title: '秦岭土蜂蜜 500g', description: '一年一收的百花蜜，浓稠结晶是天然的证明。', priceFen: 6800, stock: 80, color: '#ffb300', label: '蜂蜜', categoryId: 'c-tea' },
  { id: 'p-cup', title: '316 不锈钢保温杯 500ml', description: '12 小时保温，一键开盖，通勤好伴侣。', priceFen: 12900, stock: 5, color: '#8d6e63', label: '保温杯', categoryId: 'c-home' },
  { id: 'p-nuts', title: '每日坚果 30 袋装', description: '六种坚果果干科学配比，每天一袋。', priceFen: 9900, stock: 0, color: '#a1887f', label: '坚果', categoryId: 'c-food' },
];

/** An SVG picture for a demo product (no network needed). */
export function demoImage(id: string): string | null {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) return null;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.color}" stop-opacity="0.25"/><stop offset="1" stop-color="${p.color}" stop-opacity="0.7"/></linearGradient></defs><rect width="600" height="600" fill="url(#g)"/><circle cx="300" cy="300" r="170" fill="#fff" fill-opacity="0.55"/><text x="300" y="305" font-size="${p.label.length > 2 ? 96 : 128}" font-family="sans-serif" font-weight="bold" fill="${p.color}" text-anchor="middle" dominant-baseline="middle">${p.label}</text></svg>`;
}

export function seedDemoData(store: Store, now: number): boolean {
  if (store.count('products') > 0 || store.meta('seeded') === '1') return false;
  const at = new Date(now);
  const seq = ++store.seq;
  const put = (coll: string, doc: { _id: string }) => store.insert(coll, doc._id, encodeStored(doc), seq);
  store.atomic(() => {
    DEMO_IDENTITIES.forEach((who, i) => {
      const user: UserDoc = {
        _id: who.openid,
        inviteCode: `DEMO${String(i + 1).padStart(2, '0')}`,
        nickname: who.nickname,
        avatarUrl: '',
        roles: who.openid === DEMO_MERCHANT ? ['shopper', 'merchant'] : ['shopper'],
        createdAt: at,
        lastLoginAt: at,
        // The demo shoppers have agreed to the privacy notice (the app's version), so they can order and save
        // addresses at once; the merchant has not, so switching to them shows the first-open notice.
        consent: who.openid === DEMO_MERCHANT ? null : { version: DEMO_PRIVACY_VERSION, at },
      };
      put('users', user);
    });
    PRODUCTS.forEach((p, i) => {
      const product: ProductDoc = {
        _id: p.id,
        title: p.title,
        description: p.description,
        images: [`/assets/demo/${p.id}.svg`],
        priceFen: p.priceFen as Fen,
        stock: p.stock,
        onSale: true,
        sort: PRODUCTS.length - i,
        categoryId: p.categoryId,
        createdAt: at,
        updatedAt: at,
      };
      put('products', product);
    });
    const rule: RebateRuleDoc = {
      _id: 'rule-tuisanfanyi',
      name: '推三返一',
      active: true,
      priority: 10,
      reward: { form: 'cash', amountFen: 5000 as Fen },
      trigger: { kind: 'everyN', n: 3, minOrderFen: 0 as Fen },
      caps: { perInviterPerDay: null, perInviterTotal: null },
      productIds: null,
      startsAt: null,
      endsAt: null,
      createdAt: at,
      updatedAt: at,
    };
    put('rebate_rules', rule);
    const campaign: AssistCampaignDoc = {
      _id: 'campaign-tea',
      productId: 'p-tea',
      active: true,
      helpersNeeded: 3,
      durationHours: 24,
      success: { kind: 'price', priceFen: 9900 as Fen, validHours: 48 },
      fallback: { kind: 'points', pointsPerHelper: 100 },
      newUsersOnly: false,
      helperDailyCap: 3,
      openTasksPerShopper: 1,
      startsAt: null,
      endsAt: null,
      createdAt: at,
      updatedAt: at,
    };
    put('assist_campaigns', campaign);
    const shopSettings: ShopSettingsDoc = { _id: 'default', refundWindowDays: 7, autoConfirmDays: 10, updatedAt: at };
    put('shop_settings', shopSettings);
    put('settings', { _id: 'categories', categories: CATEGORIES, updatedAt: at } as { _id: string });
    store.setMeta('seeded', '1');
  });
  return true;
}
