/** 选择规格: which values can still be picked and which SKU a full choice names (pure; the sheet renders it). */
import type { SkuView } from '../../../../types/api';

export type SpecOption = { name: string; values: string[] };
/** Option name → the value picked (absent = not yet). */
export type SpecChoice = Record<string, string>;

const matches = (sku: SkuView, choice: SpecChoice, except?: string) =>
  Object.entries(choice).every(([name, value]) => name === except || sku.spec[name] === value);

/**
 * A value is open when some SKU in stock has it and agrees with what is picked in the other options: a value that
 * leads only to sold-out SKUs cannot be picked.
 */
export function valueOpen(skus: SkuView[], choice: SpecChoice, option: string, value: string): boolean {
  return skus.some((s) => s.stock > 0 && s.spec[option] === value && matches(s, choice, option));
}

/** The SKU once every option has a value, else null. */
export function skuFor(options: SpecOption[], skus: SkuView[], choice: SpecChoice): SkuView | null {
  if (!options.every((o) => choice[o.name] !== undefined)) return null;
  return skus.find((s) => options.every((o) => s.spec[o.name] === choice[o.name])) ?? null;
}

/** Picking a value again clears it; picking another replaces it. */
export function toggleValue(choice: SpecChoice, option: string, value: string): SpecChoice {
  const { [option]: current, ...rest } = choice;
  return current === value ? rest : { ...rest, [option]: value };
}

/** The options still missing a value, for the sheet's hint ('请选择 尺码'). */
export function missingOptions(options: SpecOption[], choice: SpecChoice): string[] {
  return options.filter((o) => choice[o.name] === undefined).map((o) => o.name);
}
