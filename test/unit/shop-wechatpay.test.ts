/** The WeChat Pay provider against request and answer fixtures from WeChat Pay's documentation (no network). */
import { PaymentProviderError } from '../../cloudfunctions/infra/payments/provider';
import {
  cloudbaseWxPayTransport,
  encodeApiOptions,
  isWxPayCallback,
  paidTradeFromCallback,
  parseWxPayResponse,
  WechatPayProvider,
  WxPayApi,
  wxPayTime,
} from '../../cloudfunctions/infra/payments/wechat';
import type { Fen } from '../../types/money';
import * as fx from './shop-wechatpay.fixtures';

/** A transport that answers from fixtures and records what was sent. */
function fixtureTransport(answers: Partial<Record<WxPayApi, object>>) {
  const sent: { apiName: WxPayApi; request: Record<string, unknown>; appid: string | null }[] = [];
  return {
    sent,
    transport: {
      async call(apiName: WxPayApi, request: Record<string, unknown>, appid: string | null) {
        sent.push({ apiName, request, appid });
        const answer = answers[apiName];
        if (!answer) throw new Error(`no fixture for ${apiName}`);
        // What callWxPayApi hands back: a Buffer of the JSON answer.
        return parseWxPayResponse(apiName, Buffer.from(JSON.stringify(answer)));
      },
    },
  };
}

const NOW = new Date('2025-01-10T00:00:00Z');
const provider = (answers: Partial<Record<WxPayApi, object>>) => {
  const t = fixtureTransport(answers);
  return { ...t, p: new WechatPayProvider(fx.CONFIG, t.transport, () => fx.NONCE, () => NOW) };
};

it('unified order: sends the documented request and answers the wx.requestPayment arguments', async () => {
  const { p, sent } = provider({ unifiedOrder: fx.UNIFIED_ORDER_RESPONSE });
  const res = await p.unifiedOrder({
    outTradeNo: '1217752501201407033233368018',
    totalFen: 888 as Fen,
    description: '小秋TIT店-超市',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    appid: 'wxd678efh567hg6787',
    expiresAt: new Date('2025-01-10T00:15:00Z'),
  });
  expect(sent).toEqual([{ apiName: 'unifiedOrder', request: fx.UNIFIED_ORDER_REQUEST, appid: 'wxd678efh567hg6787' }]);
  expect(res).toEqual({
    wechat: { timeStamp: '1736468100', nonceStr: 'IITRi8Iabbblz1Jc', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'MD5', paySign: 'C380BEC2BFD727A4B6845133519F3AD6' },
  });
});

it('unified order: keeps time_expire at least a minute ahead, and uses openid without an appid', async () => {
  const { p, sent } = provider({ unifiedOrder: fx.UNIFIED_ORDER_RESPONSE });
  await p.unifiedOrder({ outTradeNo: 'o1', totalFen: 1 as Fen, description: '商品', openid: 'oid', appid: null, expiresAt: new Date(NOW.getTime() + 5000) });
  expect(sent[0].request).toMatchObject({ openid: 'oid', time_expire: wxPayTime(new Date(NOW.getTime() + 61_000)) });
  expect(sent[0].request).not.toHaveProperty('sub_openid');
  expect(wxPayTime(new Date('2025-01-10T00:15:00Z'))).toBe('20250110081500');
});

it('unified order: a FAIL answer or a missing payment is an error, never a half answer', async () => {
  await expect(provider({ unifiedOrder: { return_code: 'FAIL', return_msg: '签名失败' } }).p.unifiedOrder({ outTradeNo: 'o', totalFen: 1 as Fen, description: 'x', openid: 'o', appid: null, expiresAt: NOW })).rejects.toThrow(
    '签名失败',
  );
  await expect(provider({ unifiedOrder: { ...fx.UNIFIED_ORDER_RESPONSE, payment: undefined } }).p.unifiedOrder({ outTradeNo: 'o', totalFen: 1 as Fen, description: 'x', openid: 'o', appid: null, expiresAt: NOW })).rejects.toBeInstanceOf(
    PaymentProviderError,
  );
});

