/** Shipping text for the merchant: the full address to copy and a packing list (装箱单) per order. Pure, unit-tested. */
import type { OrderView } from '../../../types/api';
import type { ShippingAddress } from '../../../types/models';
import { shanghaiMinute } from '../../../types/time';

/** "张三 13812345678 广东省 深圳市 南山区 科技园路1号": what a courier form wants, full phone (the merchant ships with it). */
export function fullAddressText(a: ShippingAddress): string {
  return [a.name, a.phone, a.province, a.city, a.district, a.detail].map((s) => (s ?? '').trim()).filter(Boolean).join(' ');
}

export interface PackingList {
  orderNo: string;
  date: string;
  recipient: string;
  phone: string;
  address: string;
  lines: { title: string; spec: string; quantity: number }[];
  totalQuantity: number;
}

/** The packing list of one order: number, Beijing-time date, recipient, address and every line with spec and quantity. */
export function packingList(o: OrderView): PackingList {
  const a = o.address;
  // `spec` (规格, e.g. '红 / M') is on lines bought since SKUs exist; read structurally so older orders show none.
  const lines = o.items.map((i) => ({ title: i.title, spec: ((i as { spec?: string }).spec ?? '').trim(), quantity: i.quantity }));
  return {
    orderNo: o.orderNo ?? o.id,
    date: shanghaiMinute(o.paidAt ?? o.createdAt),
    recipient: a.name,
    phone: a.phone,
    address: [a.province, a.city, a.district, a.detail].map((s) => (s ?? '').trim()).filter(Boolean).join(' '),
    lines,
    totalQuantity: lines.reduce((n, l) => n + l.quantity, 0),
  };
}

/** The packing list as plain text (weapp has no printing: the merchant copies it into a printer app or a chat). */
export function packingListText(p: PackingList): string {
  return [
    '装箱单',
    `订单号：${p.orderNo}`,
    `下单时间：${p.date}`,
    `收件人：${p.recipient} ${p.phone}`,
    `地址：${p.address}`,
    '商品：',
    ...p.lines.map((l) => `  ${l.title}${l.spec ? `（${l.spec}）` : ''} ×${l.quantity}`),
    `合计件数：${p.totalQuantity}`,
  ].join('\n');
}
