/** The subscribe-message manifest and the delivery rules, as tables. */
import { capMarkerId, maxAttempts, PERMANENT_ERRCODES, retryDelayMs } from '../../cloudfunctions/domain/messageDelivery';
import { fitField, MESSAGE_KINDS, messageData, shanghaiMinute, templateFor, templateIdsByMoment, TEMPLATES } from '../../config/subscribeMessages';

const at = new Date('2026-03-15T06:05:00.000Z'); // 14:05 in Shanghai

describe('the manifest', () => {
  it('names a template, env var and field list for every kind it sends, each variable once', () => {
    for (const [kind, spec] of Object.entries(MESSAGE_KINDS)) {
      const t = TEMPLATES[spec.template];
      expect({ kind, env: /^SUBSCRIBE_TMPL_[A-Z_]+$/.test(t.envVar) }).toEqual({ kind, env: true });
      // Every field a kind fills is one the template declares.
      const keys = Object.keys(spec.data({ kind, title: 't', body: 'b', createdAt: at, facts: {} }));
      expect({ kind, keys: keys.sort() }).toEqual({ kind, keys: Object.keys(t.fields).sort() });
    }
    const vars = Object.values(TEMPLATES).map((t) => t.envVar);
    expect(new Set(vars).size).toBe(vars.length);
  });

  it('sends a kind only when its template id is set', () => {
    expect(templateFor('assist.helped', {})).toBeNull();
    expect(templateFor('reward.frozen', { SUBSCRIBE_TMPL_REWARD_AVAILABLE: 'x' })).toBeNull();
    expect(templateFor('assist.helped', { SUBSCRIBE_TMPL_ASSIST_PROGRESS: ' tmpl-1 ' })).toMatchObject({ name: 'assistProgress', id: 'tmpl-1' });
  });

  it('gives the app the ids per moment, without duplicates, at most three', () => {
    expect(templateIdsByMoment({})).toEqual({});
    expect(templateIdsByMoment({ SUBSCRIBE_TMPL_ASSIST_PROGRESS: 'a', SUBSCRIBE_TMPL_ASSIST_RESULT: 'a', SUBSCRIBE_TMPL_TRANSFER_CONFIRM: 't', SUBSCRIBE_TMPL_REFUND_RESULT: 'r' })).toEqual({
      assist: ['a'],
      withdraw: ['t'],
      refund: ['r'],
    });
  });

  it('fills the fields from the facts, fitted to WeChat’s limits', () => {
    const helped = messageData(MESSAGE_KINDS['assist.helped'], {
      kind: 'assist.helped',
      title: '好友为你助力了',
      body: '…',
      createdAt: at,
      facts: { taskId: 't1', product: '明前龙井 250g 礼盒 特级 杭州西湖产区 明前采摘', helpers: '2', target: '3' },
    });
    expect(helped).toEqual({ thing1: { value: '明前龙井 250g 礼盒 特级 杭州西…' }, thing2: { value: '已有2位好友助力，还差1位' }, time3: { value: '2026-03-15 14:05' } });
    expect(Array.from(helped.thing1.value)).toHaveLength(20);
    const refund = messageData(MESSAGE_KINDS['refund.decided'], { kind: 'refund.decided', title: '', body: '', createdAt: at, facts: { orderId: 'o-123', approved: '1', amountFen: '16800', note: '' } });
    expect(refund).toEqual({ character_string1: { value: 'o-123' }, phrase2: { value: '已同意' }, amount3: { value: '168.00元' }, thing4: { value: '款项将原路退回' } });
    expect(MESSAGE_KINDS['refund.decided'].page({ kind: '', title: '', body: '', createdAt: at, facts: { orderId: 'o-123' } })).toBe('packages/shop/order/index?id=o-123');
  });

  it.each([
    ['thing1', 'a'.repeat(25), `${'a'.repeat(19)}…`],
    ['phrase2', '已经同意了退款', '已经同意了'],
    ['character_string1', 'o-订单-123', 'o--123'],
    ['amount3', '12.00元', '12.00元'],
    ['thing4', '  两个  空格 ', '两个 空格'],
  ])('fits %s', (key, value, expected) => {
    expect(fitField(key, value)).toBe(expected);
  });

  it('writes times on the Shanghai clock', () => {
    expect(shanghaiMinute(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
  });
});

describe('delivery rules', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [20, 6 * 3600_000],
  ])('waits after attempt %i: %i ms', (attempt, ms) => {
    expect(retryDelayMs(attempt)).toBe(ms);
  });

  it('reads its settings from the environment, with defaults', () => {
    expect(maxAttempts({})).toBe(5);
    expect(maxAttempts({ NOTIFY_MAX_ATTEMPTS: '3' })).toBe(3);
    expect(maxAttempts({ NOTIFY_MAX_ATTEMPTS: 'x' })).toBe(5);
    expect(retryDelayMs(2, { NOTIFY_RETRY_BASE_MS: '1000' })).toBe(2000);
  });

  it('gives up at once only on answers no retry can change', () => {
    expect(PERMANENT_ERRCODES.has(43101)).toBe(true);
    expect(PERMANENT_ERRCODES.has(-1)).toBe(false);
    expect(PERMANENT_ERRCODES.has(45009)).toBe(false);
  });

  it('marks one slot per day, kind and user', () => {
    expect(capMarkerId('o1', 'assist.helped', '2026-03-15')).toBe('2026-03-15|assist.helped|o1');
  });
});