it('query order: trade state, transaction id and amount; a trade WeChat never saw is NOT_FOUND', async () => {
  const { p, sent } = provider({ queryOrder: fx.QUERY_ORDER_RESPONSE });
  expect(await p.queryOrder('2021WERUN1647840687637')).toEqual({ state: 'SUCCESS', transactionId: '4204860361200001213072203688', totalFen: 1 });
  expect(sent[0].request).toEqual({ sub_mch_id: '1900000109', out_trade_no: '2021WERUN1647840687637', nonce_str: fx.NONCE });
  expect(await provider({ queryOrder: fx.QUERY_ORDER_NOTPAY }).p.queryOrder('x')).toEqual({ state: 'NOTPAY', transactionId: null, totalFen: 1 });
  expect(await provider({ queryOrder: fx.QUERY_ORDER_NOT_EXIST }).p.queryOrder('x')).toEqual({ state: 'NOT_FOUND', transactionId: null, totalFen: null });
  // The cloud-run flavour wraps the same answer in {errcode, errmsg, respdata}.
  expect(parseWxPayResponse('queryOrder', Buffer.from(JSON.stringify({ errcode: 0, errmsg: 'ok', respdata: fx.QUERY_ORDER_RESPONSE })))).toEqual(fx.QUERY_ORDER_RESPONSE);
});

it('close order: closed, or paid when the trade was paid first', async () => {
  expect(await provider({ closeOrder: fx.CLOSE_ORDER_OK }).p.closeOrder('x')).toBe('closed');
  expect(await provider({ closeOrder: fx.CLOSE_ORDER_PAID }).p.closeOrder('x')).toBe('paid');
  expect(await provider({ closeOrder: fx.QUERY_ORDER_NOT_EXIST }).p.closeOrder('x')).toBe('not_found');
});

it('refund: sends out_refund_no and amounts, answers the refund id; a business failure throws with its code', async () => {
  const { p, sent } = provider({ refund: fx.REFUND_RESPONSE });
  expect(await p.refund({ outTradeNo: '2021WERUN1647840687637', outRefundNo: 'R2021WERUN1647840687637', totalFen: 1 as Fen, refundFen: 1 as Fen, reason: '测试退款' })).toEqual({
    refundId: '50302030148218522032126281690',
  });
  expect(sent[0].request).toEqual({
    sub_mch_id: '1900000109',
    nonce_str: fx.NONCE,
    out_trade_no: '2021WERUN1647840687637',
    out_refund_no: 'R2021WERUN1647840687637',
    total_fee: 1,
    refund_fee: 1,
    refund_desc: '测试退款',
    env_id: 'test-123',
    function_name: 'shop',
  });
  await expect(provider({ refund: fx.REFUND_NOT_ENOUGH }).p.refund({ outTradeNo: 'a', outRefundNo: 'b', totalFen: 1 as Fen, refundFen: 1 as Fen, reason: 'x' })).rejects.toMatchObject({
    providerCode: 'NOTENOUGH',
  });
});

it('the payment callback: recognised, and only a successful one names a trade to confirm', () => {
  expect(isWxPayCallback(fx.PAYMENT_CALLBACK)).toBe(true);
  expect(isWxPayCallback({ action: 'paymentNotify', returnCode: 'SUCCESS' })).toBe(false);
  expect(paidTradeFromCallback(fx.PAYMENT_CALLBACK)).toBe('2021WERUN1647839289398');
  expect(paidTradeFromCallback({ ...fx.PAYMENT_CALLBACK, resultCode: 'FAIL' })).toBeNull();
});

it('the CloudBase transport: callWxPayApi with the JSON request as a Buffer and the appid as protobuf ApiOptions', async () => {
  const calls: any[] = [];
  const app = { callWxPayApi: async (opts: any) => (calls.push(opts), Buffer.from(JSON.stringify(fx.CLOSE_ORDER_OK))) };
  const t = cloudbaseWxPayTransport(app as never);
  expect(await t.call('closeOrder', { out_trade_no: 'x' }, 'wxd678efh567hg6787')).toEqual(fx.CLOSE_ORDER_OK);
  expect(calls[0].apiName).toBe('closeOrder');
  expect(JSON.parse(calls[0].requestData.toString())).toEqual({ out_trade_no: 'x' });
  // protobuf: field 1 (tag 0x0a), length 18, then the appid bytes — what wx-server-sdk's ApiOptions.encode makes.
  expect([...calls[0].apiOptions.subarray(0, 2)]).toEqual([0x0a, 18]);
  expect(calls[0].apiOptions.subarray(2).toString()).toBe('wxd678efh567hg6787');
  expect(encodeApiOptions('a'.repeat(200)).subarray(0, 3)).toEqual(Buffer.from([0x0a, 0xc8, 0x01]));
  await t.call('closeOrder', {}, null);
  expect(calls[1]).not.toHaveProperty('apiOptions');
  // A CloudBase error answer is an error.
  const failing = cloudbaseWxPayTransport({ callWxPayApi: async () => ({ code: 'INVALID_PARAM', message: 'bad', requestId: 'r' }) } as never);
  await expect(failing.call('queryOrder', {}, null)).rejects.toMatchObject({ providerCode: 'INVALID_PARAM' });
});
