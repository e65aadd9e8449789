/** A labelled form row of the merchant editors, with its hint and, when the value is wrong, the problem right below it. */
import { Input, Text, View } from '@tarojs/components';
import type { InputProps } from '@tarojs/components';
import type { ReactNode } from 'react';

interface FieldProps {
  label: string;
  /** Names the row for tests and styles: `field--<name>`, its problem `field-error--<name>`. */
  name: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}

export function Field({ label, name, error, hint, children }: FieldProps) {
  return (
    <View className={`m-field-wrap field--${name}${error ? ' m-field-wrap--error' : ''}`}>
      <View className='m-field'>
        <Text className='m-field__label'>{label}</Text>
        {children}
      </View>
      {hint && <Text className='m-field__hint'>{hint}</Text>}
      {error && <Text className={`m-field__error field-error--${name}`}>{error}</Text>}
    </View>
  );
}

interface InputFieldProps extends Omit<FieldProps, 'children'> {
  /** The input's own class (`m-input` is added), what tests and the browser run type into. */
  className: string;
  value: string;
  onInput: (value: string) => void;
  type?: InputProps['type'];
  placeholder?: string;
  maxlength?: number;
  disabled?: boolean;
}

/** A Field holding one text input. */
export function InputField({ className, value, onInput, type, placeholder, maxlength, disabled, ...field }: InputFieldProps) {
  return (
    <Field {...field}>
      <Input className={`m-input ${className}`} type={type} value={value} placeholder={placeholder} maxlength={maxlength} disabled={disabled} onInput={(e) => onInput(e.detail.value)} />
    </Field>
  );
}

/** One of a few options as chips (`<name>-<value>`, the chosen one `m-chip--on`). */
export function Choice<T extends string>({ value, options, onPick, name, disabled }: { value: T; options: [T, string][]; onPick: (v: T) => void; name: string; disabled?: boolean }) {
  return (
    <View className='m-actions'>
      {options.map(([v, label]) => (
        <Text key={v} className={`m-chip ${name}-${v}${value === v ? ' m-chip--on' : ''}${disabled && value !== v ? ' m-chip--off' : ''}`} onClick={() => !disabled && onPick(v)}>
          {label}
        </Text>
      ))}
    </View>
  );
}
