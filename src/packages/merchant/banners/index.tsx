/**
 * 首页横幅: the slides at the top of the shop (at most 5, in order): a heading, a caption and optionally the product a
 * tap opens. Saved as a list (merchant.saveHomeBanners); with none, the shop shows its first active rebate rule in the
 * rules' own words. Every field a slide has is on the form, so saving unchanged stores the same list.
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { MerchantProductView } from '../../../../types/api';
import type { HomeBanner } from '../../../../types/modules/store.api';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { useSubmission } from '../../../hooks/useSubmission';
import { callFunction, isStaleEdit } from '../../../services/cloud';
import { Field } from '../components/Field';
import '../merchant.css';

const MAX = 5;
const HEADING_MAX = 12;
const CAPTION_MAX = 30;

async function load(): Promise<{ banners: HomeBanner[]; rev: number; products: MerchantProductView[] }> {
  const [saved, products] = await Promise.all([callFunction('merchant', 'getHomeBanners', {}), callFunction('merchant', 'listProducts', { status: 'onSale', pageSize: 50 })]);
  return { banners: saved.banners, rev: saved.rev ?? 0, products: products.items };
}

type Problems = Record<number, { heading?: string; caption?: string }>;

function check(banners: HomeBanner[]): Problems {
  const out: Problems = {};
  banners.forEach((b, i) => {
    const p: Problems[number] = {};
    if (!b.heading.trim()) p.heading = '请填写标题';
    else if (b.heading.trim().length > HEADING_MAX) p.heading = `标题最多 ${HEADING_MAX} 个字`;
    if (b.caption.trim().length > CAPTION_MAX) p.caption = `文字最多 ${CAPTION_MAX} 个字`;
    if (p.heading || p.caption) out[i] = p;
  });
  return out;
}

function ProductLink({ products, value, onChange }: { products: MerchantProductView[]; value: string | null; onChange: (id: string | null) => void }) {
  const known = products.some((p) => p.id === value);
  return (
    <View className='m-actions banner-products'>
      <Text className={`m-chip banner-product banner-product--none${value === null ? ' m-chip--on' : ''}`} onClick={() => onChange(null)}>
        不链接
      </Text>
      {products.map((p) => (
        <Text key={p.id} className={`m-chip banner-product${value === p.id ? ' m-chip--on' : ''}`} onClick={() => onChange(p.id)}>
          {p.title}
        </Text>
      ))}
      {/* A product the slide names that the list does not show (off sale, or past the first 50) stays until changed. */}
      {value !== null && !known && <Text className='m-chip m-chip--on banner-product banner-product--unknown'>商品 {value}（未在售）</Text>}
    </View>
  );
}

export default function BannersPage() {
  const loaded = useRemote(load, []);
  const [banners, setBanners] = useState<HomeBanner[] | null>(null);
  const [rev, setRev] = useState(0);
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSubmission();

  useEffect(() => {
    if (loaded.state.status !== 'ready') return;
    setBanners(loaded.state.data.banners);
    setRev(loaded.state.data.rev);
  }, [loaded.state]);

  if (loaded.state.status === 'loading' || (loaded.state.status === 'ready' && !banners)) return <Loading />;
  if (loaded.state.status === 'error') return <ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} />;
  const list = banners!;
  const products = loaded.state.data.products;
  const edit = (i: number, patch: Partial<HomeBanner>) => {
    setBanners(list.map((b, j) => (j === i ? { ...b, ...patch } : b)));
    setProblems({ ...problems, [i]: undefined as never });
  };
  const move = (i: number, to: number) => {
    if (to < 0 || to >= list.length) return;
    const next = [...list];
    const [b] = next.splice(i, 1);
    next.splice(to, 0, b);
    setBanners(next);
    setProblems({});
  };

  const save = async () => {
    if (busy) return;
    const found = check(list);
    setProblems(found);
    if (Object.keys(found).length) return;
    await run('submit', async () => {
      try {
        const saved = await callFunction('merchant', 'saveHomeBanners', { banners: list.map((b) => ({ heading: b.heading.trim(), caption: b.caption.trim(), productId: b.productId })), rev });
        setBanners(saved.banners);
        setRev(saved.rev ?? rev + 1);
        void Taro.showToast({ title: '已保存', icon: 'none' });
      } catch (err) {
        // Saved on another device since this list was read: show what is there now (the message stays below).
        if (isStaleEdit(err)) await loaded.refresh();
        throw err;
      }
    });
  };

  return (
    <AppShell className='m-page banners-page'>
      <View className='card'>
        <Text className='m-note banners-note'>最多 {MAX} 张，按顺序轮播。不设置时，首页显示第一条生效的返利规则。</Text>
      </View>
      {list.map((b, i) => (
        <View key={i} className='card banner-form'>
          <Text className='m-section'>横幅 {i + 1}</Text>
          <Field label='标题' name={`heading-${i}`} error={problems[i]?.heading}>
            <Input className='m-input banner-form__heading' value={b.heading} maxlength={HEADING_MAX} placeholder='如 双十二 推三返一' onInput={(e) => edit(i, { heading: e.detail.value })} />
          </Field>
          <Field label='文字' name={`caption-${i}`} error={problems[i]?.caption}>
            <Input className='m-input banner-form__caption' value={b.caption} maxlength={CAPTION_MAX} placeholder='选填' onInput={(e) => edit(i, { caption: e.detail.value })} />
          </Field>
          <Text className='m-field__label'>点击打开</Text>
          <ProductLink products={products} value={b.productId} onChange={(productId) => edit(i, { productId })} />
          <View className='m-actions'>
            <Text className='m-chip banner-form__up' onClick={() => move(i, i - 1)}>
              上移
            </Text>
            <Text className='m-chip banner-form__down' onClick={() => move(i, i + 1)}>
              下移
            </Text>
            <Text className='m-chip m-chip--off banner-form__remove' onClick={() => (setBanners(list.filter((_, j) => j !== i)), setProblems({}))}>
              删除
            </Text>
          </View>
        </View>
      ))}
      <View className='card'>
        {list.length < MAX && (
          <View className='ghost-button banners-add' onClick={() => setBanners([...list, { heading: '', caption: '', productId: null }])}>
            + 添加横幅
          </View>
        )}
        {error && <Text className='form-error banners-error'>{error}</Text>}
        <View className={`primary-button banners-save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {busy ? '保存中…' : '保存'}
        </View>
      </View>
    </AppShell>
  );
}
