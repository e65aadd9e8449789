/**
 * The poster's 小程序码: WeChat's wxacode.getUnlimited for the landing page with the sharer's invite code as `scene`
 * (`i=<code>`, what src/services/launch.ts decodes at launch), made once per user and kept in cloud storage
 * (poster_codes/<openid> remembers the file); every call answers a fresh temporary link to it.
 * On the local cloud the same calls answer a QR code of the browser build's link (emulator/wxopenapi.ts).
 */
import crypto from 'node:crypto';
import type { PosterCode } from '../../../types/modules/referral.api';
import { collection, LooseDoc } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { deleteFiles, tempFileUrl, uploadFile } from '../../infra/storage';
import { wxOpenApi } from '../../infra/wxOpenApi';

/** The page a poster opens: the home page, which reads `scene` at launch. */
export const POSTER_PAGE = 'pages/index/index';
const LINK_TTL_S = 2 * 3600;

/** A `poster_codes` document (the collection is declared loose in infra/collections: this is its shape). */
interface PosterCodeDoc extends LooseDoc {
  fileID: string;
  scene: string;
  page: string;
  envVersion: string;
  createdAt: Date;
}

/** Which build a code opens (WXACODE_ENV_VERSION: release by default; trial / develop while testing). */
function envVersion(): 'release' | 'trial' | 'develop' {
  const v = process.env.WXACODE_ENV_VERSION;
  return v === 'trial' || v === 'develop' ? v : 'release';
}

export async function myPosterCode(ctx: Ctx): Promise<PosterCode> {
  const codes = collection(ctx.db, 'poster_codes');
  const [userRes, cachedRes] = await Promise.all([collection(ctx.db, 'users').doc(ctx.openid).field({ inviteCode: true }).get(), codes.doc(ctx.openid).get()]);
  const user = userRes.data?.[0];
  if (!user?.inviteCode) throw new AppError('UNAUTHENTICATED');
  const scene = `i=${user.inviteCode}`;
  const version = envVersion();
  const cached = cachedRes.data?.[0] as PosterCodeDoc | undefined;
  if (cached && cached.scene === scene && cached.page === POSTER_PAGE && cached.envVersion === version) {
    const url = await tempFileUrl(cached.fileID, LINK_TTL_S);
    if (url) return { imageUrl: url, scene, page: POSTER_PAGE };
  }
  let image: Buffer;
  try {
    // check_path only for the released build: a trial or develop build's pages need not be published yet.
    image = await wxOpenApi().getUnlimitedCode({ scene, page: POSTER_PAGE, check_path: version === 'release', env_version: version, width: 430 });
  } catch (e) {
    console.error(`[referral] poster code for ${ctx.openid} not made`, e);
    throw new AppError('POSTER_CODE_UNAVAILABLE');
  }
  // One path per user and content: two first calls at once write the same file.
  const digest = crypto.createHash('sha1').update(`${scene}|${POSTER_PAGE}|${version}`).digest('hex').slice(0, 12);
  const fileID = await uploadFile(`poster-codes/${ctx.openid}/${digest}.png`, image);
  await codes.doc(ctx.openid).set({ fileID, scene, page: POSTER_PAGE, envVersion: version, createdAt: ctx.clock.now() });
  if (cached && cached.fileID !== fileID) await deleteFiles([cached.fileID]).catch((e) => console.error('[referral] old poster code not deleted', e));
  const url = await tempFileUrl(fileID, LINK_TTL_S);
  if (!url) throw new AppError('POSTER_CODE_UNAVAILABLE');
  return { imageUrl: url, scene, page: POSTER_PAGE };
}
