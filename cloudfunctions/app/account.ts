/**
 * The shopper's own data (DESIGN rule 13, PIPL's rights to a copy and to erasure):
 * - export: every document that is theirs, as JSON, with personal fields decrypted for them and other people's ids
 *   (inviter, invitees, helpers, group members) shown as 其他用户 n, never as their openids;
 * - delete: personal data (name, phone, addresses, avatar, nickname) erased or anonymised, and the openid replaced
 *   everywhere by a tombstone id, so the ledger, the orders and the merchant's numbers stay whole and the audit
 *   still adds up. Money and parcels in flight are handled first: a withdrawal under way or an order not yet
 *   received (or a refund being decided) refuses the deletion with its reason; unpaid orders are cancelled.
 *
 * Where a user's id is stored is declared once below (USER_REFS): the export reads by it, the deletion rewrites by
 * it, and a test scans every collection afterwards for anything it missed. The deletion is resumable: the user
 * document carries the tombstone from the first step, and every step is safe to run again.
 */
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../infra/errors';
import { collection, type CollectionName } from '../infra/collections';
import { type Ctx, merchantOpenids } from '../infra/handler';
import { openAddress } from '../infra/personalData';
import { holdsMoney } from '../domain/withdraw';
import { tombstoneOf } from '../domain/tombstone';
import { cancelOrder } from './shop/orders';
import { normalizeWallet, retrying } from './wallet/tx';
import type { Balances, WalletDoc } from '../../types/modules/referral.models';
import { txCollection, type TxHandle } from '../infra/collections';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any> & { _id: string };

/** Collection → the fields that hold a user's id (dotted; an array's elements by their field). `_id`: the document is the user's by id. */
export const USER_REFS = {
  users: ['_id', 'inviterId', 'pendingInviter.inviterId'],
  referrals: ['_id', 'inviterId', 'upline'],
  wallets: ['_id'],
  ledger: ['userId'],
  rewards: ['userId', 'members.inviteeId'],
  withdrawals: ['userId'],
  orders: ['buyerId', 'inviterId'],
  refunds: ['buyerId'],
  carts: ['_id'],
  addresses: ['ownerId'],
  coupons: ['ownerId'],
  assist_tasks: ['ownerId', 'helperIds'],
  assists: ['helperId', 'ownerId'],
  groups: ['leaderId', 'memberIds', 'paidMemberIds'],
  presale_deposits: ['buyerId'],
  /** createOrder's requestId locks record their buyer (shop/createLocks.ts). */
  idempotency: ['holds.buyerId'],
  assist_helpers: ['_id'],
  notifications: ['userId'],
  message_caps: ['userId'],
  poster_codes: ['_id'],
  events: ['userId', 'inviterId'],
} satisfies Partial<Record<CollectionName, string[]>>;

/** A collection that holds documents of a user. */
type UserCollection = keyof typeof USER_REFS;
const USER_COLLECTIONS = Object.keys(USER_REFS) as UserCollection[];

/** Collections whose documents about the user are removed rather than kept under the tombstone. */
const REMOVE = new Set<UserCollection>(['addresses', 'carts', 'assist_helpers', 'message_caps', 'poster_codes']);

const PAGE = 1000;

async function docsReferring(ctx: Ctx, name: UserCollection, openid: string): Promise<Doc[]> {
  const found = new Map<string, Doc>();
  for (const field of USER_REFS[name]) {
    for (let skip = 0; ; skip += PAGE) {
      const res = await collection(ctx.db, name).where({ [field]: openid }).skip(skip).limit(PAGE).get();
      for (const d of res.data as Doc[]) found.set(String(d._id), d);
      if (res.data.length < PAGE) break;
    }
  }
  return [...found.values()];
}

