/** 生成海报 (weapp): drawn on an offscreen 2d canvas, exported to a file, saved to the album. */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo } from './harness';
import { me, productDetail } from './fixtures';

test('draws the product, price and invite code, shows the image and saves it', async () => {
  const page = await renderPage('packages/profile/poster/index', {
    query: { productId: 'p-tea' },
    cloud: cloudRoutes({
      'user.login': () => ok(me({ inviteCode: 'K7Q2MZ' })),
      'shop.getProduct': () => ok(productDetail('p-tea')),
    }),
  });
  await page.waitForClass('poster-page__image');
  expect(callsTo('shop.getProduct')[0].payload).toEqual({ productId: 'p-tea' });
  const drawn = ui.canvases[0].join('\n');
  expect(drawn).toContain('fillText(明前龙井 250g 礼盒');
  expect(drawn).toContain('fillText(¥168.00');
  expect(drawn).toContain('fillText(邀请码 K7Q2MZ');
  expect(drawn).toMatch(/drawImage\(/);
  expect(wxCallsTo('canvasToTempFilePath')).toHaveLength(1);
  // No share-link domain configured for this build: no QR, the code is the way in, and the page says so.
  expect(page.text()).toContain('填写邀请码 K7Q2MZ');
  await page.tap('poster-page__save');
  await waitFor(() => wxCallsTo('saveImageToPhotosAlbum').length === 1, { what: 'saved' });
  expect(wxCallsTo('saveImageToPhotosAlbum')[0].filePath).toBe('wxfile://tmp/poster.png');
});
