/**
 * 所在地区: province, city and district picked from a list, never typed. weapp: WeChat's own picker mode="region".
 * h5: Taro 4.2.1's h5 Picker has no region mode (it throws), so a sheet of three lists (省 → 市 → 区) over the same
 * GB/T 2260 names, loaded on first open as its own chunk.
 */
import { Picker, ScrollView, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import './RegionPicker.css';

export type Region = [string, string, string];

export interface ProvinceNode {
  name: string;
  cities: { name: string; districts: string[] }[];
}

/** `省>市:区,区;市:区` per line → a tree. */
export function parseRegions(text: string): ProvinceNode[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, rest] = line.split('>');
      return {
        name,
        cities: rest.split(';').map((city) => {
          const [cityName, districts] = city.split(':');
          return { name: cityName, districts: districts ? districts.split(',') : [cityName] };
        }),
      };
    });
}

let regions: Promise<ProvinceNode[]> | null = null;
function loadRegions(): Promise<ProvinceNode[]> {
  if (process.env.TARO_ENV === 'h5') {
    if (!regions) {
      regions = import('./data').then((m) => parseRegions(m.REGIONS_TEXT));
      regions.catch(() => (regions = null));
    }
    return regions;
  }
  return Promise.reject(new Error('weapp uses picker mode="region"'));
}

interface Props {
  value: Region | null;
  onChange: (value: Region) => void;
  className: string;
  placeholder?: string;
}

export default function RegionPicker({ value, onChange, className, placeholder = '选择省 / 市 / 区' }: Props) {
  const [open, setOpen] = useState(false);
  const label = value ? (
    <Text className='region-picker__value'>{value.join(' ')}</Text>
  ) : (
    <Text className='region-picker__placeholder'>{placeholder}</Text>
  );
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Picker mode='region' className={`region-picker ${className}`} value={value ?? []} onChange={(e) => onChange(e.detail.value as Region)}>
        <View className='region-picker__field'>
          {label}
          <Text className='region-picker__arrow'>›</Text>
        </View>
      </Picker>
    );
  }
  return (
    <>
      <View className={`region-picker ${className}`} onClick={() => setOpen(true)}>
        <View className='region-picker__field'>
          {label}
          <Text className='region-picker__arrow'>›</Text>
        </View>
      </View>
      {open && (
        <RegionSheet
          initial={value}
          onClose={() => setOpen(false)}
          onPick={(picked) => {
            setOpen(false);
            onChange(picked);
          }}
        />
      )}
    </>
  );
}

function RegionSheet({ initial, onClose, onPick }: { initial: Region | null; onClose: () => void; onPick: (r: Region) => void }) {
  const [tree, setTree] = useState<ProvinceNode[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [province, setProvince] = useState<string | null>(initial?.[0] ?? null);
  const [city, setCity] = useState<string | null>(initial?.[1] ?? null);
  const [level, setLevel] = useState<0 | 1 | 2>(initial ? 2 : 0);
  useEffect(() => {
    loadRegions().then(setTree, () => setFailed(true));
  }, []);

  const p = tree?.find((x) => x.name === province) ?? null;
  const c = p?.cities.find((x) => x.name === city) ?? null;
  const options = !tree ? [] : level === 0 ? tree.map((x) => x.name) : level === 1 ? (p?.cities.map((x) => x.name) ?? []) : (c?.districts ?? []);
  const chosen = level === 0 ? province : level === 1 ? city : initial?.[2];
  const pick = (name: string) => {
    if (level === 0) {
      setProvince(name);
      setCity(null);
      setLevel(1);
    } else if (level === 1) {
      setCity(name);
      setLevel(2);
    } else if (province && city) {
      onPick([province, city, name]);
    }
  };
  const tab = (n: 0 | 1 | 2, text: string | null) => (
    <Text className={`region-sheet__tab${level === n ? ' region-sheet__tab--on' : ''}`} onClick={() => setLevel(n)}>
      {text ?? '请选择'}
    </Text>
  );

  return (
    <View className='sheet-mask region-sheet' onClick={onClose}>
      <View className='sheet region-sheet__body' onClick={(e) => e.stopPropagation()}>
        <Text className='sheet__title'>选择所在地区</Text>
        <View className='region-sheet__tabs'>
          {tab(0, province)}
          {province && tab(1, city)}
          {city && tab(2, null)}
        </View>
        <ScrollView scrollY className='region-sheet__list'>
          {failed && <Text className='form-error'>地区列表加载失败，请关闭后重试</Text>}
          {!tree && !failed && <Text className='muted'>加载中…</Text>}
          {options.map((name) => (
            <View key={name} className={`region-sheet__option${chosen === name ? ' region-sheet__option--on' : ''}`} onClick={() => pick(name)}>
              {name}
            </View>
          ))}
        </ScrollView>
      </View>
    </View>
  );
}
