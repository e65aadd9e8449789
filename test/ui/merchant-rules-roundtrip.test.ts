/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
/**
 * 返利规则 against the real functions (issue 13): a table of stored rules, each with every field set — caps per day
 * and in total, products (one the shop no longer lists), an active window to the millisecond, a ratio in basis points,
 * an each-order fixed amount beside the reward's own, coupons, points, negative priority, switched off — is opened in
 * the editor and saved unchanged. The page sends exactly the rule it loaded, and the stored document stays the same
 * byte for byte except its updatedAt.
 */
import type { RebateRuleDoc } from '../../types/models';
import type { Fen } from '../../types/money';
import { callsTo, renderPage, waitFor, type RenderedPage } from './harness';
import { startRealCloud, type RealCloud } from './real-cloud';

const MERCHANT = 'demo-merchant';
const at = (iso: string) => new Date(iso);
const f = (n: number) => n as Fen;

type Row = [name: string, rule: Omit<RebateRuleDoc, '_id' | 'name' | 'createdAt' | 'updatedAt'>, preview: string];

const ROWS: Row[] = [
  [
    '每日上限的推二返一',
    {
      active: false,
      priority: -5,
      reward: { form: 'cash', amountFen: f(3000) },
      trigger: { kind: 'everyN', n: 2, minOrderFen: f(5990) },
      caps: { perInviterPerDay: 2, perInviterTotal: 10 },
      productIds: ['p-tea', 'p-honey'],
      startsAt: at('2026-11-30T16:00:00.000Z'),
      endsAt: at('2027-01-15T03:30:45.123Z'),
    },
    '每邀请 2 位好友首次下单（满 ¥59.90），奖励 ¥30 现金，确认收货 7 天后可提现，每人每天最多 2 次，每人最多 10 次，仅限 2 件指定商品，活动时间 2026-12-01 00:00 至 2027-01-15 11:30',
  ],
  [
    '按实付比例返现',
    {
      active: true,
      priority: 20,
      reward: { form: 'cash', amountFen: f(1200) },
      trigger: { kind: 'eachOrder', minOrderFen: f(0), ratioBp: 550 },
      caps: { perInviterPerDay: 3, perInviterTotal: null },
      productIds: ['p-cup', 'p-gone'],
      startsAt: null,
      endsAt: at('2027-06-30T15:59:00.000Z'),
    },
    '好友每下一单，奖励订单实付 5.5% 的现金，确认收货 7 天后可提现，每人每天最多 3 次，仅限 2 件指定商品，活动时间 即日起 至 2027-06-30 23:59',
  ],
  [
    '单笔固定返现',
    {
      active: true,
      priority: 3,
      reward: { form: 'cash', amountFen: f(800) },
      trigger: { kind: 'eachOrder', minOrderFen: f(10000), fixedFen: f(500) },
      caps: { perInviterPerDay: null, perInviterTotal: 50 },
      productIds: null,
      startsAt: null,
      endsAt: null,
    },
    '好友每下一单（满 ¥100），奖励 ¥5 现金，确认收货 7 天后可提现，每人最多 50 次',
  ],
  [
    '积分按比例',
    {
      active: true,
      priority: 1,
      reward: { form: 'points', points: 77 },
      trigger: { kind: 'eachOrder', minOrderFen: f(1), ratioBp: 1234 },
      caps: { perInviterPerDay: 1, perInviterTotal: 2 },
      productIds: ['p-rice'],
      startsAt: at('2026-12-01T01:02:03.004Z'),
      endsAt: null,
    },
    '好友每下一单（满 ¥0.01），奖励订单实付 12.34% 折算的积分，确认收货 7 天后可使用，每人每天最多 1 次，每人最多 2 次，仅限 1 件指定商品，活动时间 2026-12-01 09:02 至 长期有效',
  ],
  [
    '邀五人送券',
    {
      active: true,
      priority: 0,
      reward: { form: 'coupon', amountFen: f(1500), minSpendFen: f(9900), validDays: 45 },
      trigger: { kind: 'everyN', n: 5, minOrderFen: f(0) },
      caps: { perInviterPerDay: null, perInviterTotal: null },
      productIds: null,
      startsAt: null,
      endsAt: null,
    },
    '每邀请 5 位好友首次下单，奖励 ¥15 优惠券（满 ¥99 可用），确认收货 7 天后可使用',
  ],
  [
    '每单固定积分',
    {
      active: false,
      priority: 2,
      reward: { form: 'points', points: 300 },
      trigger: { kind: 'eachOrder', minOrderFen: f(2000) },
      caps: { perInviterPerDay: 0, perInviterTotal: 1000 },
      productIds: ['p-towel', 'p-nuts', 'p-rice'],
      startsAt: at('2026-12-24T16:00:00.000Z'),
      endsAt: at('2026-12-25T16:00:00.000Z'),
    },
    '好友每下一单（满 ¥20），奖励 300 积分，确认收货 7 天后可使用，每人每天最多 0 次，每人最多 1000 次，仅限 3 件指定商品，活动时间 2026-12-25 00:00 至 2026-12-26 00:00',
  ],
  [
    '每单送券',
    {
      active: true,
      priority: 4,
      reward: { form: 'coupon', amountFen: f(500), minSpendFen: f(500), validDays: 7 },
      trigger: { kind: 'eachOrder', minOrderFen: f(2000) },
      caps: { perInviterPerDay: 5, perInviterTotal: null },
      productIds: null,
      startsAt: null,
      endsAt: null,
    },
    '好友每下一单（满 ¥20），奖励 ¥5 优惠券（满 ¥5 可用），确认收货 7 天后可使用，每人每天最多 5 次',
  ],
];