/** Everything of the caller's, by collection; addresses and order addresses decrypted for them. */
export async function exportMyData(ctx: Ctx): Promise<{ exportedAt: string; openid: string; collections: Record<string, Doc[]> }> {
  const collections: Record<string, Doc[]> = {};
  for (const name of USER_COLLECTIONS) {
    let docs = await docsReferring(ctx, name, ctx.openid);
    if (name === 'addresses') docs = docs.map((d) => openAddress(d as any) as Doc);
    if (name === 'orders') docs = docs.map((d) => (d.buyerId === ctx.openid && d.address ? { ...d, address: openAddress(d.address) } : d));
    // Another user's record that names this one (their inviter, an invitee's order): only the reference is theirs.
    collections[name] = docs.map((d) => (ownedBy(name, d, ctx.openid) ? d : { _id: d._id, refersToYouAs: referringFields(name, d, ctx.openid) }));
  }
  return { exportedAt: ctx.clock.now().toISOString(), openid: ctx.openid, collections: withoutStaff(withoutOthers(collections, ctx.openid)) };
}

/** Fields that name the merchant who acted on the user's record (a refund's or withdrawal's reviewer, who blocked them). */
const STAFF_REFS: Partial<Record<UserCollection, string[]>> = { refunds: ['reviewedBy'], withdrawals: ['reviewedBy'], users: ['blocked.by'] };
const STAFF = '商家';

/** The export with the shop staff's openids replaced by 商家 (who decided is the shop; their id is theirs). */
function withoutStaff(collections: Record<string, Doc[]>): Record<string, Doc[]> {
  const named = (v: unknown) => typeof v === 'string' && v !== '' && v !== 'system';
  return Object.fromEntries(
    Object.entries(collections).map(([name, docs]) => {
      const fields = (STAFF_REFS[name as UserCollection] ?? []).map((f) => f.split('.'));
      return [
        name,
        docs.map((d) => {
          const staffed = fields.filter((keys) => named(get(d, keys.join('.'))));
          if (!staffed.length) return d;
          const copy = structuredClone(d);
          for (const keys of staffed) {
            const parent = keys.length > 1 ? get(copy, keys.slice(0, -1).join('.')) : copy;
            parent[keys[keys.length - 1]] = STAFF;
          }
          return copy;
        }),
      ];
    }),
  );
}

/**
 * The export with every other user's id (an inviter, an invitee, a helper, a group member) replaced by 其他用户 n,
 * the same n for the same person throughout, wherever it stands (a field, or part of an id such as a help's
 * `task:helper` or a message's key): their openid is theirs, not the exporting user's.
 */
function withoutOthers(collections: Record<string, Doc[]>, openid: string): Record<string, Doc[]> {
  const others = new Set<string>();
  for (const [name, docs] of Object.entries(collections)) {
    for (const d of docs) {
      for (const field of USER_REFS[name as UserCollection]) {
        for (const v of [get(d, field)].flat(2)) if (typeof v === 'string' && v && v !== openid) others.add(v);
      }
    }
  }
  // Longest first, so an id that is the start of another's is not replaced inside it.
  const named = [...others].sort((a, b) => b.length - a.length).map((id, i) => [id, `其他用户 ${i + 1}`] as const);
  const strip = (d: Doc) => named.reduce((out, [id, label]) => replaceDeep(out, id, label) as Doc, d);
  return Object.fromEntries(Object.entries(collections).map(([name, docs]) => [name, docs.map(strip)]));
}

function ownedBy(collection: UserCollection, d: Doc, openid: string): boolean {
  const owner = USER_REFS[collection][0];
  return get(d, owner) === openid || (collection === 'assists' && d.helperId === openid);
}

function referringFields(collection: UserCollection, d: Doc, openid: string): string[] {
  return USER_REFS[collection].filter((f) => {
    const v = get(d, f);
    return v === openid || (Array.isArray(v) && v.includes(openid));
  });
}

