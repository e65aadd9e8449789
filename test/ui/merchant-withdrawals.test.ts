/** 提现审核 (compiled weapp page): pending withdrawals; approve once however often it is tapped; a refusal needs a reason. */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';
import type { MerchantWithdrawalView } from '../../types/api';
import { fen } from '../../types/money';

const w = (id: string, over: Partial<MerchantWithdrawalView> = {}): MerchantWithdrawalView => ({
  id,
  amountFen: fen(5000),
  status: 'pending',
  statusText: '待审核',
  createdAt: '2026-11-23T10:00:00.000Z',
  reviewedAt: null,
  paidAt: null,
  failReason: null,
  transfer: null,
  userId: `u-${id}`,
  nickname: `小${id}`,
  reviewNote: null,
  debtFen: fen(0),
  openRefunds: 0,
  ...over,
});

let page: RenderedPage;
let release: () => void = () => undefined;

beforeAll(async () => {
  page = await renderPage('packages/merchant/withdrawals/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listWithdrawals': (p, n) => ok({ items: n === 1 ? [w('a'), w('b', { debtFen: fen(2000), openRefunds: 2 })] : [w('b', { debtFen: fen(2000), openRefunds: 2 })], next: null }),
      // The first approval waits until the test lets it answer, so the second tap lands while it is in flight.
      'merchant.reviewWithdrawal': (p) => new Promise((resolve) => (release = () => resolve(ok(w(String(p.withdrawalId), { status: 'transferring', statusText: '转账中' }))))),
    }),
  });
  await page.waitForClass('withdrawal-row');
});

test('lists pending withdrawals with who and how much', () => {
  expect(callsTo('merchant.listWithdrawals')[0].payload).toEqual({ pageSize: 20, status: 'pending' });
  expect(page.all('withdrawal-row').map((el) => el.textContent)).toEqual([expect.stringContaining('小a 申请提现 ¥50.00'), expect.stringContaining('小b 申请提现 ¥50.00')]);
});

test('a withdrawal from a wallet that owes shows the debt and the friends’ open refunds', () => {
  const rows = page.all('withdrawal-row');
  expect(rows[0].textContent).not.toContain('待抵扣');
  expect(rows[1].textContent).toContain('待抵扣 ¥20.00 · 好友退款待处理 2 笔');
});

test('通过并转账 asks first, naming the amount and the user; 取消 sends nothing', async () => {
  ui.wxOverrides.showModal = () => ({ errMsg: 'showModal:ok', confirm: false, cancel: true });
  await page.tap('withdrawal-approve');
  await waitFor(() => wxCallsTo('showModal').length === 1, { what: 'the confirmation' });
  expect(wxCallsTo('showModal')[0]).toMatchObject({ title: '确认转账', content: expect.stringContaining('向 小a 转账 ¥50.00') });
  delete ui.wxOverrides.showModal;
  expect(callsTo('merchant.reviewWithdrawal')).toHaveLength(0);
});

test('two taps on 通过 send one approval; the list refreshes after it', async () => {
  await page.tap('withdrawal-approve');
  await page.tap('withdrawal-approve');
  await page.waitForText('提交中…');
  expect(callsTo('merchant.reviewWithdrawal')).toHaveLength(1);
  expect(callsTo('merchant.reviewWithdrawal')[0].payload).toEqual({ withdrawalId: 'a', approve: true });
  release();
  await waitFor(() => page.all('withdrawal-row').length === 1, { what: 'the refreshed list' });
});

test('拒绝 asks for a reason before anything is sent', async () => {
  await page.tap('withdrawal-reject');
  await page.waitForClass('reason-box');
  await page.tap('reason-box__confirm');
  await page.waitForText('请填写原因，用户会看到它');
  expect(callsTo('merchant.reviewWithdrawal')).toHaveLength(1);
});
