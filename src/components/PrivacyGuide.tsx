/** The privacy notice's substance, one text for the consent sheet and the 隐私与账号 page. */
import { Text, View } from '@tarojs/components';
import './PrivacyGuide.css';

export default function PrivacyGuide() {
  return (
    <View className='privacy-guide'>
      <Text>我们收集：你主动填写的昵称和头像、下单时的收货地址、你是通过谁的分享打开的（邀请关系）。</Text>
      <Text>用于：下单发货、计算邀请奖励与助力进度、发送你订阅的通知。</Text>
      <Text>收货人姓名、手机号和详细地址加密保存，只有你和为你发货的商家能看到。</Text>
      <Text>展示给他人时，你的昵称只显示部分（如“小*”），不展示地址和手机号。</Text>
      <Text>你可以在“我的 - 个人资料”中修改昵称和头像，在“我的 - 隐私与账号”中导出你的数据或注销账号；不同意也可以浏览商品。</Text>
    </View>
  );
}
