/** Binding eligibility (DESIGN rule 1) as a table: first touch, no paid order, never self, never a cycle, consent. */
import { BindFacts, bindingExpiry, bindingHolds, decideBinding, MAX_CHAIN_DEPTH } from '../../cloudfunctions/domain/referralBinding';

const chainOf = (n: number) => Array.from({ length: n }, (_, i) => `C${i}`);
import { maskNickname } from '../../types/names';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 3600_000;

const base: BindFacts = {
  inviteeId: 'B',
  inviterId: 'A',
  current: null,
  pendingInviterId: null,
  consented: true,
  inviteeHasPaidOrder: false,
  inviterAncestors: [],
  chainComplete: true,
  now: NOW,
};

describe('decideBinding', () => {
  it.each<[string, Partial<BindFacts>, ReturnType<typeof decideBinding>]>([
    ['a new consented user binds', {}, { action: 'bind' }],
    ['never to yourself', { inviterId: 'B' }, { action: 'refuse', reason: 'SELF_INVITE' }],
    ['first touch wins: an existing permanent binding stays', { current: { inviterId: 'X', expiresAt: null, converted: false } }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['re-binding to the same inviter is still a re-binding', { current: { inviterId: 'A', expiresAt: null, converted: false } }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['a binding inside its validity holds', { current: { inviterId: 'X', expiresAt: new Date(NOW.getTime() + DAY), converted: false } }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['an unconverted binding past its validity lapses', { current: { inviterId: 'X', expiresAt: new Date(NOW.getTime() - 1), converted: false } }, { action: 'bind' }],
    ['a converted binding holds even past its validity', { current: { inviterId: 'X', expiresAt: new Date(NOW.getTime() - 1), converted: true } }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['not after a first purchase', { inviteeHasPaidOrder: true }, { action: 'refuse', reason: 'BIND_AFTER_PURCHASE' }],
    ['never into a cycle: B invited A', { inviterAncestors: ['B'] }, { action: 'refuse', reason: 'BIND_CYCLE' }],
    ['never into a longer cycle', { inviterAncestors: ['C', 'D', 'B', 'E'] }, { action: 'refuse', reason: 'BIND_CYCLE' }],
    ['a chain that could not be walked to its end is refused', { inviterAncestors: ['C'], chainComplete: false }, { action: 'refuse', reason: 'BIND_CHAIN_TOO_DEEP' }],
    ['an unrelated chain is fine', { inviterAncestors: ['C', 'D'] }, { action: 'bind' }],
    ['a chain that would reach MAX_CHAIN_DEPTH exactly binds', { inviterAncestors: chainOf(MAX_CHAIN_DEPTH - 1) }, { action: 'bind' }],
    ['one inviter more than MAX_CHAIN_DEPTH is refused', { inviterAncestors: chainOf(MAX_CHAIN_DEPTH) }, { action: 'refuse', reason: 'BIND_CHAIN_TOO_DEEP' }],
    ['the invitee’s own invitees count: hanging them too deep is refused', { inviterAncestors: chainOf(10), inviteeHeight: MAX_CHAIN_DEPTH - 10 }, { action: 'refuse', reason: 'BIND_CHAIN_TOO_DEEP' }],
    ['… and up to the limit they fit', { inviterAncestors: chainOf(10), inviteeHeight: MAX_CHAIN_DEPTH - 11 }, { action: 'bind' }],
    ['before consent the inviter is held as pending', { consented: false }, { action: 'pending' }],
    ['a second inviter before consent is refused (first touch)', { consented: false, pendingInviterId: 'X' }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['the same inviter again before consent stays pending', { consented: false, pendingInviterId: 'A' }, { action: 'pending' }],
    ['at consent the held inviter binds', { pendingInviterId: 'A', atConsent: true }, { action: 'bind' }],
    ['after consent a competitor of the held inviter is refused', { pendingInviterId: 'X' }, { action: 'refuse', reason: 'ALREADY_BOUND' }],
    ['at consent a held inviter is still refused after a purchase', { pendingInviterId: 'A', atConsent: true, inviteeHasPaidOrder: true }, { action: 'refuse', reason: 'BIND_AFTER_PURCHASE' }],
    ['self beats every other reason', { inviterId: 'B', inviteeHasPaidOrder: true, current: { inviterId: 'X', expiresAt: null, converted: true } }, { action: 'refuse', reason: 'SELF_INVITE' }],
  ])('%s', (_name, patch, expected) => {
    expect(decideBinding({ ...base, ...patch })).toEqual(expected);
  });
});

describe('validity', () => {
  it('is permanent without a validity', () => {
    expect(bindingExpiry(NOW, null)).toBeNull();
    expect(bindingHolds({ inviterId: 'A', expiresAt: null, converted: false }, new Date(NOW.getTime() + 10_000 * DAY))).toBe(true);
  });
  it('ends after the merchant’s days', () => {
    const end = bindingExpiry(NOW, 7)!;
    expect(end.getTime() - NOW.getTime()).toBe(7 * DAY);
    expect(bindingHolds({ inviterId: 'A', expiresAt: end, converted: false }, new Date(end.getTime() - 1))).toBe(true);
    expect(bindingHolds({ inviterId: 'A', expiresAt: end, converted: false }, end)).toBe(false);
  });
});

describe('maskNickname', () => {
  it.each([
    ['小白', '小*'],
    ['小', '小*'],
    ['Alice', 'A***e'],
    ['张三丰', '张*丰'],
    ['Bartholomew', 'B***w'],
    ['', '微信用户'],
    ['  ', '微信用户'],
    ['😀😃', '😀*'],
  ])('%s → %s', (name, masked) => {
    expect(maskNickname(name)).toBe(masked);
  });
});
