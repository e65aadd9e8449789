/**
 * The production payout provider — WeChat Pay API v3 商家转账 (用户确认模式) — against fixtures built from WeChat Pay's
 * documentation (发起转账 POST /v3/fund-app/mch-transfer/transfer-bills; 商户单号查询转账单 GET …/out-bill-no/{no};
 * 撤销转账 POST …/out-bill-no/{no}/cancel; 签名 WECHATPAY2-SHA256-RSA2048; 应答验签 Wechatpay-Signature). Keys are made
 * here: a merchant key to sign requests, a "WeChat Pay" key to sign answers. No network.
 */
import crypto from 'node:crypto';
import { Fetch, PayoutError, payoutProvider, verifyWechatAnswer, wechatAuthorization, wechatProvider } from '../../cloudfunctions/infra/payouts';

const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const wechat = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const NOW = 1_767_000_000_000;
const keys = { mchid: '1900000001', certSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', privateKeyPem: merchant.privateKey, publicKeyId: 'PUB_KEY_ID_0114232134912410000000000000', publicKeyPem: wechat.publicKey };

/** Fixtures: the answers the documentation shows for each call. */
const FIXTURES = {
  createWaiting: { out_bill_no: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', transfer_bill_no: '1330000071100999991182020050700019480001', create_time: '2025-01-22T15:44:23+08:00', state: 'WAIT_USER_CONFIRM', package_info: 'ABBQO+oYAAABAAAAAACqHQWOwhH8' },
  querySuccess: {
    mch_id: '1900000001',
    out_bill_no: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
    transfer_bill_no: '1330000071100999991182020050700019480001',
    appid: 'wxf636efh567hg4356',
    state: 'SUCCESS',
    transfer_amount: 5000,
    transfer_remark: '邀请奖励提现',
    openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
    create_time: '2025-01-22T15:44:23+08:00',
    update_time: '2025-01-22T15:45:01+08:00',
  },
  queryFail: { mch_id: '1900000001', out_bill_no: 'Wfail', transfer_bill_no: '1330000071100999991182020050700019480002', appid: 'wxf636efh567hg4356', state: 'FAIL', transfer_amount: 5000, transfer_remark: '邀请奖励提现', fail_reason: 'PAYEE_ACCOUNT_ABNORMAL', openid: 'o-x', create_time: '2025-01-22T15:44:23+08:00', update_time: '2025-01-22T15:45:01+08:00' },
  cancelAccepted: { out_bill_no: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', transfer_bill_no: '1330000071100999991182020050700019480001', state: 'CANCELING', update_time: '2025-01-22T15:46:00+08:00' },
  paramError: { code: 'PARAM_ERROR', message: '需传入转账场景报备信息,请检查' },
  notFound: { code: 'NOT_FOUND', message: '记录不存在' },
  cancelRefused: { code: 'INVALID_REQUEST', message: '当前单据状态不支持撤销' },
};

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fake api.mch.weixin.qq.com: answers with a fixture, signed like WeChat Pay signs (or tampered). */
function fakeWechat(answer: (req: Sent) => { status: number; body: object; tamper?: boolean; serial?: string; skewSeconds?: number }) {
  const sent: Sent[] = [];
  const fetch: Fetch = async (url, init) => {
    const req = { url, ...init };
    sent.push(req);
    const a = answer(req);
    const body = JSON.stringify(a.body);
    const ts = String(Math.floor(NOW / 1000) + (a.skewSeconds ?? 0));
    const nonce = crypto.randomBytes(8).toString('hex');
    const signature = crypto.createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(wechat.privateKey, 'base64');
    const headers = new Map(Object.entries({ 'wechatpay-serial': a.serial ?? keys.publicKeyId, 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature }));
    return { status: a.status, headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null }, text: async () => (a.tamper ? body.replace('5000', '50000') : body) };
  };
  return { fetch, sent };
}

const provider = (fetch: Fetch) => wechatProvider({ keys, appid: 'wxf636efh567hg4356', fetch, now: () => NOW, notifyUrl: 'https://shop.example.com/wxpay/transfer-notify' });

/** Parse the Authorization header and check the signature over METHOD\nPATH\nTS\nNONCE\nBODY\n with the merchant's public key. */
function checkAuthorization(req: Sent) {
  const auth = req.headers.authorization;
  expect(auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
  const fields = Object.fromEntries([...auth.slice(26).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  expect(fields).toMatchObject({ mchid: keys.mchid, serial_no: keys.certSerial, timestamp: String(Math.floor(NOW / 1000)) });
  expect(fields.nonce_str).toMatch(/^[0-9a-f]{32}$/);
  const path = new URL(req.url).pathname;
  const message = `${req.method}\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n${req.body ?? ''}\n`;
  expect(crypto.createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, fields.signature, 'base64')).toBe(true);
}

describe('发起转账 (create)', () => {
  it('sends the documented body for scene 1005 佣金报酬, signed, and reads the bill', async () => {
    const fake = fakeWechat(() => ({ status: 200, body: FIXTURES.createWaiting }));
    const bill = await provider(fake.fetch).create({ outBillNo: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', openid: 'o-MYE42l80oelYMDE34nYD456Xoy', amountFen: 5000, remark: '邀请奖励提现' });
    expect(bill).toEqual({ outBillNo: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', transferBillNo: '1330000071100999991182020050700019480001', state: 'WAIT_USER_CONFIRM', packageInfo: 'ABBQO+oYAAABAAAAAACqHQWOwhH8', failReason: null });
    const [req] = fake.sent;
    expect(req.url).toBe('https://api.mch.weixin.qq.com/v3/fund-app/mch-transfer/transfer-bills');
    expect(req.method).toBe('POST');
    expect(req.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'wechatpay-serial': keys.publicKeyId });
    expect(JSON.parse(req.body!)).toEqual({
      appid: 'wxf636efh567hg4356',
      out_bill_no: 'W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
      transfer_scene_id: '1005',
      openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
      transfer_amount: 5000,
      transfer_remark: '邀请奖励提现',
      notify_url: 'https://shop.example.com/wxpay/transfer-notify',
      user_recv_perception: '劳务报酬',
      transfer_scene_report_infos: [
        { info_type: '岗位类型', info_content: '推广员' },
        { info_type: '报酬说明', info_content: '邀请好友下单返利' },
      ],
    });
    checkAuthorization(req);
  });

  it('keeps the remark within 32 characters', async () => {
    const fake = fakeWechat(() => ({ status: 200, body: FIXTURES.createWaiting }));
    await provider(fake.fetch).create({ outBillNo: 'W1', openid: 'o', amountFen: 100, remark: '提'.repeat(40) });
    expect([...JSON.parse(fake.sent[0].body!).transfer_remark]).toHaveLength(32);
  });

  it('an error answer becomes a PayoutError with WeChat’s code', async () => {
    const fake = fakeWechat(() => ({ status: 400, body: FIXTURES.paramError }));
    const err = await provider(fake.fetch).create({ outBillNo: 'W1', openid: 'o', amountFen: 100, remark: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(PayoutError);
    expect(err).toMatchObject({ status: 400, code: 'PARAM_ERROR' });
  });
});

describe('商户单号查询转账单 (query)', () => {
  it('reads a successful bill', async () => {
    const fake = fakeWechat(() => ({ status: 200, body: FIXTURES.querySuccess }));
    expect(await provider(fake.fetch).query('W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d')).toMatchObject({ state: 'SUCCESS', failReason: null, packageInfo: null });
    expect(fake.sent[0]).toMatchObject({ method: 'GET', url: 'https://api.mch.weixin.qq.com/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d' });
    expect(fake.sent[0].body).toBeUndefined();
    checkAuthorization(fake.sent[0]);
  });

  it('reads a failed bill with its reason', async () => {
    const fake = fakeWechat(() => ({ status: 200, body: FIXTURES.queryFail }));
    expect(await provider(fake.fetch).query('Wfail')).toMatchObject({ state: 'FAIL', failReason: 'PAYEE_ACCOUNT_ABNORMAL' });
  });

  it('an unknown bill is null (404 NOT_FOUND)', async () => {
    const fake = fakeWechat(() => ({ status: 404, body: FIXTURES.notFound }));
    expect(await provider(fake.fetch).query('Wnone')).toBeNull();
  });

  it('refuses an answer whose signature does not verify, names another key, or is stale', async () => {
    for (const bad of [{ tamper: true }, { serial: 'PUB_KEY_ID_OTHER' }, { skewSeconds: 600 }]) {
      const fake = fakeWechat(() => ({ status: 200, body: FIXTURES.querySuccess, ...bad }));
      await expect(provider(fake.fetch).query('W1')).rejects.toBeInstanceOf(PayoutError);
    }
  });
});

describe('撤销转账 (cancel)', () => {
  it('posts to …/cancel; a bill already final is not an error (the query that follows tells)', async () => {
    const ok = fakeWechat(() => ({ status: 200, body: FIXTURES.cancelAccepted }));
    await provider(ok.fetch).cancel('W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d');
    expect(ok.sent[0]).toMatchObject({ method: 'POST', url: 'https://api.mch.weixin.qq.com/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/W1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d/cancel' });
    checkAuthorization(ok.sent[0]);
    const refused = fakeWechat(() => ({ status: 400, body: FIXTURES.cancelRefused }));
    await expect(provider(refused.fetch).cancel('W1')).resolves.toBeUndefined();
    const down = fakeWechat(() => ({ status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误' } }));
    await expect(provider(down.fetch).cancel('W1')).rejects.toMatchObject({ code: 'SYSTEM_ERROR' });
  });
});

describe('signing and configuration', () => {
  it('signs exactly METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY\\n', () => {
    const header = wechatAuthorization(keys, 'GET', '/v3/certificates', '', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242');
    const signature = /signature="([^"]+)"/.exec(header)![1];
    expect(crypto.createVerify('RSA-SHA256').update('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n').verify(merchant.publicKey, signature, 'base64')).toBe(true);
  });

  it('verifies an answer only with all four Wechatpay headers', () => {
    const headers = { get: () => null };
    expect(() => verifyWechatAnswer(keys, headers, '{}', NOW / 1000)).toThrow(PayoutError);
  });

  it('uses WeChat only when every secret is configured; never without them', () => {
    expect(payoutProvider({ PAYOUT_PROVIDER: 'wechat', WECHATPAY_MCHID: '1' } as NodeJS.ProcessEnv)).toBeNull();
    const env = {
      PAYOUT_PROVIDER: 'wechat',
      WECHATPAY_MCHID: keys.mchid,
      WECHATPAY_APPID: 'wx1',
      WECHATPAY_CERT_SERIAL: keys.certSerial,
      WECHATPAY_PRIVATE_KEY: merchant.privateKey.replace(/\n/g, '\\n'),
      WECHATPAY_PUBLIC_KEY_ID: keys.publicKeyId,
      WECHATPAY_PUBLIC_KEY: wechat.publicKey,
    } as NodeJS.ProcessEnv;
    expect(payoutProvider(env)).toMatchObject({ name: 'wechat', mchId: keys.mchid, appId: 'wx1' });
    expect(payoutProvider({ LOCAL_CLOUD: '1', TCB_CONTEXT_CNFG: JSON.stringify({ URL: 'http://127.0.0.1:9/admin' }) } as NodeJS.ProcessEnv)?.name).toBe('local');
    expect(payoutProvider({} as NodeJS.ProcessEnv)).toBeNull();
  });
});
