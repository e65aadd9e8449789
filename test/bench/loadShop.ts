/**
 * The shop the load benchmarks (mixed, crowd) run against: six products with ample stock, the 推三返一 rule (every 3
 * invitees' first orders → ¥5), an assist campaign on the first product, and `shoppers` users each with a matured ¥1,000
 * reward posted to available by the settle job (money to withdraw). Ids carry `prefix`.
 */
import { seedMaturedRewards } from '../integration/referral-support';
import type { sdk } from './localCloud';

type App = ReturnType<typeof sdk>;

/** The delivery address every load order carries. */
export const LOAD_ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

export async function seedLoadShop(app: App, prefix: string, shoppers: number, helperDailyCap: number) {
  const db = app.database();
  const now = new Date();
  const products = Array.from({ length: 6 }, (_, i) => ({ _id: `${prefix}-p${i}`, title: `商品 ${i}`, description: '压测', images: [`/assets/demo/${prefix}-p${i}.svg`], priceFen: 990 + i * 1500, stock: 10_000_000, onSale: true, sort: i, createdAt: now, updatedAt: now }));
  await db.collection('products').add(products);
  await db.collection('rebate_rules').add({ _id: `${prefix}-rule`, name: '推三返一', active: true, priority: 10, reward: { form: 'cash', amountFen: 500 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null, createdAt: now, updatedAt: now });
  await db.collection('assist_campaigns').add({ _id: `${prefix}-campaign`, productId: `${prefix}-p0`, active: true, helpersNeeded: 3, durationHours: 24, success: { kind: 'price', priceFen: 500, validHours: 48 }, fallback: { kind: 'points', pointsPerHelper: 10 }, newUsersOnly: false, helperDailyCap, openTasksPerShopper: 1, startsAt: null, endsAt: null, createdAt: now, updatedAt: now });
  const users = await seedMaturedRewards(db, { prefix, users: shoppers, perUser: 1, amountFen: 100_000, maturedAt: new Date(Date.now() - 86_400_000) });
  for (let i = 0; i < 50; i++) {
    const res = (await app.callFunction({ name: 'settle', data: { action: 'run' } })) as { result: { ok: boolean; data?: { jobs: Record<string, number> } } };
    if (!res.result.ok) throw new Error(`${prefix}: settle failed before the load`);
    if (!res.result.data?.jobs['referral.postMatured']) break;
  }
  return { products, users };
}
