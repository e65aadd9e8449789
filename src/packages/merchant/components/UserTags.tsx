import { Text, View } from '@tarojs/components';
import type { MerchantUserRow } from '../../../../types/api';

/** Merchant, blocked and abuse-flag tags of a user. */
export default function UserTags({ u }: { u: MerchantUserRow }) {
  return (
    <View>
      {u.roles.includes('merchant') && <Text className='m-tag m-tag--ok'>商家</Text>}
      {u.blocked && <Text className='m-tag m-tag--warn user-tag--blocked'>已封禁</Text>}
      {u.flags.map((f) => (
        <Text key={f} className={`m-tag m-tag--warn user-flag user-flag--${f}`}>
          {f === 'burst_invites' ? '短时间邀请过多' : '好友全部退款'}
        </Text>
      ))}
    </View>
  );
}
