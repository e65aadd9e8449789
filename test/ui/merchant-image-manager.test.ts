/**
 * 商品图片 (compiled weapp editor page): + 上传 checks type and size before uploading, keeps the file in cloud storage
 * (wx.cloud.uploadFile) and adds its fileID; 设为主图, ← → and 删除 reorder and remove; the save sends that order.
 */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { merchantMe } from './merchant-fixtures';

let page: RenderedPage;
const images = () => page.all('image-manager__item').length;
const chosen = (...tempFiles: { path: string; size: number }[]) => () => ({ errMsg: 'chooseImage:ok', tempFilePaths: tempFiles.map((f) => f.path), tempFiles });

beforeAll(async () => {
  page = await renderPage('packages/merchant/product/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.saveProduct': (payload) => ok({ ...payload, id: 'p-new', archived: false, updatedAt: '' }),
    }),
  });
  await page.waitForClass('product-form__save');
});

afterEach(() => {
  delete ui.wxOverrides.chooseImage;
});

test('a GIF or a picture over 2 MB is refused before any upload', async () => {
  ui.wxOverrides.chooseImage = chosen({ path: 'wxfile://tmp/a.gif', size: 1000 });
  await page.tap('image-manager__add');
  await waitFor(() => wxCallsTo('showToast').some((c) => c.title === '图片格式不支持，请上传 JPG、PNG 或 WebP 图片'), { what: 'the type refusal' });
  ui.wxOverrides.chooseImage = chosen({ path: 'wxfile://tmp/b.png', size: 2 * 1024 * 1024 + 1 });
  await page.tap('image-manager__add');
  await waitFor(() => wxCallsTo('showToast').some((c) => c.title === '图片太大，单张不能超过 2 MB'), { what: 'the size refusal' });
  expect(wxCallsTo('cloud.uploadFile')).toHaveLength(0);
  expect(images()).toBe(0);
});

test('two pictures upload to cloud storage under products/ and show in order, the first as 主图', async () => {
  ui.wxOverrides.chooseImage = chosen({ path: 'wxfile://tmp/one.jpg', size: 200_000 }, { path: 'wxfile://tmp/two.PNG', size: 2 * 1024 * 1024 });
  await page.tap('image-manager__add');
  await waitFor(() => images() === 2, { what: 'two uploaded pictures' });
  const uploads = wxCallsTo('cloud.uploadFile');
  expect(uploads.map((u) => u.filePath)).toEqual(['wxfile://tmp/one.jpg', 'wxfile://tmp/two.PNG']);
  expect(uploads.map((u) => u.cloudPath)).toEqual([expect.stringMatching(/^products\/\d+-0\.jpg$/), expect.stringMatching(/^products\/\d+-1\.png$/)]);
  expect(page.all('image-manager__item')[0].textContent).toContain('主图');
  expect(page.all('image-manager__make-main')).toHaveLength(1);
});

test('设为主图, ← and 删除 change the order; 保存 sends it', async () => {
  const ids = wxCallsTo('cloud.uploadFile').map((u) => `cloud://env-test/${u.cloudPath}`);
  await page.type('product-form__images', `${ids.join('\n')}\nhttps://img.example.com/c.png`);
  await waitFor(() => images() === 3, { what: 'the typed link' });
  const settle = () => new Promise((r) => setTimeout(r, 50));
  await page.tapElement(page.all('image-manager__make-main')[1]); // c.png becomes the main image
  await settle();
  await page.tapElement(page.all('image-manager__left')[2]); // two.png before one.jpg
  await settle();
  await page.tapElement(page.all('image-manager__remove')[1]); // drop two.png
  await waitFor(() => images() === 2, { what: 'the removal' });
  expect(page.all('image-manager__item')[0].textContent).toContain('主图');
  await page.type('product-form__title', '上传的商品');
  await page.type('product-form__price', '9.9');
  await page.tap('product-form__save');
  await waitFor(() => callsTo('merchant.saveProduct').length === 1, { what: 'saveProduct' });
  expect(callsTo('merchant.saveProduct')[0].payload.images).toEqual(['https://img.example.com/c.png', ids[0]]);
});
