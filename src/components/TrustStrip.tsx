/**
 * The 首页 trust strip: who sells (资质), the rules in full (活动规则), the privacy notice (隐私保护) and 联系客服 —
 * WeChat's customer-service chat (`open-type="contact"`) in the mini-program; in the browser, a note pointing to the
 * service phone on the store page (the strip itself reads nothing, so 首页 makes no extra call).
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import './TrustStrip.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';
const go = (url: string) => () => void Taro.navigateTo({ url });

export default function TrustStrip() {
  const [note, setNote] = useState(false);
  return (
    <View className='trust-strip'>
      <Text className='trust-strip__item trust-qualifications' onClick={go('/packages/shop/store/index')}>
        店铺资质
      </Text>
      <Text className='trust-strip__item trust-rules' onClick={go('/packages/shop/store/index')}>
        活动规则
      </Text>
      <Text className='trust-strip__item trust-privacy' onClick={go('/packages/profile/privacy/index')}>
        隐私保护
      </Text>
      {IS_WEAPP ? (
        <Button className='trust-strip__contact trust-contact' openType='contact'>
          联系客服
        </Button>
      ) : (
        <Text className='trust-strip__item trust-contact' onClick={() => setNote(!note)}>
          联系客服
        </Text>
      )}
      {note && <Text className='trust-strip__note trust-contact-note'>请在微信中打开小程序，通过“联系客服”与商家沟通；客服电话见“店铺资质”。</Text>}
    </View>
  );
}
