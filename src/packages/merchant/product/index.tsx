/**
 * 新建 / 编辑商品: title, description, price, stock, images (URLs or cloud file ids; the first is the cover), order in
 * the shop, on sale, and 规格 (单规格, or 多规格: options and a price and stock per combination). ?id= to edit. Every
 * field of the product is on the form, and a stock (the product's, or a SKU's) is sent only when the merchant changed
 * it: orders reserve units while the form is open, and writing back the number it loaded would give those units away a
 * second time. A 单规格 product's save leaves 规格 out (kept as stored) unless it had SKUs and was switched back.
 * 分类 is one of the shop's categories (商品分类) or 未分类; a category removed meanwhile stays chosen until changed.
 */
import { Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { MerchantProductView, SaveProductInput } from '../../../../types/api';
import type { ProductCategory } from '../../../../types/modules/store.api';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { Field, InputField } from '../components/Field';
import ImageManager from '../components/ImageManager';
import SkuEditor from '../components/SkuEditor';
import { fenInput, parseCount, parseYuan } from '../format';
import { checkSkuDraft, skuDraftOf, type SkuDraft, type SkuProblems } from '../skuTable';
import '../merchant.css';

interface Form {
  title: string;
  description: string;
  price: string;
  stock: string;
  images: string;
  sort: string;
  onSale: boolean;
  categoryId: string | null;
  sku: SkuDraft;
}

type FieldName = 'title' | 'price' | 'stock' | 'images' | 'sort';
type Problems = Partial<Record<FieldName, string>>;

const EMPTY: Form = { title: '', description: '', price: '', stock: '0', images: '', sort: '0', onSale: true, categoryId: null, sku: skuDraftOf(null) };
/** What the server accepts as a picture: an http(s) link, a path the app serves, or a cloud storage file id. */
const IMAGE = /^(https?:\/\/\S+|\/[A-Za-z0-9_./-]+|cloud:\/\/\S+)$/;

const imagesOf = (f: Form) => f.images.split(/\s+/).filter(Boolean);

function fromProduct(p: MerchantProductView): Form {
  return { title: p.title, description: p.description, price: fenInput(p.priceFen), stock: String(p.stock), images: p.images.join('\n'), sort: String(p.sort), onSale: p.onSale, categoryId: p.categoryId ?? null, sku: skuDraftOf(p) };
}

/** The save request the form describes (`loaded`: the product as opened, null for a new one), or its problems. */
function check(f: Form, loaded: MerchantProductView | null): { input: SaveProductInput | null; problems: Problems; sku: SkuProblems } {
  const p: Problems = {};
  const title = f.title.trim();
  if (!title) p.title = '请填写商品名称';
  else if (title.length > 60) p.title = '商品名称最多 60 个字';
  // 多规格: price and stock are each SKU's (the request's priceFen is the lowest, which the server derives anyway).
  const table = f.sku.multi ? checkSkuDraft(f.sku, loaded) : null;
  const price = table ? ('lowestFen' in table ? table.lowestFen : 1) : parseYuan(f.price);
  if (!(price > 0)) p.price = '价格请填写大于 0 的金额，最多两位小数';
  const stock = parseCount(f.stock);
  if (!table && Number.isNaN(stock)) p.stock = '库存请填写整数';
  const sort = /^-?\d+$/.test(f.sort.trim()) ? Number(f.sort.trim()) : NaN;
  if (!(sort >= -10_000 && sort <= 10_000)) p.sort = '排序请填写 -10000 到 10000 的整数';
  const images = imagesOf(f);
  if (images.some((u) => !IMAGE.test(u))) p.images = '图片请填写 http(s) 链接、以 / 开头的路径或 cloud:// 文件，每行一个';
  else if (images.length > 9) p.images = '最多 9 张图片';
  else if (f.onSale && images.length === 0) p.images = '上架的商品至少需要一张图片';
  const sku: SkuProblems = table && 'problems' in table ? table.problems : { rows: {} };
  if (Object.keys(p).length || (table && 'problems' in table)) return { input: null, problems: p, sku };
  // Back to 单规格 from SKUs: the server needs the one stock to keep, whether or not the number was edited.
  const toSingle = !table && (loaded?.skus?.length ?? 0) > 0;
  const stockPart = table ? {} : loaded && stock === loaded.stock && !toSingle ? {} : { stock };
  const skuPart = table && 'skus' in table ? { options: table.options, skus: table.skus } : toSingle ? { options: [], skus: [] } : {};
  return {
    input: {
      // With the revision the product was opened at: an edit (or 上架/下架, 归档) made elsewhere since is not overwritten.
      // A new one is created with its first revision, so the list's switches count from the start.
      ...(loaded ? { id: loaded.id, rev: loaded.rev ?? 0 } : { rev: 0 }),
      title,
      description: f.description,
      images,
      priceFen: price,
      ...stockPart,
      onSale: f.onSale,
      sort,
      categoryId: f.categoryId,
      ...skuPart,
    },
    problems: p,
    sku,
  };
}

/** `categories` null while they load (or failed): the chosen one is not called removed on that account. */
function CategoryPicker({ categories, value, onChange }: { categories: ProductCategory[] | null; value: string | null; onChange: (id: string | null) => void }) {
  const known = value === null || categories === null || categories.some((c) => c.id === value);
  return (
    <View className='m-actions product-form__categories'>
      <Text className={`m-chip product-category product-category--none${value === null ? ' m-chip--on' : ''}`} onClick={() => onChange(null)}>
        未分类
      </Text>
      {(categories ?? []).map((c) => (
        <Text key={c.id} className={`m-chip product-category${value === c.id ? ' m-chip--on' : ''}`} onClick={() => onChange(c.id)}>
          {c.name}
        </Text>
      ))}
      {!known && <Text className='m-chip m-chip--on product-category product-category--gone'>分类已删除</Text>}
    </View>
  );
}

export default function ProductEditPage() {
  const { params } = useRouter();
  const id = params.id;
  const loaded = useRemote(() => (id ? callFunction('merchant', 'getProduct', { id }) : Promise.resolve(null)), [id]);
  const categories = useRemote(() => callFunction('merchant', 'getCategories', {}), []);
  useEffect(() => {
    // One page for both: the bar says which (its config's title is 编辑商品).
    if (!id) void Taro.setNavigationBarTitle({ title: '新建商品' }).catch(() => undefined);
  }, [id]);
  const [form, setForm] = useState<Form>(EMPTY);
  /** A server refusal; the form's own problems show next to their fields. */
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  // A problem shows once its field was changed, or on 保存 (a new form does not open covered in red).
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState(false);

  useEffect(() => {
    if (loaded.state.status === 'ready' && loaded.state.data) setForm(fromProduct(loaded.state.data));
  }, [loaded.state]);

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched((t) => new Set([...t, ...Object.keys(patch)]));
  };
  const product = loaded.state.status === 'ready' ? loaded.state.data : null;
  const { input, problems: all, sku: skuAll } = check(form, product);
  const problems = attempted ? all : Object.fromEntries(Object.entries(all).filter(([k]) => touched.has(k)));
  const skuProblems: SkuProblems = attempted
    ? skuAll
    : { options: touched.has('options') ? skuAll.options : undefined, rows: Object.fromEntries(Object.entries(skuAll.rows).filter(([k]) => touched.has(`sku:${k}`))) };
  const setSku = (sku: SkuDraft, keys: string[]) => {
    setForm((f) => ({ ...f, sku }));
    setTouched((t) => new Set([...t, ...keys]));
  };
  const images = imagesOf(form);

  const save = async () => {
    if (saving) return;
    setAttempted(true);
    setError('');
    if (!input) return;
    setSaving(true);
    try {
      await callFunction('merchant', 'saveProduct', input);
      await Taro.showToast({ title: '已保存', icon: 'success' });
      void Taro.navigateBack();
    } catch (err) {
      setError(errorMessage(err));
      if (isStaleEdit(err)) {
        // The product as it is now, in the form (the message stays below it).
        setTouched(new Set());
        setAttempted(false);
        await loaded.refresh();
      }
    } finally {
      setSaving(false);
    }
  };

  if (loaded.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (loaded.state.status === 'error') return <AppShell className='m-page'><ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} /></AppShell>;

  return (
    <AppShell className='m-page product-edit-page'>
      <View className='card'>
        <InputField label='商品名称' name='title' error={problems.title} className='product-form__title' value={form.title} maxlength={60} placeholder='如：明前龙井 250g' onInput={(title) => set({ title })} />
        {!form.sku.multi && (
          <>
            <InputField label='价格（元）' name='price' error={problems.price} className='product-form__price' type='digit' value={form.price} placeholder='0.00' onInput={(price) => set({ price })} />
            <InputField label='库存' name='stock' error={problems.stock} hint={product ? '下单会随时占用库存；不改这一项，保存时不会动它' : undefined} className='product-form__stock' type='number' value={form.stock} onInput={(stock) => set({ stock })} />
          </>
        )}
        <Field label='分类' name='categoryId' hint={categories.state.status === 'ready' && categories.state.data.categories.length === 0 ? '在「商品分类」里添加分类后可选择' : undefined}>
          <CategoryPicker categories={categories.state.status === 'ready' ? categories.state.data.categories : null} value={form.categoryId} onChange={(categoryId) => set({ categoryId })} />
        </Field>
        <InputField label='排序' name='sort' error={problems.sort} hint='数字大的在首页靠前' className='product-form__sort' type='text' value={form.sort} onInput={(sort) => set({ sort })} />
        <Field label='上架销售' name='onSale'>
          <Switch className='product-form__onsale' checked={form.onSale} color='#e4393c' onChange={(e) => set({ onSale: e.detail.value })} />
        </Field>
        <Field label='商品介绍' name='description'>
          <Textarea className='m-input product-form__description' value={form.description} maxlength={1000} onInput={(e) => set({ description: e.detail.value })} />
        </Field>
        <Field label='图片' name='images' error={problems.images} hint='上传或每行填一个链接，第一张为主图'>
          <ImageManager images={images} onChange={(list) => set({ images: list.join('\n') })} />
          <Textarea className='m-input product-form__images' value={form.images} placeholder='https://… 或 cloud://…' onInput={(e) => set({ images: e.detail.value })} />
        </Field>
      </View>
      <SkuEditor draft={form.sku} onChange={setSku} problems={skuProblems} editing={!!product} />
      <View className='card'>
        {error && <Text className='form-error product-form__error'>{error}</Text>}
        <View className={`primary-button product-form__save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {saving ? '保存中…' : id ? '保存修改' : '创建商品'}
        </View>
      </View>
    </AppShell>
  );
}
