/**
 * 用户详情's purchases (orders, refunds, addresses with masked phones) and the 报表 for a range of Shanghai days:
 * sales per product and top inviters, from the orders, refunds, referrals and rewards of the range (paged reads).
 */
import type { OrderDoc } from '../../../types/models';
import type { MerchantUserPurchases, SalesReportInput, SalesReportView } from '../../../types/modules/merchantReports.api';
import type { Fen } from '../../../types/money';
import { reportRange } from '../../../types/reportRange';
import { maskPhone, productSales, ReportOrderLine, topInviters } from '../../domain/merchantReports';
import { collection, type CollectionName, type Query } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { openAddress } from '../../infra/personalData';
import { loadSettings } from '../wallet/settings';

const LATEST = 20;
const PAGE = 1000;
/** At most this many documents of one kind in a report (100 pages); a shop past it needs the aggregate counters. */
const MAX_DOCS = 100_000;

const shortOrderNo = (o: { _id: string; orderNo?: string }) => o.orderNo ?? o._id.slice(-8);

export async function userPurchases(ctx: Ctx, input: { openid: string }): Promise<MerchantUserPurchases> {
  const [user, orders, refunds, addresses] = await Promise.all([
    collection(ctx.db, 'users').doc(input.openid).field({ _id: true }).get(),
    collection(ctx.db, 'orders').where({ buyerId: input.openid }).orderBy('createdAt', 'desc').limit(LATEST)
      .field({ orderNo: true, createdAt: true, items: true, payableFen: true, status: true, refundStatus: true }).get(),
    collection(ctx.db, 'refunds').where({ buyerId: input.openid }).orderBy('requestedAt', 'desc').limit(LATEST).get(),
    collection(ctx.db, 'addresses').where({ ownerId: input.openid }).limit(LATEST).get(),
  ]);
  if (!user.data?.length) throw new AppError('USER_NOT_FOUND');
  const refundDocs = refunds.data;
  const nos = new Map(orders.data.map((o) => [o._id, shortOrderNo(o)]));
  const missing = refundDocs.map((r) => r.orderId).filter((id) => !nos.has(id));
  if (missing.length) {
    const more = await collection(ctx.db, 'orders').where({ _id: ctx.db.command.in(missing) }).field({ orderNo: true }).limit(LATEST).get();
    for (const o of more.data) nos.set(o._id, shortOrderNo(o));
  }
  return {
    orders: orders.data.map((o) => ({
      id: o._id,
      orderNo: shortOrderNo(o),
      createdAt: o.createdAt.toISOString(),
      items: o.items.map((i) => ({ title: i.title, spec: i.spec ?? '', quantity: i.quantity, subtotalFen: i.subtotalFen })),
      payableFen: o.payableFen,
      status: o.status,
      refundStatus: o.refundStatus ?? null,
    })),
    refunds: refundDocs.map((r) => ({
      orderId: r.orderId,
      orderNo: nos.get(r.orderId) ?? r.orderId.slice(-8),
      amountFen: r.amountFen,
      status: r.status,
      reason: r.reason,
      requestedAt: r.requestedAt.toISOString(),
    })),
    addresses: addresses.data
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.updatedAt.getTime() - a.updatedAt.getTime())
      .map(openAddress)
      .map((a) => ({ id: a._id, name: a.name, phoneMasked: maskPhone(a.phone), province: a.province, city: a.city, district: a.district, detail: a.detail, isDefault: a.isDefault })),
  };
}

/** Every document the query matches, 1000 a read, in `_id` order (a stable order for skip), up to MAX_DOCS; each has `_id` and `fields`. */
async function readAll<T, F extends Record<string, true>>(query: Query<T>, fields: F) {
  const read = (skip: number) => query.field({ _id: true, ...fields }).orderBy('_id', 'asc').skip(skip).limit(PAGE).get();
  const out: Awaited<ReturnType<typeof read>>['data'] = [];
  for (let skip = 0; skip < MAX_DOCS; skip += PAGE) {
    const page = (await read(skip)).data;
    out.push(...page);
    if (page.length < PAGE) break;
  }
  return out;
}

async function ordersById(ctx: Ctx, ids: string[]): Promise<Map<string, Pick<OrderDoc, '_id' | 'items'>>> {
  const out = new Map<string, Pick<OrderDoc, '_id' | 'items'>>();
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const res = await collection(ctx.db, 'orders').where({ _id: ctx.db.command.in(chunk) }).field({ items: true }).limit(PAGE).get();
    for (const o of res.data) out.set(o._id, o);
  }
  return out;
}

const lines = (o: Pick<OrderDoc, 'items'>): ReportOrderLine[] => o.items.map((i) => ({ productId: i.productId, title: i.title, quantity: i.quantity, subtotalFen: i.subtotalFen }));

export async function salesReport(ctx: Ctx, input: SalesReportInput): Promise<SalesReportView> {
  const range = reportRange(input.startDay, input.endDay);
  if (!range) throw new AppError('REPORT_RANGE_INVALID');
  const _ = ctx.db.command;
  const within = _.gte(range.start).and(_.lt(range.end));
  const q = <K extends CollectionName>(name: K, where: object) => collection(ctx.db, name).where(where);
  const [paid, refunds, conversions, rewards, settings] = await Promise.all([
    readAll(q('orders', { paidAt: within }), { items: true, payableFen: true }),
    readAll(q('refunds', { status: 'refunded', refundedAt: within }), { orderId: true, amountFen: true }),
    readAll(q('referrals', { status: 'converted', 'conversion.at': within }), { inviterId: true }),
    readAll(q('rewards', { createdAt: within }), { userId: true, form: true, amount: true, status: true }),
    loadSettings(ctx),
  ]);
  const refundedOrders = await ordersById(ctx, refunds.map((r) => r.orderId));
  const products = productSales(
    paid.map((o) => ({ payableFen: o.payableFen, items: lines(o) })),
    refunds.filter((r) => refundedOrders.has(r.orderId)).map((r) => ({ amountFen: r.amountFen, items: lines(refundedOrders.get(r.orderId)!) })),
  );
  const inviters = topInviters(conversions, rewards, settings.pointsPerYuan);
  if (inviters.length) {
    const names = await collection(ctx.db, 'users').where({ _id: _.in(inviters.map((i) => i.openid)) }).field({ nickname: true }).limit(inviters.length).get();
    const byId = new Map(names.data.map((u) => [u._id, u.nickname]));
    for (const i of inviters) i.nickname = byId.get(i.openid) ?? '';
  }
  const sum = (f: (p: (typeof products)[number]) => number) => products.reduce((a, p) => a + f(p), 0);
  return {
    startDay: input.startDay,
    endDay: input.endDay,
    days: range.days,
    products,
    totals: { orders: paid.length, units: sum((p) => p.units), paidFen: sum((p) => p.paidFen) as Fen, refundedFen: refunds.reduce((a, r) => a + r.amountFen, 0) as Fen },
    inviters,
    pointsPerYuan: settings.pointsPerYuan,
    asOf: ctx.clock.now().toISOString(),
  };
}
