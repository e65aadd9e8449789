/**
 * Validation messages are Chinese sentences: every field of every action's schema (read from the functions
 * themselves, as test/unit/catalogue.test.ts does) has a Chinese label, and each kind of zod issue reads as a sentence
 * without a single Latin letter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z, ZodTypeAny } from 'zod';
import { describeIssue, FIELD_LABELS, fieldPhrase, invalidArgumentMessage } from '../../cloudfunctions/infra/validationMessages';

const mockServed: Record<string, { schema: ZodTypeAny }>[] = [];

jest.mock('../../cloudfunctions/infra/handler', () => {
  const actual = jest.requireActual('../../cloudfunctions/infra/handler');
  return {
    ...actual,
    createHandler: (fn: string, actions: Record<string, { schema: ZodTypeAny }>) => {
      mockServed.push(actions);
      return actual.createHandler(fn, actions);
    },
  };
});

const FUNCTIONS_DIR = path.resolve(__dirname, '../../cloudfunctions/functions');
for (const fn of fs.readdirSync(FUNCTIONS_DIR).sort()) {
  const entry = path.join(FUNCTIONS_DIR, fn, 'index.ts');
  if (fs.existsSync(entry)) jest.isolateModules(() => require(entry));
}

/** Every object key anywhere in a schema. */
function keysOf(schema: ZodTypeAny, out = new Set<string>()): Set<string> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const def = (schema as any)._def;
  switch (def.typeName) {
    case 'ZodObject':
      for (const [k, v] of Object.entries(def.shape() as Record<string, ZodTypeAny>)) {
        out.add(k);
        keysOf(v, out);
      }
      break;
    case 'ZodOptional':
    case 'ZodNullable':
    case 'ZodDefault':
      keysOf(def.innerType, out);
      break;
    case 'ZodEffects':
      keysOf(def.schema, out);
      break;
    case 'ZodArray':
      keysOf(def.type, out);
      break;
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion':
      for (const o of def.options as ZodTypeAny[]) keysOf(o, out);
      break;
    case 'ZodPipeline':
      keysOf(def.in, out);
      break;
  }
  return out;
}

it('every field of every action has a Chinese label', () => {
  expect(mockServed.length).toBeGreaterThanOrEqual(7);
  const keys = new Set<string>();
  for (const actions of mockServed) for (const def of Object.values(actions)) keysOf(def.schema, keys);
  expect(keys.size).toBeGreaterThan(80);
  expect([...keys].filter((k) => !FIELD_LABELS[k]).sort()).toEqual([]);
  for (const label of Object.values(FIELD_LABELS)) expect(label).not.toMatch(/[A-Za-z]/);
});

it.each<[string, (string | number)[], string]>([
  ['a top-level field', ['useCashFen'], '使用的余额（分）'],
  ['a nested field', ['address', 'phone'], '收货地址的手机号'],
  ['a field of a list element', ['items', 0, 'quantity'], '第 1 件商品的数量'],
  ['a list element', ['productIds', 2], '第 3 个商品编号'],
  ['an image', ['images', 1], '第 2 张商品图片'],
  ['a field without a label', ['mystery'], '参数'],
  ['the request', [], ''],
])('fieldPhrase: %s', (_name, p, phrase) => {
  expect(fieldPhrase(p)).toBe(phrase);
});

const S = z
  .object({
    useCashFen: z.number().int().min(0).max(100),
    requestId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
    items: z.array(z.object({ productId: z.string(), quantity: z.number() }).strict()).min(1).max(2),
    status: z.enum(['paid', 'shipped']).optional(),
    fromCart: z.boolean().optional(),
    startsAt: z.string().datetime({ offset: true }).nullable().optional(),
    reward: z.discriminatedUnion('form', [z.object({ form: z.literal('cash'), amountFen: z.number() }).strict()]).optional(),
  })
  .strict();
const valid = { useCashFen: 1, requestId: 'abcdefgh', items: [{ productId: 'p', quantity: 1 }] };

it.each<[string, Record<string, unknown>, string]>([
  ['missing', { useCashFen: 1, items: valid.items }, '缺少请求编号'],
  ['fraction', { ...valid, useCashFen: 0.5 }, '使用的余额（分）须为整数'],
  ['text for a number', { ...valid, useCashFen: '1' }, '使用的余额（分）须为数字'],
  ['null', { ...valid, useCashFen: null }, '使用的余额（分）不能为空'],
  ['below', { ...valid, useCashFen: -1 }, '使用的余额（分）不能小于 0'],
  ['above', { ...valid, useCashFen: 101 }, '使用的余额（分）不能大于 100'],
  ['short text', { ...valid, requestId: 'abc' }, '请求编号至少 8 个字'],
  ['long text', { ...valid, requestId: 'a'.repeat(65) }, '请求编号不能超过 64 个字'],
  ['regex', { ...valid, requestId: '$where!!!' }, '请求编号格式不正确'],
  ['empty list', { ...valid, items: [] }, '商品不能为空'],
  ['long list', { ...valid, items: [valid.items[0], valid.items[0], valid.items[0]] }, '商品最多 2 项'],
  ['element field', { ...valid, items: [{ productId: 'p', quantity: 'x' }] }, '第 1 件商品的数量须为数字'],
  ['element extra key', { ...valid, items: [{ productId: 'p', quantity: 1, priceFen: 1 }] }, '第 1 件商品中有不支持的参数'],
  ['enum', { ...valid, status: 'stolen' }, '状态不是可选的值'],
  ['boolean', { ...valid, fromCart: 'yes' }, '是否来自购物车须为“是”或“否”'],
  ['datetime', { ...valid, startsAt: 'tomorrow' }, '开始时间不是有效的时间'],
  ['discriminator', { ...valid, reward: { form: 'gold', amountFen: 1 } }, '奖励的奖励形式不是可选的值'],
  ['extra key', { ...valid, openid: 'someone' }, '请求中有不支持的参数'],
])('describeIssue: %s', (_name, payload, sentence) => {
  const parsed = S.safeParse(payload);
  expect(parsed.success).toBe(false);
  if (parsed.success) return;
  expect(describeIssue(parsed.error.issues[0])).toBe(sentence);
  expect(invalidArgumentMessage(parsed.error.issues[0])).toBe(`请求参数不正确：${sentence}`);
  expect(invalidArgumentMessage(parsed.error.issues[0])).not.toMatch(/[A-Za-z]/);
});
