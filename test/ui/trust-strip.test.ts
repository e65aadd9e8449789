/** The 首页 trust strip and its 店铺信息与规则 page (compiled weapp pages): qualifications, rules, privacy, 联系客服. */
import { cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { me, product } from './fixtures';

const STORE = {
  storeName: '推三返一旗舰店',
  qualifications: ['营业执照：91330100MA00000000'],
  servicePhone: '0571-88888888',
  rebateRules: [{ name: '推三返一', summary: '每邀请 3 位好友首单，返 ¥50.00', details: ['只奖励直接邀请人，不设多级。'] }],
  assistCampaigns: [{ productId: 'p-tea', productTitle: '明前龙井', summary: '邀请 3 位好友助力，以 ¥99.00 的助力价购买 1 件', details: ['每位好友只能为同一任务助力一次，发起人不能为自己助力。'] }],
};

describe('首页', () => {
  let page: RenderedPage;
  beforeAll(async () => {
    page = await renderPage('pages/index/index', {
      cloud: cloudRoutes({ 'user.login': () => ok(me()), 'shop.listProducts': () => ok({ items: [product('p1')], next: null }) }),
    });
    await page.waitForClass('trust-strip');
  });

  test('shows 店铺资质, 活动规则, 隐私保护 and WeChat’s customer-service button', () => {
    expect(page.all('trust-strip')[0].textContent).toMatch(/店铺资质.*活动规则.*隐私保护.*联系客服/);
    const contact = page.all('trust-contact')[0];
    expect(contact.tagName.toLowerCase()).toContain('button');
  });

  test('资质 and 规则 open the store page, 隐私保护 the privacy page', async () => {
    await page.tap('trust-rules');
    await waitFor(() => wxCallsTo('navigateTo').some((n) => n.url === '/packages/shop/store/index'), { what: 'store page' });
    await page.tap('trust-privacy');
    await waitFor(() => wxCallsTo('navigateTo').some((n) => n.url === '/packages/profile/privacy/index'), { what: 'privacy page' });
  });
});

describe('店铺信息与规则', () => {
  let page: RenderedPage;
  beforeAll(async () => {
    page = await renderPage('packages/shop/store/index', { cloud: cloudRoutes({ 'user.login': () => ok(me()), 'shop.storeInfo': () => ok(STORE) }) });
    await page.waitForClass('store-qualifications');
  });

  test('who sells, then every rule in full', () => {
    expect(page.all('store-qualifications')[0].textContent).toContain('营业执照：91330100MA00000000');
    expect(page.all('store-qualifications')[0].textContent).toContain('客服电话：0571-88888888');
    expect(page.all('store-rebate-rules')[0].textContent).toContain('只奖励直接邀请人，不设多级。');
    expect(page.all('store-assist-rules')[0].textContent).toContain('明前龙井');
  });
});
