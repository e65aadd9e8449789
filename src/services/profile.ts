/**
 * Saving a shopper's avatar and nickname (user.profile), shared by 个人资料 and the 头像昵称 sheet. weapp: the chosen
 * avatar is a temporary file, kept in cloud storage (Taro.cloud.uploadFile) and saved as its fileID. The browser
 * build picks one of the preset pictures (/assets/avatars): the local cloud has no file upload for the app yet.
 */
import Taro from '@tarojs/taro';
import { CloudError, callFunction } from './cloud';
import { updateMe, type Me } from './session';

export const PRESET_AVATARS = [1, 2, 3, 4, 5, 6].map((i) => `/assets/avatars/a${i}.svg`);

async function uploadAvatar(tempPath: string, openid: string): Promise<string> {
  const ext = /\.(\w+)$/.exec(tempPath)?.[1] ?? 'png';
  const res = await Taro.cloud.uploadFile({ cloudPath: `avatars/${openid}-${Date.now()}.${ext}`, filePath: tempPath });
  if (!res.fileID) throw new CloudError('NETWORK');
  return res.fileID;
}

/** What is wrong with a nickname before it is sent, or null. */
export function nicknameProblem(name: string): string | null {
  if (!name.trim()) return '请填写昵称';
  if (Array.from(name.trim()).length > 20) return '昵称最多 20 个字';
  return null;
}

/**
 * Saves the nickname and, when it changed, the avatar: `pendingFile` (weapp's chosen temp file, uploaded first) or
 * `avatarUrl` (a preset or the current one). Shares the new profile with every page.
 */
export async function saveProfile(me: Me, input: { nickname: string; pendingFile?: string; avatarUrl?: string }): Promise<Me> {
  const avatarUrl = input.pendingFile ? await uploadAvatar(input.pendingFile, me.openid) : input.avatarUrl;
  const after = await callFunction('user', 'profile', { nickname: input.nickname.trim(), ...(avatarUrl && avatarUrl !== me.avatarUrl ? { avatarUrl } : {}) });
  updateMe(after);
  return after;
}
