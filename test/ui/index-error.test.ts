/** 首页 error state: the message of the failure and a 重试 that loads again. */
import { callsTo, cloudRoutes, fail, ok, renderPage } from './harness';
import { me, product } from './fixtures';
import { ERRORS } from '../../types/errors';
import { fen } from '../../types/money';

test('shows why loading failed and 重试 loads again until products show', async () => {
  const page = await renderPage('pages/index/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me()),
      'shop.listProducts': (_payload, call) => {
        if (call === 1) throw new Error('request:fail timeout'); // the network broke
        if (call === 2) return fail('INTERNAL', '商品服务维护中，请稍后再来'); // the function's own message
        if (call === 3) return fail('RATE_LIMITED'); // no message: the catalogue's
        return ok({ items: [product('p1', { title: '云南高山蓝莓 125g', priceFen: fen(1290) })], next: null });
      },
    }),
  });

  await page.waitForClass('error-state');
  expect(page.one('error-message')?.textContent).toBe(ERRORS.NETWORK);
  expect(page.all('product-card')).toHaveLength(0);

  await page.tap('retry-button');
  await page.waitForText('商品服务维护中，请稍后再来');

  await page.tap('retry-button');
  await page.waitForText(ERRORS.RATE_LIMITED);

  await page.tap('retry-button');
  await page.waitForText('¥12.90');
  expect(page.all('product-card')).toHaveLength(1);
  expect(page.one('error-state')).toBeNull();
  expect(callsTo('shop.listProducts')).toHaveLength(4);
});