const idOf = (i: number) => `rule-rt-${i}`;
const SEEDED_AT = at('2026-11-01T00:00:00.000Z');

let rc: RealCloud;
let page: RenderedPage;
const before = new Map<string, string>();

beforeAll(async () => {
  rc = await startRealCloud();
  const rules = rc.db.collection('rebate_rules');
  for (const [i, [name, rule]] of ROWS.entries()) {
    // Shaped as saveRebateRule writes it (its field order), so "unchanged" can be compared as text.
    await rules.add({ _id: idOf(i), name, ...rule, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    before.set(idOf(i), await rc.stored('rebate_rules', idOf(i)));
  }
  page = await renderPage('packages/merchant/rules/index', { cloud: rc.as(MERCHANT) });
  await page.waitForText(ROWS[ROWS.length - 1][0], 15_000);
}, 60_000);

afterAll(async () => {
  await rc?.close();
});

/** The 编辑 button of the rule row that shows `name`. */
function editButtonOf(name: string): HTMLElement {
  const button = page.all('rule-edit').find((el) => el.parentElement?.textContent?.includes(name));
  if (!button) throw new Error(`no rule row for ${name}`);
  return button;
}

test.each(ROWS.map((row, i) => [row[0], i, row[2]] as const))('%s: saved unchanged through the editor, the stored rule is the same', async (name, i, preview) => {
  const listed = (await rc.call(MERCHANT, 'merchant', 'listRebateRules')) as { id: string; updatedAt: string }[];
  const { updatedAt: _bookkeeping, ...loaded } = listed.find((r) => r.id === idOf(i))!;
  const saves = callsTo('merchant.saveRebateRule').length;

  await page.tapElement(editButtonOf(name));
  await page.waitForClass('rule-editor');
  // Every field is on the form: the preview is built from what the form holds.
  await waitFor(() => page.one('rule-preview')?.textContent === preview, { what: `the preview of ${name} (it shows "${page.one('rule-preview')?.textContent}")` });
  await page.tap('rule-save');
  await waitFor(() => callsTo('merchant.saveRebateRule').length === saves + 1, { what: 'saveRebateRule' });
  await waitFor(() => !page.one('rule-editor'), { timeout: 10_000, what: `the editor to close (page: ${page.text()})` });

  expect(callsTo('merchant.saveRebateRule')[saves].payload).toEqual({ ...loaded, rev: 0 }); // with the revision read (none yet)
  const stored = await rc.doc('rebate_rules', idOf(i));
  expect(stored.updatedAt.getTime()).not.toBe(SEEDED_AT.getTime()); // it was written…
  expect(await rc.stored('rebate_rules', idOf(i))).toBe(before.get(idOf(i))); // …and nothing else changed
});
