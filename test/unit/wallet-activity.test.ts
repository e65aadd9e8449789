/** The wallet as business events (issue 17.6): ledger legs grouped into one line per reward, withdrawal, spend, credit. */
import { groupActivity, type ActivityLeg } from '../../cloudfunctions/domain/walletActivity';

let n = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 0, minute));
const leg = (over: Partial<ActivityLeg> & Pick<ActivityLeg, 'op' | 'bucket' | 'amount' | 'reason'>, minute: number): ActivityLeg => ({
  _id: `${over.op}|${over.asset ?? 'cash'}|${over.bucket}#${++n}`,
  asset: 'cash',
  rewardId: null,
  withdrawalId: null,
  orderId: null,
  note: null,
  createdAt: at(minute),
  ...over,
});

const rewardLegs = (id: string, { posted = false, voided = false, clawed = false } = {}) => [
  leg({ op: `reward:${id}:frozen`, bucket: 'frozen', amount: 5000, reason: 'reward_frozen', rewardId: id, orderId: 'o1' }, 1),
  ...(posted
    ? [
        leg({ op: `reward:${id}:post`, bucket: 'frozen', amount: -5000, reason: 'reward_posted', rewardId: id, orderId: 'o1' }, 10),
        leg({ op: `reward:${id}:post`, bucket: 'available', amount: 5000, reason: 'reward_posted', rewardId: id, orderId: 'o1' }, 10),
      ]
    : []),
  ...(voided ? [leg({ op: `reward:${id}:void`, bucket: 'frozen', amount: -5000, reason: 'reward_voided', rewardId: id, orderId: 'o1', note: '好友订单已退款' }, 5)] : []),
  ...(clawed
    ? [
        leg({ op: `reward:${id}:clawback`, bucket: 'available', amount: -3000, reason: 'reward_clawback', rewardId: id, orderId: 'o1' }, 20),
        leg({ op: `reward:${id}:clawback`, bucket: 'debt', amount: 2000, reason: 'reward_clawback', rewardId: id, orderId: 'o1' }, 20),
      ]
    : []),
];

const withdrawalLegs = (id: string, end: 'paid' | 'returned' | null) => [
  leg({ op: `withdraw:${id}:request`, bucket: 'available', amount: -5000, reason: 'withdraw_requested', withdrawalId: id }, 30),
  leg({ op: `withdraw:${id}:request`, bucket: 'withdrawing', amount: 5000, reason: 'withdraw_requested', withdrawalId: id }, 30),
  ...(end === 'paid' ? [leg({ op: `withdraw:${id}:paid`, bucket: 'withdrawing', amount: -5000, reason: 'withdraw_paid', withdrawalId: id }, 40)] : []),
  ...(end === 'returned'
    ? [
        leg({ op: `withdraw:${id}:return`, bucket: 'withdrawing', amount: -5000, reason: 'withdraw_returned', withdrawalId: id }, 40),
        leg({ op: `withdraw:${id}:return`, bucket: 'available', amount: 5000, reason: 'withdraw_returned', withdrawalId: id }, 40),
      ]
    : []),
];

const line = (legs: ActivityLeg[]) => groupActivity(legs).map((e) => [e.title, e.amount, e.statusText, e.steps.join(' → '), e.legs.length]);

test.each([
  ['a frozen reward', rewardLegs('r1'), [['邀请奖励', 5000, '冻结中', '冻结中', 1]]],
  ['a posted reward (three legs, one line)', rewardLegs('r1', { posted: true }), [['邀请奖励', 5000, '可提现', '冻结中 → 可提现', 3]]],
  ['a voided reward', rewardLegs('r1', { voided: true }), [['邀请奖励', 5000, '已作废', '冻结中 → 已作废', 2]]],
  ['a reward clawed back after posting', rewardLegs('r1', { posted: true, clawed: true }), [['邀请奖励', 5000, '已追回', '冻结中 → 可提现 → 已追回', 5]]],
  ['a withdrawal being paid', withdrawalLegs('w1', null), [['提现到微信零钱', -5000, '处理中', '处理中', 2]]],
  ['a paid withdrawal', withdrawalLegs('w1', 'paid'), [['提现到微信零钱', -5000, '已到账', '处理中 → 已到账', 3]]],
  ['a returned withdrawal', withdrawalLegs('w1', 'returned'), [['提现到微信零钱', -5000, '已退回', '处理中 → 已退回', 4]]],
] as const)('%s', (_name, legs, expected) => {
  expect(line([...legs])).toEqual(expected);
});

test('one reward and one withdrawal: six legs, two lines, newest activity first', () => {
  const legs = [...rewardLegs('r1', { posted: true }), ...withdrawalLegs('w1', 'paid')];
  expect(legs).toHaveLength(6);
  expect(line(legs)).toEqual([
    ['提现到微信零钱', -5000, '已到账', '处理中 → 已到账', 3],
    ['邀请奖励', 5000, '可提现', '冻结中 → 可提现', 3],
  ]);
});

test('a checkout spend and its return are one line per order and asset; a points credit is its own line', () => {
  const legs = [
    leg({ op: 'spend:o9', bucket: 'available', amount: -500, reason: 'order_spend', orderId: 'o9' }, 50),
    leg({ op: 'spend:o9', asset: 'points', bucket: 'available', amount: -300, reason: 'order_spend', orderId: 'o9' }, 50),
    leg({ op: 'spend-return:o9', bucket: 'available', amount: 500, reason: 'order_spend_return', orderId: 'o9' }, 55),
    leg({ op: 'credit:assist:t1', asset: 'points', bucket: 'available', amount: 200, reason: 'points_credit', note: '助力未成功补偿' }, 60),
  ];
  expect(line(legs)).toEqual([
    ['助力未成功补偿', 200, '已到账', '', 1],
    ['下单余额抵扣', -500, '已退回', '已抵扣 → 已退回', 2],
    ['下单积分抵扣', -300, '已抵扣', '已抵扣', 1],
  ]);
});

describe('a debt carried over from a deleted account', () => {
  it('reads as one owed line (−), 待抵扣 while owed, 已抵扣 when the new account paid it out of what it had', () => {
    const [owed] = groupActivity([leg({ op: 'debt-carry:x:in', bucket: 'debt', amount: 5000, reason: 'debt_carried' }, 50)]);
    expect(owed).toMatchObject({ kind: 'other', title: '注销前被追回的奖励', amount: -5000, status: 'done', statusText: '待抵扣' });
    const [paid] = groupActivity([leg({ op: 'debt-carry:y:in', asset: 'points', bucket: 'available', amount: -50, reason: 'debt_carried' }, 51)]);
    expect(paid).toMatchObject({ title: '注销前被追回的积分', amount: -50, statusText: '已抵扣' });
    const [split] = groupActivity([
      leg({ op: 'debt-carry:z:in', bucket: 'available', amount: -3000, reason: 'debt_carried' }, 52),
      leg({ op: 'debt-carry:z:in', bucket: 'debt', amount: 2000, reason: 'debt_carried' }, 52),
    ]);
    expect(split).toMatchObject({ amount: -5000, statusText: '待抵扣' });
  });
});
