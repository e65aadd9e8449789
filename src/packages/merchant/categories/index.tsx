/**
 * 商品分类: the tabs shoppers see on the 首页, in order (at most 12, names of up to 6 characters, unique). Each row shows
 * how many products hold it; a category products still hold cannot be removed here (move them in the product editor
 * first) — the server refuses it too (CATEGORY_IN_USE) and writes nothing. Saved as a list (merchant.saveCategories);
 * a new row has no id until the server gives it one, so renaming never touches the products.
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ProductCategoryInput } from '../../../../types/modules/store.api';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { useSubmission } from '../../../hooks/useSubmission';
import { callFunction, isStaleEdit } from '../../../services/cloud';
import { Field } from '../components/Field';
import '../merchant.css';

const MAX = 12;
const NAME_MAX = 6;

interface Row extends ProductCategoryInput {
  /** Products holding it when the page loaded (0 for a new row). */
  products: number;
}

/** The problem of each row's name, by index. */
export function categoryProblems(rows: readonly { name: string }[]): Record<number, string> {
  const out: Record<number, string> = {};
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const name = r.name.trim();
    if (!name) out[i] = '请填写分类名称';
    else if (name.length > NAME_MAX) out[i] = `分类名称最多 ${NAME_MAX} 个字`;
    else if (seen.has(name)) out[i] = '分类名称重复了';
    seen.add(name);
  });
  return out;
}

export default function CategoriesPage() {
  const loaded = useRemote(() => callFunction('merchant', 'getCategories', {}), []);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [rev, setRev] = useState(0);
  const [problems, setProblems] = useState<Record<number, string>>({});
  const { busy, error, run } = useSubmission();

  useEffect(() => {
    if (loaded.state.status !== 'ready') return;
    setRows(loaded.state.data.categories);
    setRev(loaded.state.data.rev ?? 0);
  }, [loaded.state]);

  if (loaded.state.status === 'loading' || (loaded.state.status === 'ready' && !rows)) return <Loading />;
  if (loaded.state.status === 'error') return <ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} />;
  const list = rows!;
  const rename = (i: number, name: string) => {
    setRows(list.map((r, j) => (j === i ? { ...r, name } : r)));
    setProblems({});
  };
  const move = (i: number, to: number) => {
    if (to < 0 || to >= list.length) return;
    const next = [...list];
    const [r] = next.splice(i, 1);
    next.splice(to, 0, r);
    setRows(next);
    setProblems({});
  };
  const remove = (i: number) => {
    if (list[i].products > 0) {
      void Taro.showToast({ title: `还有 ${list[i].products} 件商品，请先移到其他分类`, icon: 'none' });
      return;
    }
    setRows(list.filter((_, j) => j !== i));
    setProblems({});
  };

  const save = async () => {
    if (busy) return;
    const found = categoryProblems(list);
    setProblems(found);
    if (Object.keys(found).length) return;
    await run('submit', async () => {
      try {
        const saved = await callFunction('merchant', 'saveCategories', { categories: list.map((r) => ({ id: r.id, name: r.name.trim() })), rev });
        const counts = new Map(list.filter((r) => r.id).map((r) => [r.id, r.products]));
        setRows(saved.categories.map((c) => ({ ...c, products: counts.get(c.id) ?? 0 })));
        setRev(saved.rev ?? rev + 1);
        void Taro.showToast({ title: '已保存', icon: 'none' });
      } catch (err) {
        // Changed on another device since this list was read (a category added there would be dropped): load it again.
        if (isStaleEdit(err)) await loaded.refresh();
        throw err;
      }
    });
  };

  return (
    <AppShell className='m-page categories-page'>
      <View className='card'>
        <Text className='m-note categories-note'>首页按这里的顺序显示分类，最多 {MAX} 个。商品在「编辑商品」里选择分类。</Text>
      </View>
      {list.length === 0 && (
        <View className='card'>
          <Text className='m-note categories-empty'>还没有分类，首页只显示「全部」</Text>
        </View>
      )}
      {list.length > 0 && (
        <View className='card categories-list'>
          {list.map((r, i) => (
            <View key={r.id ?? `new-${i}`} className='category-row'>
              <Field label={`分类 ${i + 1}`} name={`category-${i}`} error={problems[i]} hint={r.id ? `${r.products} 件商品` : '新分类'}>
                <Input className={`m-input category-row__name category-row__name--${i}`} value={r.name} maxlength={NAME_MAX} placeholder='如 茶叶' onInput={(e) => rename(i, e.detail.value)} />
              </Field>
              <View className='m-actions'>
                <Text className='m-chip category-row__up' onClick={() => move(i, i - 1)}>
                  上移
                </Text>
                <Text className='m-chip category-row__down' onClick={() => move(i, i + 1)}>
                  下移
                </Text>
                <Text className={`m-chip category-row__remove${r.products > 0 ? ' m-chip--off' : ''}`} onClick={() => remove(i)}>
                  删除
                </Text>
              </View>
            </View>
          ))}
        </View>
      )}
      <View className='card'>
        {list.length < MAX && (
          <View className='ghost-button categories-add' onClick={() => setRows([...list, { id: null, name: '', products: 0 }])}>
            + 添加分类
          </View>
        )}
        {error && <Text className='form-error categories-error'>{error}</Text>}
        <View className={`primary-button categories-save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {busy ? '保存中…' : '保存'}
        </View>
      </View>
    </AppShell>
  );
}
