/**
 * The document database behind typed collections (DESIGN: repositories live in infra). Every collection the
 * functions use is declared once below with the type of its documents; app code reaches the database only through
 * `collection(db, name)` and, inside a transaction, `txCollection(t, name)`, so:
 * - a misspelt collection name is a build error, not an empty query at run time;
 * - what a read answers is typed by the collection (`data: OrderDoc[]`), so app code needs no `.data as X` casts;
 * - a projection narrows the type (`field({ status: true })` answers `Pick<OrderDoc, 'status' | '_id'>`).
 * At run time these are the SDK's own query objects (no wrapper, no extra cost): the types describe what
 * `@cloudbase/node-sdk` answers on the wire (see the local cloud's conformance tests).
 * `npm run check:layers` refuses a `.collection(` call in cloudfunctions/app.
 */
import type { OrderDoc, ProductDoc, RebateRuleDoc, AssistCampaignDoc, UserDoc } from '../../types/models';
import type { AssistDoc, AssistHelperDoc, AssistTaskDoc } from '../../types/modules/assist.models';
import type { GroupDoc, GroupOfferDoc } from '../../types/modules/group.models';
import type { DepositDoc, PresaleDoc } from '../../types/modules/presale.models';
import type { LedgerEntryDoc, ReferralDoc, ReferralEventDoc, RewardDoc, WalletDoc, WithdrawalDoc } from '../../types/modules/referral.models';
import type { AddressDoc, CartDoc, CouponDoc, RefundDoc, ShopSettingsDoc } from '../../types/modules/shop.models';
import type { StatsDoc } from '../domain/stats';
import type { Database } from './db';
import type { NotificationDoc } from './notifications';

/** A document with an id whose other fields this module does not describe (each use narrows it itself). */
export interface LooseDoc {
  _id: string;
  [field: string]: unknown;
}

/** Every collection and the type of its documents. */
export interface DocTypes {
  users: UserDoc;
  products: ProductDoc;
  orders: OrderDoc;
  rebate_rules: RebateRuleDoc;
  assist_campaigns: AssistCampaignDoc;
  assist_tasks: AssistTaskDoc;
  assists: AssistDoc;
  assist_helpers: AssistHelperDoc;
  groups: GroupDoc;
  group_offers: GroupOfferDoc;
  presales: PresaleDoc;
  presale_deposits: DepositDoc;
  referrals: ReferralDoc;
  events: ReferralEventDoc;
  ledger: LedgerEntryDoc;
  wallets: WalletDoc;
  rewards: RewardDoc;
  withdrawals: WithdrawalDoc;
  carts: CartDoc;
  addresses: AddressDoc;
  coupons: CouponDoc;
  refunds: RefundDoc;
  shop_settings: ShopSettingsDoc;
  notifications: NotificationDoc;
  stats_daily: StatsDoc & LooseDoc;
  settings: LooseDoc;
  idempotency: LooseDoc;
  order_numbers: LooseDoc;
  poster_codes: LooseDoc;
  job_runs: LooseDoc;
  message_caps: LooseDoc;
}

export type CollectionName = keyof DocTypes;

/** `field({ a: true, b: true })`: the keys asked for (dotted paths narrow nothing: the whole type stays). */
type Picked<T, F> = [Extract<keyof F, keyof T>] extends [never] ? T : Pick<T, Extract<keyof F | '_id', keyof T>>;
type Projection = Record<string, boolean | 0 | 1>;

export interface WriteResult {
  updated: number;
}

/** A query on a collection, as the SDK builds it (each call answers a new query). */
export interface Query<T> {
  where(query: object): Query<T>;
  field<F extends Projection>(projection: F): Query<Picked<T, F>>;
  orderBy(fieldPath: string, direction: 'asc' | 'desc'): Query<T>;
  skip(offset: number): Query<T>;
  limit(max: number): Query<T>;
  get(): Promise<{ data: T[] }>;
  count(): Promise<{ total: number }>;
  update(patch: object): Promise<WriteResult>;
  /** The one document matched, as updated (null when nothing matched). */
  updateAndReturn(patch: object): Promise<WriteResult & { doc: T | null }>;
  remove(): Promise<{ deleted: number }>;
}

/** One document by id. `get` answers a list of zero or one. */
export interface DocRef<T> {
  field<F extends Projection>(projection: F): DocRef<Picked<T, F>>;
  get(): Promise<{ data: T[] }>;
  set(doc: object): Promise<{ updated?: number; upsertedId?: string }>;
  update(patch: object): Promise<WriteResult>;
  remove(): Promise<{ deleted: number }>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Collection<T> extends Query<T> {
  doc(id: string): DocRef<T>;
  add(doc: T | T[]): Promise<{ id?: string; ids?: string[] }>;
  /** The SDK's aggregation pipeline builder (its stages are untyped; type the `end()` result where it is used). */
  aggregate(): any;
}

/** The typed collection `name` of `db`. */
export function collection<K extends CollectionName>(db: Database, name: K): Collection<DocTypes[K]> {
  return db.collection(name) as unknown as Collection<DocTypes[K]>;
}

/** The SDK's transaction handle (its typings say little; this is all the functions use of it). */
export interface TxHandle {
  collection(name: string): any;
}

/** One document by id inside a transaction: `get` answers the document or null (the transaction's snapshot). */
export interface TxDocRef<T> {
  get(): Promise<{ data: T | null }>;
  set(doc: object): Promise<WriteResult>;
  update(patch: object): Promise<WriteResult>;
  delete(): Promise<{ deleted: number }>;
  remove(): Promise<{ deleted: number }>;
}

export interface TxQuery<T> {
  where(query: object): TxQuery<T>;
  field<F extends Projection>(projection: F): TxQuery<Picked<T, F>>;
  orderBy(fieldPath: string, direction: 'asc' | 'desc'): TxQuery<T>;
  skip(offset: number): TxQuery<T>;
  limit(max: number): TxQuery<T>;
  get(): Promise<{ data: T[] }>;
  update(patch: object): Promise<WriteResult>;
  updateAndReturn(patch: object): Promise<WriteResult & { doc: T | null }>;
  remove(): Promise<{ deleted: number }>;
}

export interface TxCollection<T> extends TxQuery<T> {
  doc(id: string): TxDocRef<T>;
  add(doc: T | T[]): Promise<{ id?: string; ids?: string[] }>;
}

/** The typed collection `name` inside transaction `t`. */
export function txCollection<K extends CollectionName>(t: TxHandle, name: K): TxCollection<DocTypes[K]> {
  return t.collection(name) as TxCollection<DocTypes[K]>;
}