function get(d: any, path: string): any {
  const [head, ...rest] = path.split('.');
  const v = d?.[head];
  if (!rest.length) return v;
  return Array.isArray(v) ? v.map((x) => get(x, rest.join('.'))) : get(v, rest.join('.'));
}

/** Every string in `value` with `from` replaced by `to` (ids inside keys, sources and arrays too). */
function replaceDeep(value: any, from: string, to: string): any {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object' && !(value instanceof Date) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

/** Why the account cannot be deleted yet, or null. Unpaid orders are cancelled here (stock and spend returned). */
async function prepareDeletion(ctx: Ctx): Promise<void> {
  const _ = ctx.db.command;
  const withdrawals = (await collection(ctx.db, 'withdrawals').where({ userId: ctx.openid }).field({ status: true }).limit(PAGE).get()).data;
  if (withdrawals.some((w) => holdsMoney(w.status))) throw new AppError('ACCOUNT_OPEN_WITHDRAWALS');
  const orders = (await collection(ctx.db, 'orders').where({ buyerId: ctx.openid, status: _.in(['pending_payment', 'paid', 'shipped']) }).field({ status: true }).limit(PAGE).get()).data;
  if (orders.some((o) => o.status !== 'pending_payment')) throw new AppError('ACCOUNT_OPEN_ORDERS');
  const refunds = await collection(ctx.db, 'refunds').where({ buyerId: ctx.openid, status: _.in(['requested', 'approved']) }).count();
  if (refunds.total > 0) throw new AppError('ACCOUNT_OPEN_ORDERS');
  // A pre-sale deposit being paid, or paid and waiting for its balance, is money in flight too.
  const deposits = await collection(ctx.db, 'presale_deposits').where({ buyerId: ctx.openid, state: _.in(['pending', 'paid']) }).count();
  if (deposits.total > 0) throw new AppError('ACCOUNT_OPEN_ORDERS');
  for (const o of orders) {
    try {
      await cancelOrder(ctx, o._id);
    } catch (e) {
      // Expired meanwhile: the timer gives everything back (to the tombstone's wallet). Paid meanwhile: open.
      if (e instanceof AppError && e.code === 'ORDER_EXPIRED') continue;
      if (e instanceof AppError) throw new AppError('ACCOUNT_OPEN_ORDERS');
      throw e;
    }
  }
}

const ANONYMOUS = '已注销用户';

/** The document as kept under the tombstone (personal fields erased), or null to remove it. */
function anonymised(collection: UserCollection, d: Doc, openid: string, tomb: string): Doc | null {
  if (REMOVE.has(collection) && ownedBy(collection, d, openid)) return null;
  const out = replaceDeep(d, openid, tomb) as Doc;
  if (collection === 'users' && d._id === openid) {
    return { ...out, nickname: ANONYMOUS, avatarUrl: '', inviteCode: tomb, roles: [], consent: null, pendingInviter: null, deletedAt: new Date() };
  }
  if (collection === 'orders' && d.buyerId === openid && d.address) {
    out.address = { name: ANONYMOUS, phone: '', province: d.address.province ?? '', city: d.address.city ?? '', district: d.address.district ?? '', detail: '' };
  }
  return out;
}

/**
 * Delete the caller's account: `confirm` must be 注销 (typed by the user). Answers the tombstone. The wallet moves
 * with its entries (balances and entries rewritten together, so the audit adds up once the deletion is done).
 */
export async function deleteMyAccount(ctx: Ctx, input: { confirm: string }): Promise<{ deleted: true }> {
  if (input.confirm !== '注销') throw new AppError('INVALID_ARGUMENT', '请输入“注销”以确认');
  const openid = ctx.openid;
  const tomb = tombstoneOf(openid);
  const user = (await collection(ctx.db, 'users').doc(openid).get()).data?.[0];
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.roles?.includes('merchant') || merchantOpenids().has(openid)) throw new AppError('ACCOUNT_IS_MERCHANT');
  // Checked on every run, a resumed one too: between a run that stopped half way and this one the user may have
  // ordered and paid (their consent is on their own document, rewritten last).
  await prepareDeletion(ctx);
  // From here no money moves in or out of the wallet (a withdrawal that got in first refuses the deletion here).
  await closeWallets(ctx, openid, tomb);
  if (!user.deletingAs) await collection(ctx.db, 'users').doc(openid).update({ deletingAs: tomb });
  // Documents elsewhere first, then the wallet (closed meanwhile), the user's own document (which marks the deletion
  // in progress) last.
  const order: UserCollection[] = [...USER_COLLECTIONS.filter((c) => c !== 'users' && c !== 'wallets'), 'wallets', 'users'];
  for (const collection of order) {
    if (collection === 'wallets') {
      await moveWallet(ctx, openid, tomb);
      continue;
    }
    for (;;) {
      const docs = await docsReferring(ctx, collection, openid);
      const mine = collection === 'users' ? docs.sort((a, b) => Number(a._id === openid) - Number(b._id === openid)) : docs;
      if (!mine.length) break;
      for (const d of mine) await rewrite(ctx, collection, d, anonymised(collection, d, openid, tomb));
      if (docs.length < PAGE) break;
    }
  }
  await rewriteCounterKeys(ctx, openid, tomb);
  await rewriteMentions(ctx, openid, tomb);
  return { deleted: true };
}

