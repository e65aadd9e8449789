/**
 * 规格 on the product editor: 单规格 (the price and stock fields above) or 多规格 — up to 2 options, each a name and its
 * values as chips (added from a box that takes several at once: 红，蓝), and a table of every combination with its
 * 价格（元） and 库存, plus 批量设置 to fill them all. Controlled: the page keeps the draft (skuTable.ts) and checks it.
 */
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { combinations, comboText, EMPTY_ROW, MAX_OPTION_VALUES, MAX_OPTIONS, rowKey, splitValues, type OptionDraft, type RowDraft, type SkuDraft, type SkuProblems } from '../skuTable';
import { parseCount } from '../format';
import { Choice } from './Field';
import './SkuEditor.css';

interface Props {
  draft: SkuDraft;
  /** A change, and what it touched (`options`, `sku:<row key>`): a problem shows once its field was changed. */
  onChange: (draft: SkuDraft, touched: string[]) => void;
  /** Only those to show now. */
  problems: SkuProblems;
  /** Editing a stored product: stocks the merchant leaves alone are not written back. */
  editing: boolean;
}

export default function SkuEditor({ draft, onChange, problems, editing }: Props) {
  /** What is typed in each option's add box, not yet a value. */
  const [pending, setPending] = useState<string[]>([]);
  const [bulk, setBulk] = useState<RowDraft>(EMPTY_ROW);
  const combos = combinations(draft.options);
  const stockTotal = combos.reduce((n, values) => n + (parseCount(draft.rows[rowKey(values)]?.stock ?? '') || 0), 0);

  const setOptions = (options: OptionDraft[]) => onChange({ ...draft, options }, ['options']);
  const setOption = (i: number, patch: Partial<OptionDraft>) => setOptions(draft.options.map((o, k) => (k === i ? { ...o, ...patch } : o)));
  const addValues = (i: number) => {
    const typed = splitValues(pending[i] ?? '');
    if (typed.length === 0) return;
    const values = [...draft.options[i].values];
    for (const v of typed) if (!values.includes(v) && values.length < MAX_OPTION_VALUES) values.push(v);
    setOption(i, { values });
    setPending((p) => Object.assign([...p], { [i]: '' }));
  };
  const setRow = (key: string, patch: Partial<RowDraft>) => onChange({ ...draft, rows: { ...draft.rows, [key]: { ...(draft.rows[key] ?? EMPTY_ROW), ...patch } } }, [`sku:${key}`]);
  const applyBulk = () => {
    if (!bulk.price.trim() && !bulk.stock.trim()) return;
    const rows = { ...draft.rows };
    for (const values of combos) {
      const key = rowKey(values);
      rows[key] = { price: bulk.price.trim() ? bulk.price.trim() : (rows[key]?.price ?? ''), stock: bulk.stock.trim() ? bulk.stock.trim() : (rows[key]?.stock ?? '') };
    }
    onChange({ ...draft, rows }, combos.map((values) => `sku:${rowKey(values)}`));
  };
  const pickMode = (mode: 'single' | 'multi') => {
    const multi = mode === 'multi';
    onChange({ ...draft, multi, options: multi && draft.options.length === 0 ? [{ name: '', values: [] }] : draft.options }, []);
  };

  return (
    <View className='card sku-editor'>
      <Text className='m-section'>规格</Text>
      <Choice name='sku-mode' value={draft.multi ? 'multi' : 'single'} options={[['single', '单规格'], ['multi', '多规格']]} onPick={pickMode} />
      {draft.multi && (
        <View className='sku-editor__body'>
          {draft.options.map((o, i) => (
            <View key={i} className={`sku-option sku-option-${i}`}>
              <View className='m-field'>
                <Text className='m-field__label'>{`规格 ${i + 1}`}</Text>
                <Input className={`m-input sku-option__name sku-option__name-${i}`} value={o.name} maxlength={10} placeholder={i === 0 ? '如：颜色' : '如：尺码'} onInput={(e) => setOption(i, { name: e.detail.value })} />
                <Text className={`sku-option__remove sku-option__remove-${i}`} onClick={() => setOptions(draft.options.filter((_, k) => k !== i))}>
                  删除
                </Text>
              </View>
              <View className='sku-values'>
                {o.values.map((v, j) => (
                  <View key={v} className={`m-chip sku-value sku-value-${i}-${j}`}>
                    <Text>{v}</Text>
                    <Text className={`sku-value__remove sku-value__remove-${i}-${j}`} onClick={() => setOption(i, { values: o.values.filter((_, k) => k !== j) })}>
                      ×
                    </Text>
                  </View>
                ))}
              </View>
              <View className='sku-option__adder'>
                <Input
                  className={`m-input sku-option__new sku-option__new-${i}`}
                  value={pending[i] ?? ''}
                  maxlength={200}
                  placeholder='规格值，多个用逗号隔开：红，蓝'
                  confirmType='done'
                  onInput={(e) => setPending((p) => Object.assign([...p], { [i]: e.detail.value }))}
                  onConfirm={() => addValues(i)}
                  onBlur={() => addValues(i)}
                />
                <Text className={`m-btn sku-option__add sku-option__add-${i}`} onClick={() => addValues(i)}>
                  添加
                </Text>
              </View>
            </View>
          ))}
          {draft.options.length < MAX_OPTIONS && (
            <View className='m-actions'>
              <Text className='m-btn sku-editor__add-option' onClick={() => setOptions([...draft.options, { name: '', values: [] }])}>
                + 添加规格
              </Text>
            </View>
          )}
          {problems.options && <Text className='m-field__error sku-editor__error field-error--options'>{problems.options}</Text>}
          {combos.length > 0 && (
            <View className='sku-table'>
              <View className='sku-row sku-row--head'>
                <Text className='sku-row__spec'>规格</Text>
                <Text className='sku-row__cell'>价格（元）</Text>
                <Text className='sku-row__cell'>库存</Text>
                {combos.length > 1 && <Text className='sku-row__pad' />}
              </View>
              {combos.length > 1 && (
                <View className='sku-row sku-row--bulk'>
                  <Text className='sku-row__spec'>批量设置</Text>
                  <Input className='m-input sku-row__cell sku-bulk__price' type='digit' value={bulk.price} placeholder='价格' onInput={(e) => setBulk((b) => ({ ...b, price: e.detail.value }))} />
                  <Input className='m-input sku-row__cell sku-bulk__stock' type='number' value={bulk.stock} placeholder='库存' onInput={(e) => setBulk((b) => ({ ...b, stock: e.detail.value }))} />
                  <Text className='sku-bulk__apply' onClick={applyBulk}>
                    填入
                  </Text>
                </View>
              )}
              {combos.map((values, n) => {
                const key = rowKey(values);
                const row = draft.rows[key] ?? EMPTY_ROW;
                const error = problems.rows[key];
                return (
                  <View key={key} className={`sku-row-wrap${error ? ' m-field-wrap--error' : ''}`}>
                    <View className={`sku-row sku-row-${n}`}>
                      <Text className='sku-row__spec'>{comboText(values)}</Text>
                      <Input className={`m-input sku-row__cell sku-price-${n}`} type='digit' value={row.price} placeholder='0.00' onInput={(e) => setRow(key, { price: e.detail.value })} />
                      <Input className={`m-input sku-row__cell sku-stock-${n}`} type='number' value={row.stock} placeholder='0' onInput={(e) => setRow(key, { stock: e.detail.value })} />
                      {combos.length > 1 && <Text className='sku-row__pad' />}
                    </View>
                    {error && <Text className={`sku-row__error sku-error-${n}`}>{error}</Text>}
                  </View>
                );
              })}
            </View>
          )}
          {combos.length > 0 && <Text className='m-field__hint sku-editor__summary'>{`共 ${combos.length} 个组合，库存合计 ${stockTotal}`}</Text>}
          {editing && <Text className='m-field__hint sku-editor__hint'>下单会随时占用库存；没改的库存，保存时不会动它</Text>}
        </View>
      )}
    </View>
  );
}
