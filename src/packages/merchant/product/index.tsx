/** 新建 / 编辑商品: title, description, price, stock, images (URLs; the first is the cover), on sale. ?id= to edit. */
import { Input, Switch, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { fenInput, parseCount, parseYuan } from '../format';
import ProductImage from '../../../components/ProductImage';
import '../merchant.css';

interface Form {
  title: string;
  description: string;
  price: string;
  stock: string;
  images: string;
  onSale: boolean;
}

const EMPTY: Form = { title: '', description: '', price: '', stock: '0', images: '', onSale: true };

/** What is wrong with the form, in words; null when it can be saved. */
function productProblem(f: Form): string | null {
  if (!f.title.trim()) return '请填写商品名称';
  if (!(parseYuan(f.price) > 0)) return '价格请填写大于 0 的金额，最多两位小数';
  if (Number.isNaN(parseCount(f.stock))) return '库存请填写整数';
  const images = f.images.split(/\s+/).filter(Boolean);
  if (images.some((u) => !/^(https?:\/\/\S+|\/[A-Za-z0-9_./-]+)$/.test(u))) return '图片请填写 http(s) 链接或以 / 开头的路径，每行一个';
  if (f.onSale && images.length === 0) return '上架的商品至少需要一张图片';
  return null;
}

export default function ProductEditPage() {
  const { params } = useRouter();
  const id = params.id;
  const loaded = useRemote(() => (id ? callFunction('merchant', 'getProduct', { id }) : Promise.resolve(null)), [id]);
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded.state.status !== 'ready' || !loaded.state.data) return;
    const p = loaded.state.data;
    setForm({ title: p.title, description: p.description, price: fenInput(p.priceFen), stock: String(p.stock), images: p.images.join('\n'), onSale: p.onSale });
  }, [loaded.state]);

  // A refusal shown for the form clears as soon as the field it named is fixed (a server's message stays).
  const set = (patch: Partial<Form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    if (error && error === productProblem(form) && productProblem(next) !== error) setError('');
  };
  const images = form.images.split(/\s+/).filter(Boolean);

  const save = async () => {
    const problem = productProblem(form);
    setError(problem ?? '');
    if (problem || saving) return;
    setSaving(true);
    try {
      await callFunction('merchant', 'saveProduct', {
        ...(id ? { id } : {}),
        title: form.title.trim(),
        description: form.description,
        images,
        priceFen: parseYuan(form.price),
        stock: parseCount(form.stock),
        onSale: form.onSale,
      });
      await Taro.showToast({ title: '已保存', icon: 'success' });
      void Taro.navigateBack();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  if (loaded.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (loaded.state.status === 'error') return <AppShell className='m-page'><ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} /></AppShell>;

  return (
    <AppShell className='m-page product-edit-page'>
      <View className='card'>
        <View className='m-field'>
          <Text className='m-field__label'>商品名称</Text>
          <Input className='m-input product-form__title' value={form.title} placeholder='如：明前龙井 250g' onInput={(e) => set({ title: e.detail.value })} />
        </View>
        <View className='m-field'>
          <Text className='m-field__label'>价格（元）</Text>
          <Input className='m-input product-form__price' type='digit' value={form.price} placeholder='0.00' onInput={(e) => set({ price: e.detail.value })} />
        </View>
        <View className='m-field'>
          <Text className='m-field__label'>库存</Text>
          <Input className='m-input product-form__stock' type='number' value={form.stock} onInput={(e) => set({ stock: e.detail.value })} />
        </View>
        <View className='m-field'>
          <Text className='m-field__label'>上架销售</Text>
          <Switch className='product-form__onsale' checked={form.onSale} color='#e4393c' onChange={(e) => set({ onSale: e.detail.value })} />
        </View>
        <View className='m-field'>
          <Text className='m-field__label'>商品介绍</Text>
          <Textarea className='m-input product-form__description' value={form.description} maxlength={1000} onInput={(e) => set({ description: e.detail.value })} />
        </View>
        <View className='m-field'>
          <Text className='m-field__label'>图片链接</Text>
          <Textarea className='m-input product-form__images' value={form.images} placeholder='每行一个，第一张为封面' onInput={(e) => set({ images: e.detail.value })} />
        </View>
        {images.length > 0 && (
          <View className='m-actions'>
            {images.slice(0, 9).map((u) => (
              <ProductImage key={u} className='thumb' src={u} />
            ))}
          </View>
        )}
        {error && <Text className='form-error product-form__error'>{error}</Text>}
      </View>
      <View className='card'>
        <View className={`primary-button product-form__save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {saving ? '保存中…' : id ? '保存修改' : '创建商品'}
        </View>
      </View>
    </AppShell>
  );
}
