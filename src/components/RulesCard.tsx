import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './RulesCard.css';

/** A titled list of rule lines (rebate or assist), shown in full before any action. */
interface Props {
  title: string;
  summary?: string;
  lines: string[];
  className?: string;
  children?: ReactNode;
}

export default function RulesCard({ title, summary, lines, className = '', children }: Props) {
  return (
    <View className={`card rules ${className}`}>
      <Text className='card__title'>{title}</Text>
      {summary && <Text className='rules__summary'>{summary}</Text>}
      {lines.map((line) => (
        <Text key={line} className='rules__line'>
          {line}
        </Text>
      ))}
      {children}
    </View>
  );
}
