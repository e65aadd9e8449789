/**
 * 结算's own address form (issue 17.1), in weapp when WeChat's address book is not available: a refusal sits beside its
 * field and the first one is scrolled into view; 所在地区 comes from WeChat's picker mode="region", never typed.
 */
import { callsTo, cloudRoutes, fail, ok, renderPage, ui, waitFor, type RenderedPage } from './harness';
import { address, me, orderQuote, productDetail, walletSummary } from './fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */
const scrolls: any[] = [];
(globalThis as any).wx.pageScrollTo = (options: any) => {
  scrolls.push(options);
  options?.success?.({ errMsg: 'pageScrollTo:ok' });
  options?.complete?.({ errMsg: 'pageScrollTo:ok' });
};

let page: RenderedPage;
let saves = 0;

beforeAll(async () => {
  // The user declined WeChat's address book: the form opens instead.
  ui.wxOverrides.chooseAddress = () => {
    throw new Error('auth deny');
  };
  page = await renderPage('packages/shop/checkout/index', {
    query: { items: 'p-tea:1' },
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.getProduct': () => ok(productDetail('p-tea')),
      'shop.listAddresses': () => ok([]),
      'shop.listCoupons': () => ok([]),
      'wallet.summary': () => ok(walletSummary()),
      'shop.quote': () => ok(orderQuote()),
      'shop.saveAddress': (p) => (++saves === 1 ? fail('ADDRESS_INVALID', '收货地址的手机号填写不正确') : ok(address({ ...(p as object), id: 'addr-new', isDefault: true }))),
    }),
  });
  await page.waitForText('添加收货地址');
});

const errorOf = (field: string) => page.one(`address-form__error--${field}`)?.textContent ?? null;

test('the address book declined: the form opens with a region picker, not three text fields', async () => {
  await page.tap('address-card');
  await page.waitForClass('address-form');
  expect(page.one('address-form__region')).not.toBeNull();
  expect(page.one('address-form__province')).toBeNull();
  expect(page.text()).toContain('选择省 / 市 / 区');
});

test('保存地址 on an empty form: every refusal beside its field, the first scrolled into view, nothing sent', async () => {
  await page.tap('address-form__save');
  await waitFor(() => errorOf('name'), { what: 'field errors' });
  expect(errorOf('name')).toBe('请填写收货人姓名');
  expect(errorOf('phone')).toBe('请填写手机号');
  expect(errorOf('region')).toBe('请选择所在地区');
  expect(errorOf('detail')).toBe('请填写详细地址');
  expect(scrolls.pop()).toMatchObject({ selector: '.address-form__row--name' });
  expect(callsTo('shop.saveAddress')).toHaveLength(0);
});

test('whitespace is not a name, a short number is not a phone; fixing a field clears its own refusal only', async () => {
  await page.type('address-form__name', '   ');
  await page.type('address-form__phone', '13800');
  await page.tap('address-form__save');
  await waitFor(() => errorOf('phone')?.includes('11 位'), { what: 'phone refusal' });
  expect(errorOf('name')).toBe('请填写收货人姓名');
  expect(scrolls.pop()).toMatchObject({ selector: '.address-form__row--name' });

  await page.type('address-form__name', '张三');
  await waitFor(() => errorOf('name') === null, { what: 'the name refusal to clear' });
  expect(errorOf('phone')).toContain('11 位');
});

test('the region comes from the picker; the server’s refusal shows above 保存地址; then the address saves', async () => {
  await page.type('address-form__phone', '138 0013 8000');
  await page.fire('address-form__region', 'change', { value: ['浙江省', '杭州市', '西湖区'], code: ['330000', '330100', '330106'] });
  await page.waitForText('浙江省 杭州市 西湖区');
  await page.type('address-form__detail', '  文三路 100 号 ');
  await page.tap('address-form__save');
  await page.waitForText('收货地址的手机号填写不正确');
  expect(page.one('address-form__server-error')).not.toBeNull();

  // A double tap on 保存地址 saves once (each save would be a new address in the book).
  await Promise.all([page.tap('address-form__save'), page.tap('address-form__save')]);
  await page.waitForText('张三 13800138000');
  expect(callsTo('shop.saveAddress')).toHaveLength(2);
  expect(callsTo('shop.saveAddress')[1].payload).toEqual({
    name: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 100 号',
    isDefault: true,
  });
  expect(page.one('address-form')).toBeNull();
});
