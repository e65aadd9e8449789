/**
 * 结算: address, items, coupon, wallet cash and points, assist price. The amounts are the server's: `shop.quote` prices
 * the selection when the page opens and again whenever the coupon, 余额 or 积分 changes (useQuote: only the answer for
 * the latest selection is shown). 提交订单 creates the order, which the server prices again (the client sends ids and
 * quantities only), then the order page shows the server's amounts and the pay step. Until the first quote arrives, or
 * when it fails, the page shows its own estimate; createOrder stays the authority either way.
 * ?items=p1:2,p2:1:s0a1b2c3d [&fromCart=1] [&assistTaskId=…]: productId:quantity[:skuId]. A line of a product with 规格
 * that names no SKU (an assist voucher, a group joined from its page) is chosen here, in the 选择规格 sheet.
 * The parts: model.ts (lines, estimate, selection), useQuote.ts, AddressSection, Items, Discounts, Summary.
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { AddressView } from '../../../../types/api';
import { messageFor } from '../../../../types/errors';
import { formatFen, type Fen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import ProductImage from '../../../components/ProductImage';
import { useRemote } from '../../../hooks/useRemote';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';
import { ensureConsent } from '../../../services/session';
import { newRequestId } from '../../../utils/format';
import SkuSheet from '../components/SkuSheet';
import AddressSection from './AddressSection';
import Discounts from './Discounts';
import { estimateOf, loadCheckout, parseItems, selectionOf, type EstimateLine, type GroupChoice, type Line } from './model';
import Summary from './Summary';
import { useQuote } from './useQuote';
import './index.css';
import '../shop.css';
import '../../../styles/forms.css';

/** The lines with their prices: the quote's when it has them, the estimate's until then; 请选择规格 where one is due. */
function Items({ lines, quoted, onPickSku }: { lines: EstimateLine[]; quoted: (line: Line) => { spec?: string; unitPriceFen: Fen } | undefined; onPickSku: (i: number) => void }) {
  return (
    <View className='card checkout-items'>
      {lines.map((l, i) => (
        <View key={`${l.line.productId}:${l.line.skuId ?? ''}`} className='checkout-item'>
          <ProductImage className='checkout-item__image' src={l.product.images[0] ?? l.product.image} />
          <View className='checkout-item__body'>
            <Text className='checkout-item__title'>{l.product.title}</Text>
            {(quoted(l.line)?.spec || l.sku?.specText) && <Text className='muted item-spec checkout-item__spec'>{quoted(l.line)?.spec || l.sku?.specText}</Text>}
            {!l.line.skuId && (l.product.skus?.length ?? 0) > 1 && (
              <Text className='item-spec item-spec--pick checkout-item__pick-spec' onClick={() => onPickSku(i)}>
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
  );
}

export default function CheckoutPage() {
  const { params } = useRouter();
  const group: GroupChoice = params.groupId ? { groupId: params.groupId } : params.openGroup === '1' ? { openGroup: true } : {};
  // The SKUs chosen on this page, by line, for lines whose link named none.
  const [pickedSkus, setPickedSkus] = useState<Record<number, string>>({});
  const [pickingSku, setPickingSku] = useState<number | null>(null);
  const lines = parseItems(params.items).map((l, i) => (l.skuId || !pickedSkus[i] ? l : { ...l, skuId: pickedSkus[i] }));
  const assistTaskId = params.assistTaskId || undefined;
  const fromCart = params.fromCart === '1';
  const data = useRemote(() => loadCheckout(lines, assistTaskId, group), [params.items, assistTaskId, params.groupId, params.openGroup]);

  const [addressId, setAddressId] = useState<string | null>(null);
  const [savedAddresses, setSavedAddresses] = useState<AddressView[] | null>(null);
  const [couponId, setCouponId] = useState<string | null>(null);
  const [useCash, setUseCash] = useState(false);
  const [usePoints, setUsePoints] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState('');
  const intent = useRef<{ key: string; id: string } | null>(null);

  const ready = data.state.status === 'ready' ? data.state.data : null;
  const selected = ready && lines.length ? selectionOf(lines, ready, assistTaskId, { couponId, useCash, usePoints }, group) : null;
  // A line of a product with several SKUs and none chosen yet: nothing to price (the server would ask for the SKU).
  const needsSku = ready ? lines.findIndex((l, i) => !l.skuId && (ready.products[i]?.skus?.length ?? 0) > 1) : -1;
  const quote = useQuote(selected, needsSku >= 0);

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
  const { selection, coupon } = selected!;
  const afterCoupon = Math.max(itemsTotal - (coupon?.amountFen ?? 0), 0);
  const { priced, shown, updating } = quote;
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
      <AddressSection
        addresses={addresses}
        address={address}
        onSaved={(saved) => {
          setSavedAddresses([saved, ...addresses.filter((a) => a.id !== saved.id)]);
          setAddressId(saved.id);
        }}
        onChoose={setAddressId}
        consented={consented}
        consentRefused={consentRefused}
        setPageError={setError}
      />

      <Items lines={estimateLines} quoted={quoted} onPickSku={setPickingSku} />

      <Discounts
        coupons={coupons}
        coupon={coupon}
        couponLeftOut={couponLeftOut}
        itemsTotal={itemsTotal}
        shown={shown}
        wallet={wallet}
        useCash={useCash}
        usePoints={usePoints}
        onCoupon={setCouponId}
        onUseCash={setUseCash}
        onUsePoints={setUsePoints}
      />

      <Summary quote={quote} itemsTotal={itemsTotal} coupon={coupon} useCash={useCash} usePoints={usePoints} />

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

      {pickingSku !== null && estimateLines[pickingSku] && (
        <SkuSheet
          product={estimateLines[pickingSku].product}
          confirmText='确定'
          fixedQuantity={estimateLines[pickingSku].quantity}
          fixedPriceFen={estimateLines[pickingSku].special !== null ? (estimateLines[pickingSku].special as Fen) : undefined}
          onClose={() => setPickingSku(null)}
          onConfirm={(sku) => {
            setPickedSkus({ ...pickedSkus, [pickingSku]: sku.skuId });
            setPickingSku(null);
            setError('');
          }}
        />
      )}
    </AppShell>
  );
}
