/** Driving the 选择规格 sheet in ui tests: find a value chip, read its state, pick it. */
import { waitFor, type RenderedPage } from './harness';

/** The sheet's value chip showing `value`. */
export const chip = (page: RenderedPage, value: string) => {
  const found = page.all('sku-chip').find((el) => el.textContent === value);
  if (!found) throw new Error(`no chip ${value} (page: ${page.text()})`);
  return found;
};
export const isOff = (el: HTMLElement) => Array.from(el.classList).some((c) => c.endsWith('sku-chip--off'));
export const isOn = (el: HTMLElement) => Array.from(el.classList).some((c) => c.endsWith('sku-chip--on'));
/** Taps a value chip and waits for the sheet to show the new choice. */
export const pick = async (page: RenderedPage, value: string, on = true) => {
  await page.tapElement(chip(page, value));
  await waitFor(() => isOn(chip(page, value)) === on, { what: `${value} ${on ? 'picked' : 'not picked'}` });
};
