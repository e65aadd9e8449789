import { Text, View } from '@tarojs/components';

export default function FilterChips<T extends string>({ value, options, onPick, name }: { value: T; options: [T, string][]; onPick: (v: T) => void; name: string }) {
  return (
    <View className='m-filter'>
      {options.map(([v, label]) => (
        <Text key={v} className={`m-chip ${name}-${v}${value === v ? ' m-chip--on' : ''}`} onClick={() => onPick(v)}>
          {label}
        </Text>
      ))}
    </View>
  );
}
