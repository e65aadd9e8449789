/**
 * 结算: address, items, coupon, wallet cash and points, assist price. The amounts are the server's: `shop.quote` prices
 * the selection when the page opens and again whenever the coupon, 余额 or 积分 changes (only the answer for the latest
 * selection is shown). 提交订单 creates the order, which the server prices again (the client sends ids and quantities
 * only), then the order page shows the server's amounts and the pay step. Until the first quote arrives, or when it
 * fails, the page shows its own estimate; createOrder stays the authority either way.
 * ?items=p1:2,p2:1:s0a1b2c3d [&fromCart=1] [&assistTaskId=…]: productId:quantity[:skuId]. A line of a product with 规格
 * that names no SKU (an assist voucher, a group joined from its page) is chosen here, in the 选择规格 sheet.
 */
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { AddressView, CheckoutSelection, OrderQuote } from '../../../../types/api';
import { messageFor } from '../../../../types/errors';
import { formatFen, pointsToFen, type Fen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';
import { ensureConsent } from '../../../services/session';
import { newRequestId } from '../../../utils/format';
import { ADDRESS_FIELDS, EMPTY_ADDRESS_FORM, addressFormProblems, toShippingAddress, type AddressField, type AddressForm } from '../addressForm';
import RegionPicker from '../regions/RegionPicker';
import SkuSheet from '../components/SkuSheet';
import ProductImage from '../../../components/ProductImage';
import './index.css';
import '../shop.css';
import '../../../styles/forms.css';

interface Line {
  productId: string;
  quantity: number;
  skuId?: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function parseItems(spec: string | undefined): Line[] {
  if (!spec) return [];
  return decodeURIComponent(spec)
    .split(',')
    .map((part) => {
      const [productId, q, skuId] = part.split(':');
      const line: Line = { productId, quantity: Math.max(1, Math.min(99, Number.parseInt(q ?? '1', 10) || 1)) };
      return skuId && ID.test(skuId) ? { ...line, skuId } : line;
    })
    .filter((line) => ID.test(line.productId));
}

type CheckoutData = Awaited<ReturnType<typeof loadCheckout>>;

/** The page's own estimate (list or assist prices), for the coupon picker and until the server's quote arrives. */
function estimateOf(lines: Line[], { products, task }: CheckoutData) {
  const assistPrice = task && task.viewer.isOwner && task.voucher?.state === 'available' ? task.voucher.priceFen : null;
  const estimateLines = lines.map((line, i) => {
    const product = products[i];
    const assisted = assistPrice !== null && task?.product.id === line.productId;
    const sku = product.skus?.find((k) => k.skuId === line.skuId) ?? null;
    return { line, product, sku, assisted, quantity: assisted ? 1 : line.quantity, unit: assisted ? assistPrice : (sku?.priceFen ?? product.priceFen) };
  });
  return { estimateLines, itemsTotal: estimateLines.reduce((sum, l) => sum + l.unit * l.quantity, 0) };
}

interface Choices {
  couponId: string | null;
  useCash: boolean;
  usePoints: boolean;
}

/** What the buyer chose, as both shop.quote and shop.createOrder take it: ids, quantities and amounts, never a price. */
function selectionOf(lines: Line[], data: CheckoutData, assistTaskId: string | undefined, choices: Choices, group: GroupChoice = {}) {
  const { estimateLines, itemsTotal } = estimateOf(lines, data);
  const coupon = data.coupons.find((c) => c.id === choices.couponId && c.minSpendFen <= itemsTotal) ?? null;
  const selection: CheckoutSelection = {
    items: estimateLines.map((l) => {
      const sku = l.line.skuId ? { skuId: l.line.skuId } : {};
      return l.assisted ? { productId: l.line.productId, ...sku, quantity: 1, assistTaskId } : { productId: l.line.productId, ...sku, quantity: l.line.quantity };
    }),
    couponId: coupon?.id,
    useCashFen: choices.useCash ? data.wallet.cash.availableFen : undefined,
    usePoints: choices.usePoints ? data.wallet.points.available : undefined,
    ...group,
  };
  return { selection, key: JSON.stringify(selection), coupon };
}

async function loadCheckout(lines: Line[], assistTaskId: string | undefined) {
  const [products, addresses, coupons, wallet, task] = await Promise.all([
    Promise.all(lines.map((line) => callFunction('shop', 'getProduct', { productId: line.productId }))),
    callFunction('shop', 'listAddresses', {}),
    callFunction('shop', 'listCoupons', { status: 'available' }),
    callFunction('wallet', 'summary', {}),
    assistTaskId ? callFunction('assist', 'get', { taskId: assistTaskId }) : Promise.resolve(null),
  ]);
  return { products, addresses, coupons, wallet, task };
}

/** 拼团: ?openGroup=1 opens a group on the one item, ?groupId=… joins one; the group price comes from the server's quote. */
type GroupChoice = { openGroup?: true; groupId?: string };

export default function CheckoutPage() {
  const { params } = useRouter();
  const group: GroupChoice = params.groupId ? { groupId: params.groupId } : params.openGroup === '1' ? { openGroup: true } : {};
  // The SKUs chosen on this page, by line, for lines whose link named none.
  const [pickedSkus, setPickedSkus] = useState<Record<number, string>>({});
  const [pickingSku, setPickingSku] = useState<number | null>(null);
  const lines = parseItems(params.items).map((l, i) => (l.skuId || !pickedSkus[i] ? l : { ...l, skuId: pickedSkus[i] }));
  const assistTaskId = params.assistTaskId || undefined;
  const fromCart = params.fromCart === '1';
  const data = useRemote(() => loadCheckout(lines, assistTaskId), [params.items, assistTaskId]);

  const [addressId, setAddressId] = useState<string | null>(null);
  const [savedAddresses, setSavedAddresses] = useState<AddressView[] | null>(null);
  const [form, setForm] = useState<AddressForm | null>(null);
  // Each refusal beside its own field; formError is the server's word on the whole address, above 保存地址.
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [formError, setFormError] = useState('');
  const [couponId, setCouponId] = useState<string | null>(null);
  const [useCash, setUseCash] = useState(false);
  const [usePoints, setUsePoints] = useState(false);
  const [picking, setPicking] = useState<'coupon' | 'address' | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState('');
  const intent = useRef<{ key: string; id: string } | null>(null);

  // The server's price of the current selection. Each answer is kept with the selection it priced, and only the
  // answer to the latest request is taken, so a slow answer to an older selection never replaces a newer one.
  const [quote, setQuote] = useState<{ key: string; data: OrderQuote } | null>(null);
  const [quoteError, setQuoteError] = useState<{ key: string; message: string } | null>(null);
  const [quoteRetry, setQuoteRetry] = useState(0);
  const quoteSeq = useRef(0);
  const ready = data.state.status === 'ready' ? data.state.data : null;
  const selected = ready && lines.length ? selectionOf(lines, ready, assistTaskId, { couponId, useCash, usePoints }, group) : null;
  // A line of a product with several SKUs and none chosen yet: nothing to price (the server would ask for the SKU).
  const needsSku = ready ? lines.findIndex((l, i) => !l.skuId && (ready.products[i]?.skus?.length ?? 0) > 1) : -1;
  useEffect(() => {
    if (!selected || needsSku >= 0) return;
    const mine = ++quoteSeq.current;
    const { key } = selected;
    callFunction('shop', 'quote', selected.selection).then(
      (answer) => {
        if (mine !== quoteSeq.current) return;
        setQuote({ key, data: answer });
        setQuoteError(null);
      },
      (err: unknown) => {
        if (mine === quoteSeq.current) setQuoteError({ key, message: errorMessage(err) });
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected?.key, quoteRetry]);

  if (lines.length === 0) return <AppShell className='checkout-page'><ErrorState message='没有要结算的商品' onRetry={() => void Taro.navigateBack()} /></AppShell>;
  if (data.state.status === 'loading') return <AppShell className='checkout-page'><Loading /></AppShell>;
  if (data.state.status === 'error') {
    return (
      <AppShell className='checkout-page'>
        <ErrorState message={data.state.error} onRetry={() => void data.reload()} />
      </AppShell>
    );
  }

  const { coupons, wallet } = data.state.data;
  const addresses = savedAddresses ?? data.state.data.addresses;
  const address = addresses.find((a) => a.id === addressId) ?? addresses.find((a) => a.isDefault) ?? addresses[0] ?? null;
  const { estimateLines, itemsTotal } = estimateOf(lines, data.state.data);
  const { selection, key: selectionKey, coupon } = selected!;
  const usable = coupons.filter((c) => c.minSpendFen <= itemsTotal);
  const afterCoupon = Math.max(itemsTotal - (coupon?.amountFen ?? 0), 0);
  const pointsValue = pointsToFen(wallet.points.available, Math.max(wallet.pointsPerYuan, 1));

  // The quote of this very selection; while a newer one is on its way the last answer stays, dimmed.
  const priced = quote?.key === selectionKey ? quote.data : null;
  const failed = !priced && quoteError?.key === selectionKey ? quoteError.message : null;
  const shown = priced ?? (failed ? null : (quote?.data ?? null));
  const updating = !!shown && !priced;
  const couponLeftOut = priced?.coupon && !priced.coupon.usable ? priced.coupon.reason : null;
  const quoted = (line: Line) => shown?.lines.find((q) => q.productId === line.productId && (!line.skuId || q.skuId === line.skuId));

  /**
   * An address or an order is personal data: the privacy notice comes first (the server refuses it before). Answers
   * whether the user has agreed; when they decline, the page says why nothing happened.
   */
  const consented = async (ask = false) => {
    if (await ensureConsent(ask)) return true;
    setError(messageFor('PRIVACY_CONSENT_REQUIRED'));
    return false;
  };
  const consentRefused = (err: unknown) => err instanceof CloudError && err.code === 'PRIVACY_CONSENT_REQUIRED';

  const openForm = () => {
    setForm({ ...EMPTY_ADDRESS_FORM });
    setFieldErrors({});
    setFormError('');
  };
  const editForm = (patch: Partial<AddressForm>) => {
    if (!form) return;
    setForm({ ...form, ...patch });
    // A field's refusal goes once that field is touched again; the check runs in full on 保存地址.
    const touched = Object.keys(patch) as AddressField[];
    if (touched.some((k) => fieldErrors[k])) setFieldErrors(Object.fromEntries(Object.entries(fieldErrors).filter(([k]) => !touched.includes(k as AddressField))));
    setFormError('');
  };

  const saveForm = async () => {
    if (!form) return;
    const problems = addressFormProblems(form);
    setFieldErrors(problems);
    setFormError('');
    const first = ADDRESS_FIELDS.find((f) => problems[f.key]);
    if (first) {
      // The refusal is beside the field: bring the first one into view (the form can be taller than the screen).
      void Taro.pageScrollTo({ selector: `.address-form__row--${first.key}`, duration: 200 }).catch(() => undefined);
      return;
    }
    const address = toShippingAddress(form);
    try {
      if (!(await consented())) return;
      const save = () => callFunction('shop', 'saveAddress', { ...address, isDefault: addresses.length === 0 });
      // The server's word wins over the last login's: it asks again, then the save is tried once more.
      const saved = await save().catch(async (err: unknown) => {
        if (consentRefused(err) && (await consented(true))) return save();
        throw err;
      });
      setSavedAddresses([saved, ...addresses.filter((a) => a.id !== saved.id)]);
      setAddressId(saved.id);
      setForm(null);
      setError('');
    } catch (err) {
      setFormError(errorMessage(err));
    }
  };

  const chooseAddress = async () => {
    setError('');
    try {
      if (!(await consented())) return;
    } catch (err) {
      setError(errorMessage(err));
      return;
    }
    if (process.env.TARO_ENV !== 'weapp') {
      openForm();
      return;
    }
    try {
      const picked = await Taro.chooseAddress();
      const saved = await callFunction('shop', 'saveAddress', {
        name: picked.userName,
        phone: picked.telNumber,
        province: picked.provinceName,
        city: picked.cityName,
        district: picked.countyName,
        detail: picked.detailInfo,
        isDefault: addresses.length === 0,
      });
      setSavedAddresses([saved, ...addresses.filter((a) => a.id !== saved.id)]);
      setAddressId(saved.id);
    } catch (err) {
      if (err instanceof CloudError) void Taro.showToast({ title: err.message, icon: 'none' });
      // WeChat's address book is not available (declined, or not allowed here): the form, with WeChat's region picker.
      else if (!/cancel/i.test((err as { errMsg?: string } | null)?.errMsg ?? '')) openForm();
      // The picker was closed: nothing to do.
    }
  };

  const submit = async () => {
    if (submitting) return;
    if (needsSku >= 0) {
      setError('请先选择商品规格');
      setPickingSku(needsSku);
      return;
    }
    if (!address) {
      setError('请先填写收货地址');
      return;
    }
    const input = {
      ...selection,
      // The quote left this coupon out of the price shown (and createOrder would refuse it): order what was shown.
      couponId: couponLeftOut ? undefined : selection.couponId,
      fromCart: fromCart || undefined,
      addressId: address.id,
    };
    // One requestId per intent: a repeat of the same order returns it; a changed order is a new intent.
    const key = JSON.stringify(input);
    if (!intent.current || intent.current.key !== key) intent.current = { key, id: newRequestId() };
    setSubmitting(true);
    setError('');
    const requestId = intent.current.id;
    try {
      if (!(await consented())) {
        setSubmitting(false);
        return;
      }
      const create = () => callFunction('shop', 'createOrder', { ...input, requestId });
      // The server's word wins over the last login's: it asks again, then the same request is sent once more.
      const { order } = await create().catch(async (err: unknown) => {
        if (consentRefused(err) && (await consented(true))) return create();
        throw err;
      });
      await Taro.redirectTo({ url: `/packages/shop/order/index?id=${encodeURIComponent(order.id)}&pay=1` });
    } catch (err) {
      setError(errorMessage(err));
      setSubmitting(false);
    }
  };

  return (
    <AppShell className='checkout-page'>
      <View className='card address-card' onClick={() => (addresses.length > 1 ? setPicking('address') : void chooseAddress())}>
        {address ? (
          <>
            <View className='row'>
              <Text className='address-card__name'>
                {address.name} {address.phone}
              </Text>
              <Text className='muted'>更换 ›</Text>
            </View>
            <Text className='muted address-card__detail'>
              {address.province}
              {address.city}
              {address.district} {address.detail}
            </Text>
          </>
        ) : (
          <View className='row'>
            <Text className='address-card__empty'>＋ 添加收货地址</Text>
            {process.env.TARO_ENV === 'weapp' ? (
              // A View, not a Text: when an address arrives this slot becomes the 更换 text, and Taro's weapp runtime
              // fails on a Text that loses its tap handler while it stays mounted.
              <View
                className='muted address-card__manual'
                onClick={(e) => {
                  e.stopPropagation();
                  openForm();
                }}
              >
                手动填写 ›
              </View>
            ) : (
              <Text className='muted'>›</Text>
            )}
          </View>
        )}
      </View>

      {form && (
        <View className='card address-form'>
          <Text className='card__title'>新的收货地址</Text>
          {ADDRESS_FIELDS.map((field) => (
            <View key={field.key} className={`address-form__row address-form__row--${field.key}${fieldErrors[field.key] ? ' address-form__row--invalid' : ''}`}>
              <View className='form-row'>
                <Text className='form-row__label'>{field.label}</Text>
                {field.key === 'region' ? (
                  <RegionPicker className='form-row__input address-form__region' value={form.region} onChange={(region) => editForm({ region })} />
                ) : (
                  <Input
                    className={`form-row__input address-form__${field.key}`}
                    value={form[field.key]}
                    placeholder={field.placeholder}
                    type={field.key === 'phone' ? 'number' : 'text'}
                    maxlength={field.key === 'detail' ? 120 : 20}
                    onInput={(e) => editForm({ [field.key]: e.detail.value })}
                  />
                )}
              </View>
              {fieldErrors[field.key] && <Text className={`address-form__error address-form__error--${field.key}`}>{fieldErrors[field.key]}</Text>}
            </View>
          ))}
          {formError && <Text className='form-error address-form__server-error'>{formError}</Text>}
          <View className='sheet__actions'>
            <View className='ghost-button address-form__cancel' onClick={() => setForm(null)}>
              取消
            </View>
            <View className='primary-button address-form__save' onClick={() => void saveForm()}>
              保存地址
            </View>
          </View>
        </View>
      )}

      <View className='card checkout-items'>
        {estimateLines.map((l, i) => (
          <View key={`${l.line.productId}:${l.line.skuId ?? ''}`} className='checkout-item'>
            <ProductImage className='checkout-item__image' src={l.product.images[0] ?? l.product.image} />
            <View className='checkout-item__body'>
              <Text className='checkout-item__title'>{l.product.title}</Text>
              {(quoted(l.line)?.spec || l.sku?.specText) && <Text className='muted item-spec checkout-item__spec'>{quoted(l.line)?.spec || l.sku?.specText}</Text>}
              {!l.line.skuId && (l.product.skus?.length ?? 0) > 1 && (
                <Text className='item-spec item-spec--pick checkout-item__pick-spec' onClick={() => setPickingSku(i)}>
                  请选择规格 ›
                </Text>
              )}
              {l.assisted && <Text className='badge badge--assist checkout-item__assist'>助力价</Text>}
              <View className='row'>
                <Text className='price'>{formatFen(quoted(l.line)?.unitPriceFen ?? l.unit)}</Text>
                <Text className='muted'>× {l.quantity}</Text>
              </View>
            </View>
          </View>
        ))}
      </View>

      <View className='card checkout-options'>
        <View className='option-row coupon-row' onClick={() => setPicking('coupon')}>
          <Text>优惠券</Text>
          <Text className={coupon && !couponLeftOut ? 'price' : 'muted'}>
            {couponLeftOut
              ? `不可用：${messageFor(couponLeftOut)} ›`
              : coupon
                ? `-${formatFen(shown?.coupon?.id === coupon.id ? shown.couponFen : coupon.amountFen)}`
                : usable.length
                  ? `${usable.length} 张可用 ›`
                  : '无可用 ›'}
          </Text>
        </View>
        <View className='option-row cash-row'>
          <Text>
            余额抵扣 <Text className='muted'>可用 {formatFen(wallet.cash.availableFen)}</Text>
          </Text>
          <Switch className='cash-switch' checked={useCash} disabled={wallet.cash.availableFen <= 0} color='#e4393c' onChange={(e) => setUseCash(e.detail.value)} />
        </View>
        <View className='option-row points-row'>
          <Text>
            积分抵扣{' '}
            <Text className='muted'>
              {wallet.points.available} 积分 ≈ {formatFen(pointsValue)}（{wallet.pointsPerYuan} 积分 = ¥1，有抵扣上限）
            </Text>
          </Text>
          <Switch className='points-switch' checked={usePoints} disabled={wallet.points.available <= 0} color='#e4393c' onChange={(e) => setUsePoints(e.detail.value)} />
        </View>
      </View>

      {shown ? (
        <View className={`card checkout-summary${updating ? ' checkout-summary--updating' : ''}`}>
          <View className='option-row summary-items'>
            <Text>商品金额</Text>
            <Text>{formatFen(shown.itemsTotalFen)}</Text>
          </View>
          {shown.coupon?.usable && (
            <View className='option-row summary-coupon'>
              <Text>优惠券</Text>
              <Text>-{formatFen(shown.couponFen)}</Text>
            </View>
          )}
          {(useCash || shown.walletCashFen > 0) && (
            <View className='option-row summary-cash'>
              <Text>余额抵扣</Text>
              <Text>-{formatFen(shown.walletCashFen)}</Text>
            </View>
          )}
          {(usePoints || shown.pointsFen > 0) && (
            <View className='option-row summary-points'>
              <Text>积分抵扣</Text>
              <Text>
                -{formatFen(shown.pointsFen)}（{shown.pointsUsed} 积分）
              </Text>
            </View>
          )}
          {shown.notes?.map((note) => (
            <Text key={note} className='muted checkout-note'>
              {note}
            </Text>
          ))}
        </View>
      ) : (
        <View className='card checkout-summary'>
          <View className='option-row summary-items'>
            <Text>商品金额</Text>
            <Text>{formatFen(itemsTotal)}</Text>
          </View>
          {coupon && (
            <View className='option-row summary-coupon'>
              <Text>优惠券</Text>
              <Text>-{formatFen(coupon.amountFen)}</Text>
            </View>
          )}
          {failed && (
            <Text className='form-error checkout-quote-error' onClick={() => setQuoteRetry((n) => n + 1)}>
              {failed}（点此重新计算）
            </Text>
          )}
          <Text className='muted'>
            {useCash || usePoints ? '余额和积分的抵扣金额由系统按规则计算，' : ''}实付金额以提交后系统计算为准（至少 ¥0.01）。
          </Text>
        </View>
      )}

      {error && <Text className='form-error checkout-error'>{error}</Text>}

      <View className='bottom-bar'>
        {shown ? (
          <View>
            <Text>实付 </Text>
            <Text className={`price checkout-payable${updating ? ' checkout-payable--updating' : ''}`}>{formatFen(shown.payableFen)}</Text>
          </View>
        ) : (
          <View>
            <Text>预计 </Text>
            <Text className='price checkout-estimate'>{formatFen(afterCoupon)}</Text>
          </View>
        )}
        <View className={`primary-button checkout-submit${submitting ? ' primary-button--disabled' : ''}`} onClick={() => void submit()}>
          {submitting ? '提交中…' : '提交订单'}
        </View>
      </View>

      {picking === 'coupon' && (
        <View className='sheet-mask coupon-picker' onClick={() => setPicking(null)}>
          <View className='sheet' onClick={(e) => e.stopPropagation()}>
            <Text className='sheet__title'>选择优惠券</Text>
            <View className={`picker-row${coupon ? '' : ' picker-row--on'}`} onClick={() => { setCouponId(null); setPicking(null); }}>
              不使用优惠券
            </View>
            {coupons.map((c) => {
              const ok = c.minSpendFen <= itemsTotal;
              return (
                <View
                  key={c.id}
                  className={`picker-row coupon-option${coupon?.id === c.id ? ' picker-row--on' : ''}${ok ? '' : ' picker-row--off'}`}
                  onClick={() => {
                    if (!ok) return;
                    setCouponId(c.id);
                    setPicking(null);
                  }}
                >
                  <Text className='price'>{formatFen(c.amountFen)}</Text>
                  <Text>
                    {' '}
                    {c.title} · 满 {formatFen(c.minSpendFen)} 可用{ok ? '' : '（未达门槛）'}
                  </Text>
                </View>
              );
            })}
          </View>
        </View>
      )}

      {pickingSku !== null && estimateLines[pickingSku] && (
        <SkuSheet
          product={estimateLines[pickingSku].product}
          confirmText='确定'
          fixedQuantity={estimateLines[pickingSku].quantity}
          fixedPriceFen={estimateLines[pickingSku].assisted ? (estimateLines[pickingSku].unit as Fen) : undefined}
          onClose={() => setPickingSku(null)}
          onConfirm={(sku) => {
            setPickedSkus({ ...pickedSkus, [pickingSku]: sku.skuId });
            setPickingSku(null);
            setError('');
          }}
        />
      )}

      {picking === 'address' && (
        <View className='sheet-mask address-picker' onClick={() => setPicking(null)}>
          <View className='sheet' onClick={(e) => e.stopPropagation()}>
            <Text className='sheet__title'>选择收货地址</Text>
            {addresses.map((a) => (
              <View key={a.id} className={`picker-row${address?.id === a.id ? ' picker-row--on' : ''}`} onClick={() => { setAddressId(a.id); setPicking(null); }}>
                {a.name} {a.phone} · {a.city}
                {a.district} {a.detail}
              </View>
            ))}
            <View className='picker-row address-picker__new' onClick={() => { setPicking(null); void chooseAddress(); }}>
              ＋ 新地址
            </View>
            {process.env.TARO_ENV === 'weapp' && (
              <View className='picker-row address-picker__manual' onClick={() => { setPicking(null); openForm(); }}>
                ＋ 手动填写新地址
              </View>
            )}
          </View>
        </View>
      )}
    </AppShell>
  );
}
