/**
 * Hands the CSV to the merchant: in WeChat it is written to the user data folder and sent with 发送给朋友
 * (`wx.shareFileMessage`, so it can go to a chat or the 文件传输助手 and be opened on a computer); in the browser
 * it downloads (a Blob behind an <a download>).
 */
import Taro from '@tarojs/taro';

type WxFiles = {
  env: { USER_DATA_PATH: string };
  getFileSystemManager(): { writeFileSync(filePath: string, data: string, encoding: 'utf8'): void };
  shareFileMessage(options: { filePath: string; fileName: string; success: () => void; fail: (err: { errMsg?: string }) => void }): void;
};

/** true when handed over, false when the merchant cancelled the share sheet. */
export async function saveCsv(fileName: string, text: string): Promise<boolean> {
  if (process.env.TARO_ENV === 'weapp') {
    const wxApi = (globalThis as unknown as { wx: WxFiles }).wx;
    const filePath = `${wxApi.env.USER_DATA_PATH}/${fileName}`;
    // utf8 writes the BOM character as EF BB BF, which is what Excel looks for.
    wxApi.getFileSystemManager().writeFileSync(filePath, text, 'utf8');
    return new Promise((resolve, reject) => {
      wxApi.shareFileMessage({
        filePath,
        fileName,
        success: () => resolve(true),
        fail: (err) => (String(err?.errMsg ?? '').includes('cancel') ? resolve(false) : reject(new Error('分享文件失败，请稍后再试'))),
      });
    });
  }
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return true;
  }
  void Taro.showToast({ title: '当前环境不支持导出', icon: 'none' });
  return false;
}
