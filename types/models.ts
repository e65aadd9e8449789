/** Documents as stored in the database. Times are Dates; money is integer fen. */
import type { Fen } from './money';
import type { Role } from './api';

export interface UserDoc {
  _id: string; // openid
  inviteCode: string;
  nickname: string;
  avatarUrl: string;
  roles: Role[];
  createdAt: Date;
  lastLoginAt: Date;
}

export interface ProductDoc {
  _id: string;
  title: string;
  description: string;
  images: string[];
  priceFen: Fen;
  stock: number;
  onSale: boolean;
  /** Higher first in the shop. */
  sort: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RebateRuleDoc {
  _id: string;
  name: string;
  active: boolean;
  priority: number;
  reward: { form: 'cash'; amountFen: Fen } | { form: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number } | { form: 'points'; points: number };
  trigger: { kind: 'everyN'; n: number; minOrderFen: Fen } | { kind: 'eachOrder'; minOrderFen: Fen; fixedFen?: Fen; ratioBp?: number };
  caps: { perInviterPerDay: number | null; perInviterTotal: number | null };
  productIds: string[] | null;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssistCampaignDoc {
  _id: string;
  productId: string;
  active: boolean;
  helpersNeeded: number;
  durationHours: number;
  success: { kind: 'price'; priceFen: Fen; validHours: number } | { kind: 'coupon'; amountFen: Fen; minSpendFen: Fen; validDays: number };
  fallback: { kind: 'none' } | { kind: 'points'; pointsPerHelper: number } | { kind: 'coupon'; amountFenPerHelper: Fen; minSpendFen: Fen; validDays: number };
  newUsersOnly: boolean;
  helperDailyCap: number;
  openTasksPerShopper: number;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
