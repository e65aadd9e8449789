/**
 * The one error catalogue (types/errors.ts): each code is defined once — a code in two modules would silently take the
 * last module's message (REQUEST_ID_REUSED once had two, an order's and a withdrawal's) — and every message is
 * Chinese a user can read.
 */
import { COMMON_ERRORS, ERRORS } from '../../types/errors';
import { ASSIST_ERRORS } from '../../types/modules/assist.errors';
import { GROUP_ERRORS } from '../../types/modules/group.errors';
import { MERCHANT_ERRORS } from '../../types/modules/merchant.errors';
import { PRESALE_ERRORS } from '../../types/modules/presale.errors';
import { REFERRAL_ERRORS } from '../../types/modules/referral.errors';
import { SHOP_ERRORS } from '../../types/modules/shop.errors';
import { MAX_QUANTITY_PER_LINE } from '../../cloudfunctions/domain/shopPricing';

const MODULES: Record<string, Record<string, string>> = { COMMON_ERRORS, SHOP_ERRORS, REFERRAL_ERRORS, ASSIST_ERRORS, MERCHANT_ERRORS, GROUP_ERRORS, PRESALE_ERRORS };

it('defines each code in exactly one module', () => {
  const owners = new Map<string, string[]>();
  for (const [name, codes] of Object.entries(MODULES)) for (const code of Object.keys(codes)) owners.set(code, [...(owners.get(code) ?? []), name]);
  expect([...owners].filter(([, o]) => o.length > 1).map(([code, o]) => `${code}: ${o.join(', ')}`)).toEqual([]);
  expect(Object.keys(ERRORS).sort()).toEqual([...owners.keys()].sort());
});

it('gives every code a Chinese message without Latin letters', () => {
  for (const [code, message] of Object.entries(ERRORS)) {
    expect([code, /[\u4e00-\u9fff]/.test(message)]).toEqual([code, true]);
    expect([code, message]).not.toEqual([code, expect.stringMatching(/[A-Za-z]/)]);
  }
});

it('the per-line limit in CART_LINE_LIMIT is the one the cart applies', () => {
  expect(ERRORS.CART_LINE_LIMIT).toContain(`${MAX_QUANTITY_PER_LINE} 件`);
});
