/**
 * The contract between the app and the cloud functions. Every function takes `{ action, ...payload }` and answers
 * an envelope. The client sends ids and quantities, never prices.
 */
import type { ErrorCode } from './errors';
import type { Fen } from './money';

export type Ok<T> = { ok: true; data: T };
export type Failure = { ok: false; code: ErrorCode; message: string };
export type Envelope<T> = Ok<T> | Failure;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null at the end. */
  next: number | null;
}

export type Role = 'shopper' | 'merchant';

export interface Me {
  openid: string;
  inviteCode: string;
  nickname: string;
  avatarUrl: string;
  roles: Role[];
  isNew: boolean;
}

export interface ProductSummary {
  id: string;
  title: string;
  image: string;
  priceFen: Fen;
  stock: number;
  badges: { rebate: boolean; assist: boolean };
}

export interface ProductDetail extends ProductSummary {
  images: string[];
  description: string;
  onSale: boolean;
}

/** action name → [payload, result] per function. */
export interface Api {
  user: {
    login: [{ inviteCode?: string; source?: 'card' | 'poster' | 'code'; taskId?: string }, Me];
  };
  shop: {
    listProducts: [{ cursor?: number; pageSize?: number }, Page<ProductSummary>];
    getProduct: [{ productId: string }, ProductDetail];
  };
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
export type PayloadOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends [infer P, unknown] ? P : never;
export type ResultOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends [unknown, infer R] ? R : never;
