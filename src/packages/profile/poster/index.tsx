/**
 * 生成海报: a picture with a code that opens the app with the sharer's invite code (source=poster).
 * The invite poster carries the sharer's 小程序码 (referral.posterCode: wxacode.getUnlimited, scene = the invite
 * code; on the local cloud a QR code of the browser link); product and assist posters, or an invite poster whose
 * code could not be made, carry a QR code of a link instead.
 * weapp draws on an offscreen 2d canvas and saves to the album; the browser draws on a canvas and downloads it.
 * ?productId= (a product), ?taskId= (an assist), or neither (the invite poster).
 */
import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { getMe } from '../../../services/session';
import { assistShare, inviteShare, productShare, webLink } from '../../../services/share';
import { drawPoster, POSTER_HEIGHT, POSTER_WIDTH, type Ctx2D, type PosterContent } from './draw';
import './index.css';

type Poster = PosterContent & { picture: string | null; code: string | null };

/** The link a QR carries: the browser link in h5; in weapp an https link WeChat maps to the app (扫普通链接二维码打开小程序). */
function qrLink(path: string): string | null {
  if (process.env.TARO_ENV === 'h5') return webLink(path);
  const base = (process.env.TARO_APP_SHARE_BASE || '').replace(/\/+$/, '');
  return base ? `${base}${path}` : null;
}

async function loadPoster(params: Record<string, string | undefined>): Promise<Poster> {
  const me = await getMe();
  const code = me.inviteCode;
  if (params.taskId) {
    const task = await callFunction('assist', 'get', { taskId: params.taskId });
    return {
      heading: '推三返一 · 好友助力',
      title: task.product.title,
      line: `${task.target} 位好友助力即可解锁助力价`,
      inviteCode: code,
      link: qrLink(assistShare(task.taskId, code, 'poster')),
      picture: task.product.image,
      code: null,
    };
  }
  if (params.productId) {
    const p = await callFunction('shop', 'getProduct', { productId: params.productId });
    return {
      heading: '推三返一 · 好物推荐',
      title: p.title,
      line: formatFen(p.priceFen),
      inviteCode: code,
      link: qrLink(productShare(p.id, code, 'poster')),
      picture: p.images[0] ?? p.image,
      code: null,
    };
  }
  // The 小程序码 when it can be made; otherwise the link QR (or, with no link domain, the code alone) still works.
  const miniCode = await callFunction('referral', 'posterCode', {}).then(
    (c) => c.imageUrl,
    () => null,
  );
  return {
    heading: '推三返一 · 邀请你一起逛',
    title: `${me.nickname || '你的好友'}邀请你来推三返一`,
    line: '好物低价，和好友一起买',
    inviteCode: code,
    link: qrLink(inviteShare(code, 'poster')),
    picture: null,
    code: miniCode,
  };
}

function loadImage(create: () => { onload: unknown; onerror: unknown; src: string }, src: string | null): Promise<unknown | null> {
  if (!src) return Promise.resolve(null);
  return new Promise((resolve) => {
    const img = create();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null); // a missing picture still makes a poster
    img.src = src;
  });
}

/** Renders the poster to an image URL: a temp file in weapp, a data URL in the browser. */
async function renderPoster(poster: Poster): Promise<string> {
  const scale = 2;
  if (process.env.TARO_ENV === 'h5') {
    const canvas = document.createElement('canvas');
    canvas.width = POSTER_WIDTH * scale;
    canvas.height = POSTER_HEIGHT * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    const image = () => Object.assign(new window.Image(), { crossOrigin: 'anonymous' });
    const [picture, code] = await Promise.all([loadImage(image, poster.picture), loadImage(image, poster.code)]);
    drawPoster(ctx as unknown as Ctx2D, poster, picture, code);
    return canvas.toDataURL('image/png');
  }
  const canvas = Taro.createOffscreenCanvas({ type: '2d', width: POSTER_WIDTH * scale, height: POSTER_HEIGHT * scale }) as unknown as {
    getContext(kind: '2d'): Ctx2D & { scale(x: number, y: number): void };
    createImage(): { onload: unknown; onerror: unknown; src: string };
  };
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  const [picture, code] = await Promise.all([loadImage(() => canvas.createImage(), poster.picture), loadImage(() => canvas.createImage(), poster.code)]);
  drawPoster(ctx, poster, picture, code);
  const res = await Taro.canvasToTempFilePath({ canvas: canvas as never } as Parameters<typeof Taro.canvasToTempFilePath>[0]);
  return res.tempFilePath;
}

export default function PosterPage() {
  const { params } = useRouter();
  const poster = useRemote(() => loadPoster(params), [params.productId, params.taskId]);
  const [image, setImage] = useState<{ url: string } | { error: string } | null>(null);

  useEffect(() => {
    if (poster.state.status !== 'ready') return;
    let live = true;
    setImage(null);
    renderPoster(poster.state.data).then(
      (url) => live && setImage({ url }),
      (err) => live && setImage({ error: err instanceof Error && !('code' in err) ? '海报生成失败，请重试' : errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [poster.state]);

  const save = () => {
    if (!image || !('url' in image)) return;
    if (process.env.TARO_ENV === 'h5') {
      const a = document.createElement('a');
      a.href = image.url;
      a.download = 'tuisanfanyi-poster.png';
      a.click();
      return;
    }
    Taro.saveImageToPhotosAlbum({ filePath: image.url }).then(
      () => Taro.showToast({ title: '已保存到相册', icon: 'success' }),
      () => Taro.showToast({ title: '保存失败，可长按图片保存', icon: 'none' }),
    );
  };

  if (poster.state.status === 'loading') return <AppShell className='poster-page'><Loading text='正在准备海报…' /></AppShell>;
  if (poster.state.status === 'error') {
    return (
      <AppShell className='poster-page'>
        <ErrorState message={poster.state.error} onRetry={() => void poster.reload()} />
      </AppShell>
    );
  }
  return (
    <AppShell className='poster-page'>
      {!image && <Loading text='正在生成海报…' />}
      {image && 'error' in image && <ErrorState message={image.error} onRetry={() => void poster.refresh().then(() => setImage(null))} />}
      {image && 'url' in image && (
        <View className='poster-page__body'>
          <Image className='poster-page__image' src={image.url} mode='aspectFit' showMenuByLongpress />
          <Text className='muted poster-page__hint'>
            {poster.state.data.link || poster.state.data.code ? '好友扫码打开后，将记为你邀请的好友' : `好友在小程序中填写邀请码 ${poster.state.data.inviteCode} 即可`}
          </Text>
          <View className='primary-button poster-page__save' onClick={save}>
            {process.env.TARO_ENV === 'h5' ? '下载海报' : '保存到相册'}
          </View>
        </View>
      )}
    </AppShell>
  );
}
