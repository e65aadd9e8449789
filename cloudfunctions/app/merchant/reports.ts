/**
 * 用户详情's purchases (orders, refunds, addresses with masked phones) and the 报表 for a range of Shanghai days:
 * sales per product and top inviters, from the orders, refunds, referrals and rewards of the range (paged reads).
 */
import type { OrderDoc } from '../../../types/models';
import type { MerchantUserPurchases, SalesReportInput, SalesReportView } from '../../../types/modules/merchantReports.api';
import type { ReferralDoc, RewardDoc } from '../../../types/modules/referral.models';
import type { AddressDoc, RefundDoc } from '../../../types/modules/shop.models';
import type { Fen } from '../../../types/money';
import { reportRange } from '../../../types/reportRange';
import { maskPhone, productSales, ReportOrderLine, topInviters } from '../../domain/merchantReports';
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
    ctx.db.collection('users').doc(input.openid).field({ _id: true }).get(),
    ctx.db.collection('orders').where({ buyerId: input.openid }).orderBy('createdAt', 'desc').limit(LATEST)
      .field({ orderNo: true, createdAt: true, items: true, payableFen: true, status: true, refundStatus: true }).get(),
    ctx.db.collection('refunds').where({ buyerId: input.openid }).orderBy('requestedAt', 'desc').limit(LATEST).get(),
    ctx.db.collection('addresses').where({ ownerId: input.openid }).limit(LATEST).get(),
  ]);
  if (!user.data?.length) throw new AppError('USER_NOT_FOUND');
  const refundDocs = refunds.data as RefundDoc[];
  const nos = new Map((orders.data as OrderDoc[]).map((o) => [o._id, shortOrderNo(o)]));
  const missing = refundDocs.map((r) => r.orderId).filter((id) => !nos.has(id));
  if (missing.length) {
    const more = await ctx.db.collection('orders').where({ _id: ctx.db.command.in(missing) }).field({ orderNo: true }).limit(LATEST).get();
    for (const o of more.data as OrderDoc[]) nos.set(o._id, shortOrderNo(o));
  }
  return {
    orders: (orders.data as OrderDoc[]).map((o) => ({
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
    addresses: (addresses.data as AddressDoc[])
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.updatedAt.getTime() - a.updatedAt.getTime())
      .map(openAddress)
      .map((a) => ({ id: a._id, name: a.name, phoneMasked: maskPhone(a.phone), province: a.province, city: a.city, district: a.district, detail: a.detail, isDefault: a.isDefault })),
  };
}

type Query = { orderBy(field: string, dir: 'asc' | 'desc'): Query; skip(n: number): Query; limit(n: number): Query; field(f: object): Query; get(): Promise<{ data: unknown[] }> };

/** Every document the query matches, 1000 a read, in `_id` order (a stable order for skip), up to MAX_DOCS. */
async function readAll<T>(query: Query, fields: object): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; skip < MAX_DOCS; skip += PAGE) {
    const page = (await query.field({ _id: true, ...fields }).orderBy('_id', 'asc').skip(skip).limit(PAGE).get()).data as T[];
    out.push(...page);
    if (page.length < PAGE) break;
  }
  return out;
}

async function ordersById(ctx: Ctx, ids: string[]): Promise<Map<string, OrderDoc>> {
  const out = new Map<string, OrderDoc>();
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const res = await ctx.db.collection('orders').where({ _id: ctx.db.command.in(chunk) }).field({ items: true }).limit(PAGE).get();
    for (const o of res.data as OrderDoc[]) out.set(o._id, o);
  }
  return out;
}

const lines = (o: Pick<OrderDoc, 'items'>): ReportOrderLine[] => o.items.map((i) => ({ productId: i.productId, title: i.title, quantity: i.quantity, subtotalFen: i.subtotalFen }));

export async function salesReport(ctx: Ctx, input: SalesReportInput): Promise<SalesReportView> {
  const range = reportRange(input.startDay, input.endDay);
  if (!range) throw new AppError('REPORT_RANGE_INVALID');
  const _ = ctx.db.command;
  const within = _.gte(range.start).and(_.lt(range.end));
  const q = (name: string, where: object) => ctx.db.collection(name).where(where) as unknown as Query;
  const [paid, refunds, conversions, rewards, settings] = await Promise.all([
    readAll<OrderDoc>(q('orders', { paidAt: within }), { items: true, payableFen: true }),
    readAll<RefundDoc>(q('refunds', { status: 'refunded', refundedAt: within }), { orderId: true, amountFen: true }),
    readAll<ReferralDoc>(q('referrals', { status: 'converted', 'conversion.at': within }), { inviterId: true }),
    readAll<RewardDoc>(q('rewards', { createdAt: within }), { userId: true, form: true, amount: true, status: true }),
    loadSettings(ctx),
  ]);
  const refundedOrders = await ordersById(ctx, refunds.map((r) => r.orderId));
  const products = productSales(
    paid.map((o) => ({ payableFen: o.payableFen, items: lines(o) })),
    refunds.filter((r) => refundedOrders.has(r.orderId)).map((r) => ({ amountFen: r.amountFen, items: lines(refundedOrders.get(r.orderId)!) })),
  );
  const inviters = topInviters(conversions, rewards, settings.pointsPerYuan);
  if (inviters.length) {
    const names = await ctx.db.collection('users').where({ _id: _.in(inviters.map((i) => i.openid)) }).field({ nickname: true }).limit(inviters.length).get();
    const byId = new Map((names.data as { _id: string; nickname: string }[]).map((u) => [u._id, u.nickname]));
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