const WALLET_ROUNDS = 8;

/**
 * Close the user's wallet and the tombstone's for the deletion (`closing`: every wallet transaction refuses, see
 * wallet/tx.ts), in one transaction that first checks that nothing is being withdrawn: a withdrawal that committed
 * before it refuses the deletion (ACCOUNT_OPEN_WITHDRAWALS); one that comes after is refused. Both documents are
 * written (created empty if missing), so nothing can credit either id while the ledger, the rewards and the
 * withdrawals change hands: the wallet moves last, exactly as its entries add up. A rerun closes them again.
 */
async function closeWallets(ctx: Ctx, openid: string, tomb: string): Promise<void> {
  await retrying(WALLET_ROUNDS, () =>
    ctx.db.runTransaction(async (t: TxHandle) => {
      const now = ctx.clock.now();
      const wallets = txCollection(t, 'wallets');
      const mine = normalizeWallet(openid, (await wallets.doc(openid).get()).data, now);
      if (mine.cash.withdrawing > 0 || mine.points.withdrawing > 0) throw new AppError('ACCOUNT_OPEN_WITHDRAWALS');
      const theirs = normalizeWallet(tomb, (await wallets.doc(tomb).get()).data, now);
      for (const w of [mine, theirs]) {
        const { _id, ...rest } = w;
        await wallets.doc(_id).set({ ...rest, closing: tomb, version: w.version + 1, updatedAt: now });
      }
    }),
  );
}

const addBalances = (a: Balances, b: Balances): Balances => ({ available: a.available + b.available, frozen: a.frozen + b.frozen, withdrawing: a.withdrawing + b.withdrawing, debt: a.debt + b.debt });

/**
 * The closed wallet onto the tombstone's, in one transaction, and both open again. The tombstone's may hold an
 * earlier account's money (the same openid deleted before, then back): balances add up, as their entries do.
 */
