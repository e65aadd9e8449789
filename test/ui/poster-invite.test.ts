/** 生成海报 for the invite (weapp): the sharer's 小程序码 from referral.posterCode, drawn where the QR goes. */
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, wxCallsTo } from './harness';
import { me } from './fixtures';

test('the invite poster carries the 小程序码 made for the sharer', async () => {
  const page = await renderPage('packages/profile/poster/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(me({ inviteCode: 'K7Q2MZ', nickname: '小王' })),
      'referral.posterCode': () => ok({ imageUrl: 'https://env.tcb.qcloud.la/poster-codes/u/abc.png?sign=s&t=1', scene: 'i=K7Q2MZ', page: 'pages/index/index' }),
    }),
  });
  await page.waitForClass('poster-page__image');
  expect(callsTo('referral.posterCode')).toHaveLength(1);
  const drawn = ui.canvases[0];
  // The code image at the QR's place (bottom right, 180 × 180), and no QR drawn cell by cell.
  expect(drawn.filter((c) => c.startsWith('drawImage('))).toEqual(['drawImage([object Object],388,748,180,180)']);
  expect(drawn.filter((c) => c.startsWith('fillRect(')).length).toBeLessThan(10);
  expect(drawn.join('\n')).toContain('fillText(扫码打开，一起来看看');
  expect(drawn.join('\n')).toContain('fillText(小王邀请你来推三返一');
  expect(page.text()).toContain('好友扫码打开后，将记为你邀请的好友');
  await waitFor(() => wxCallsTo('canvasToTempFilePath').length === 1, { what: 'exported' });
});
