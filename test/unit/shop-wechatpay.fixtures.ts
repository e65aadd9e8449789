/**
 * WeChat Pay (cloudPay) requests and answers, built from the documentation of CloudPay.unifiedOrder, queryOrder,
 * closeOrder, refund and the payment callback (developers.weixin.qq.com, wxcloud reference-sdk-api/open/pay and the
 * cloud-run pay pages, whose examples give the snake_case wire fields). Identifiers are the documentation's examples.
 */
export const CONFIG = { subMchId: '1900000109', envId: 'test-123', notifyFunction: 'shop' };
export const NONCE = '5K8264ILTKCH16CQ2502SI8ZNMTM67VS';

export const UNIFIED_ORDER_REQUEST = {
  body: '小秋TIT店-超市',
  out_trade_no: '1217752501201407033233368018',
  total_fee: 888,
  spbill_create_ip: '127.0.0.1',
  sub_mch_id: '1900000109',
  nonce_str: NONCE,
  trade_type: 'JSAPI',
  time_expire: '20250110081500',
  env_id: 'test-123',
  function_name: 'shop',
  sub_appid: 'wxd678efh567hg6787',
  sub_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};

export const UNIFIED_ORDER_RESPONSE = {
  return_code: 'SUCCESS',
  return_msg: 'OK',
  appid: 'wxd678efh567hg6787',
  mch_id: '1230000109',
  sub_appid: 'wxd678efh567hg6787',
  sub_mch_id: '1900000109',
  nonce_str: 'IITRi8Iabbblz1Jc',
  result_code: 'SUCCESS',
  trade_type: 'JSAPI',
  prepay_id: 'wx201410272009395522657a690389285100',
  payment: {
    appId: 'wxd678efh567hg6787',
    timeStamp: '1736468100',
    nonceStr: 'IITRi8Iabbblz1Jc',
    package: 'prepay_id=wx201410272009395522657a690389285100',
    signType: 'MD5',
    paySign: 'C380BEC2BFD727A4B6845133519F3AD6',
  },
};

export const QUERY_ORDER_RESPONSE = {
  return_code: 'SUCCESS',
  return_msg: 'OK',
  appid: 'wxd2565e6a04246fd1',
  mch_id: '1800780001',
  sub_appid: 'wxd2565e6a04246fd1',
  sub_mch_id: '1712734762',
  nonce_str: 'C5h9TIF57KyXXr3M',
  sign: '99C4B35B4DE79AD46B9F6F541F3EF586',
  result_code: 'SUCCESS',
  openid: 'oPoIm-roYxAo441g3WD3D_6I-4bE',
  is_subscribe: 'N',
  sub_openid: 'oCKlip5njeZWaC4oeOVEoXi1TTsk',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  bank_type: 'OTHERS',
  total_fee: 1,
  fee_type: 'CNY',
  cash_fee: 1,
  cash_fee_type: 'CNY',
  transaction_id: '4204860361200001213072203688',
  out_trade_no: '2021WERUN1647840687637',
  attach: '',
  time_end: '20220321135131',
  trade_state_desc: '测试微信支付',
};

export const QUERY_ORDER_NOTPAY = { ...QUERY_ORDER_RESPONSE, trade_state: 'NOTPAY', transaction_id: undefined, trade_state_desc: '订单未支付' };
export const QUERY_ORDER_NOT_EXIST = { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'FAIL', err_code: 'ORDERNOTEXIST', err_code_des: '此交易订单号不存在' };

export const CLOSE_ORDER_OK = { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', sub_mch_id: '1900000109', nonce_str: 'BFK89FC6rxKCOjLX' };
export const CLOSE_ORDER_PAID = { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'FAIL', err_code: 'ORDERPAID', err_code_des: '订单已支付，不能发起关单' };

export const REFUND_RESPONSE = {
  return_code: 'SUCCESS',
  return_msg: 'OK',
  result_code: 'SUCCESS',
  appid: 'wxd2565e6a04246fd1',
  mch_id: '1800780001',
  sub_mch_id: '1712734762',
  nonce_str: 'CK9lmcq4mCXTXkRM',
  sign: '356D60CC779C02FB2FAA9187FB13E122',
  transaction_id: '4220001361307220321004860688',
  out_trade_no: '2021WERUN1647840687637',
  out_refund_no: 'R2021WERUN1647840687637',
  refund_id: '50302030148218522032126281690',
  refund_fee: 1,
  total_fee: 1,
  cash_fee: 1,
  cash_refund_fee: 1,
};

export const REFUND_NOT_ENOUGH = { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '基本账户余额不足，请充值后重新发起' };

/** The cloud function's input on a payment result (camelCase, as the callback protocol's example shows). */
export const PAYMENT_CALLBACK = {
  returnCode: 'SUCCESS',
  appid: 'wxd2565e6a04246fd1',
  mchId: '1800780001',
  subAppid: 'wxd2565e6a04246fd1',
  subMchId: '1712734762',
  nonceStr: 'f6444fd22de27b16',
  resultCode: 'SUCCESS',
  openid: 'oPoo341Im-roYxAd3WD3D_6J-4bA',
  isSubscribe: 'N',
  subOpenid: 'oZWaC4xeOVCUkip5njeEeXi1TEsk',
  subIsSubscribe: 'N',
  tradeType: 'JSAPI',
  bankType: 'OTHERS',
  totalFee: 1,
  feeType: 'CNY',
  cashFee: 1,
  transactionId: '4200004561202203217657282768',
  outTradeNo: '2021WERUN1647839289398',
  timeEnd: '20220321132007',
};
