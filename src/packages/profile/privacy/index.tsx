/**
 * 隐私与账号: the privacy notice again (WeChat's own contract page in weapp), a copy of everything the shop keeps about
 * the shopper (a JSON file: downloaded in the browser, sent to a chat or copied in WeChat), and account deletion
 * (typed 注销, refused with the reason while a withdrawal or an order is in flight).
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import AppShell from '../../../components/AppShell';
import PrivacyGuide from '../../../components/PrivacyGuide';
import { useSubmission } from '../../../hooks/useSubmission';
import { callFunction } from '../../../services/cloud';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** Hand the JSON to the shopper: a file download in the browser; in WeChat a file sent to a chat, else the clipboard. */
async function deliver(json: string): Promise<string> {
  if (!IS_WEAPP) {
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'tuisanfanyi-my-data.json';
    a.click();
    URL.revokeObjectURL(url);
    return '已下载你的数据文件';
  }
  try {
    const filePath = `${Taro.env.USER_DATA_PATH}/my-data.json`;
    Taro.getFileSystemManager().writeFileSync(filePath, json, 'utf8');
    await Taro.shareFileMessage({ filePath, fileName: 'tuisanfanyi-my-data.json' });
    return '已发送数据文件';
  } catch {
    await Taro.setClipboardData({ data: json });
    return '数据已复制到剪贴板';
  }
}

export default function PrivacyPage() {
  const { busy, error, setError, run } = useSubmission<'export' | 'delete'>();
  const [confirm, setConfirm] = useState('');
  const [exported, setExported] = useState('');

  const exportData = () =>
    run('export', async () => {
      const data = await callFunction('user', 'exportData', {});
      const count = Object.values(data.collections).reduce((n, docs) => n + docs.length, 0);
      const done = await deliver(JSON.stringify(data, null, 2));
      setExported(`${done}（共 ${count} 条记录）`);
    });

  const deleteAccount = async () => {
    if (busy) return;
    if (confirm.trim() !== '注销') return setError('请输入“注销”以确认');
    const { confirm: sure } = await Taro.showModal({ title: '注销账号', content: '注销后昵称、头像、收货地址和手机号将被删除，邀请关系与余额不再属于你，且无法恢复。确定注销吗？', confirmText: '确定注销' });
    if (!sure) return;
    await run('delete', async () => {
      await callFunction('user', 'deleteAccount', { confirm: '注销' });
      Taro.removeStorageSync?.('session');
      void Taro.showToast({ title: '账号已注销', icon: 'none' });
      await Taro.reLaunch({ url: '/pages/index/index' });
    });
  };

  return (
    <AppShell className='page privacy-page'>
      <View className='card privacy-card'>
        <Text className='privacy-card__title'>隐私保护指引</Text>
        <PrivacyGuide />
        {IS_WEAPP && (
          <Text className='link privacy-contract' onClick={() => void Taro.openPrivacyContract({})}>
            查看完整的《推三返一隐私保护指引》
          </Text>
        )}
      </View>

      <View className='card privacy-card'>
        <Text className='privacy-card__title'>导出我的数据</Text>
        <Text className='privacy-card__hint'>包括你的资料、收货地址、订单、邀请与奖励、钱包流水和提现记录，以 JSON 文件给你。</Text>
        <View className={`primary-button privacy-export${busy === 'export' ? ' primary-button--disabled' : ''}`} onClick={() => void exportData()}>
          {busy === 'export' ? '正在准备…' : '导出我的数据'}
        </View>
        {exported && <Text className='privacy-card__hint privacy-exported'>{exported}</Text>}
      </View>

      <View className='card privacy-card'>
        <Text className='privacy-card__title'>注销账号</Text>
        <Text className='privacy-card__hint'>有正在处理的提现或未完成的订单、退款时不能注销。注销会删除昵称、头像、收货地址和手机号；订单和钱包流水会匿名保留，供商家对账。</Text>
        <Input className='privacy-delete__input' placeholder='请输入“注销”确认' value={confirm} onInput={(e) => setConfirm(e.detail.value)} />
        <View className={`danger-button privacy-delete${busy === 'delete' ? ' danger-button--disabled' : ''}`} onClick={() => void deleteAccount()}>
          {busy === 'delete' ? '正在注销…' : '注销账号'}
        </View>
      </View>
      {error && <Text className='privacy-error'>{error}</Text>}
    </AppShell>
  );
}