async function moveWallet(ctx: Ctx, openid: string, tomb: string): Promise<void> {
  await retrying(WALLET_ROUNDS, () =>
    ctx.db.runTransaction(async (t: TxHandle) => {
      const now = ctx.clock.now();
      const wallets = txCollection(t, 'wallets');
      const found = (await wallets.doc(openid).get()).data as WalletDoc | undefined;
      const theirs = normalizeWallet(tomb, (await wallets.doc(tomb).get()).data, now);
      const { _id, ...rest } = theirs;
      if (!found) {
        // Moved by a run that stopped before opening the tombstone's.
        if (theirs.closing) await wallets.doc(_id).set({ ...rest, closing: null, updatedAt: now });
        return;
      }
      const mine = replaceDeep(normalizeWallet(openid, found, now), openid, tomb) as WalletDoc;
      const merged: Omit<WalletDoc, '_id'> = {
        ...rest,
        cash: addBalances(theirs.cash, mine.cash),
        points: addBalances(theirs.points, mine.points),
        progress: { ...theirs.progress, ...mine.progress },
        caps: { ...theirs.caps, ...mine.caps },
        withdrawDay: mine.withdrawDay,
        refundHolds: { ...(theirs.refundHolds ?? {}), ...(mine.refundHolds ?? {}) },
        blocked: mine.blocked ?? theirs.blocked,
        closing: null,
        version: Math.max(theirs.version, mine.version) + 1,
        createdAt: found.createdAt ?? theirs.createdAt,
        updatedAt: now,
      };
      await wallets.doc(tomb).set(merged);
      await wallets.doc(openid).remove();
    }),
  );
}

/**
 * Other users' messages whose id (`n:<source key>`) names this user (a task owner's 好友助力 message is keyed by the
 * friend who helped: `n:assist:helped:<task>:<openid>`): moved to an id with the tombstone instead.
 */
async function rewriteMentions(ctx: Ctx, openid: string, tomb: string): Promise<void> {
  const mentions = containing(ctx, openid);
  for (;;) {
    const res = await collection(ctx.db, 'notifications').where({ _id: mentions }).limit(PAGE).get();
    for (const d of res.data as Doc[]) await rewrite(ctx, 'notifications', d, replaceDeep(d, openid, tomb));
    if (res.data.length < PAGE) break;
  }
}

/**
 * Rewrite a document. One that keeps its _id (someone else's order, user or referral naming this user) changes only
 * in the fields that held the user: writing the whole copy read earlier would put back everything else as it was
 * then (an invitee's order shipped, expired or refunded meanwhile would be paid again, its stock released twice).
 * One that moves (the user's own, keyed by their id) is written under the new _id before the old one goes, so a
 * crash leaves a copy, never nothing.
 */
async function rewrite(ctx: Ctx, name: UserCollection, before: Doc, after: Doc | null): Promise<void> {
  const coll = collection(ctx.db, name);
  if (!after) {
    await coll.doc(before._id).remove();
    return;
  }
  const { _id, ...rest } = after;
  if (_id === before._id) {
    const _ = ctx.db.command;
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (!isDeepStrictEqual(v, before[k])) patch[k] = _.set(v);
    if (Object.keys(patch).length) await coll.doc(_id).update(patch);
    return;
  }
  await coll.doc(_id).set(rest);
  await coll.doc(before._id).remove();
}

/** A query value matching strings that contain `text` (as text: regex characters escaped). */
function containing(ctx: Ctx, text: string) {
  return ctx.db.RegExp({ regexp: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') });
}

/** The dashboard's counted-event keys that carry the openid (e.g. firstBuy:<openid>). */
async function rewriteCounterKeys(ctx: Ctx, openid: string, tomb: string): Promise<void> {
  const res = await collection(ctx.db, 'stats_daily')
    .where({ keys: containing(ctx, openid) })
    .limit(PAGE)
    .get();
  const _ = ctx.db.command;
  for (const d of res.data) {
    const named = (d.keys as string[]).filter((k) => typeof k === 'string' && k.includes(openid));
    if (!named.length) continue;
    // Two array operations, never the array written back from this read: a key that a count pushes meanwhile (the
    // user's shard of today is busy) stays. Between them both names are there, and either refuses a replay.
    await collection(ctx.db, 'stats_daily').doc(d._id).update({ keys: _.push(named.map((k) => k.split(openid).join(tomb))) });
    await collection(ctx.db, 'stats_daily').doc(d._id).update({ keys: _.pullAll(named) });
  }
}
