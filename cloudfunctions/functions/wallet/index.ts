/** The wallet function: balances, ledger entries, coupons, withdrawals and 确认收款 — always the caller's own. */
import { z } from 'zod';
import { walletActivity } from '../../app/wallet/activity';
import { walletCoupons, walletEntries, walletSummary } from '../../app/wallet/views';
import { confirmTransfer, listMyWithdrawals, requestWithdrawal } from '../../app/wallet/withdrawals';
import { action, createHandler } from '../../infra/handler';

const page = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };

export const main = createHandler('wallet', {
  summary: action({ schema: z.object({}).strict(), access: 'user', run: (_input, ctx) => walletSummary(ctx) }),
  entries: action({ schema: z.object({ ...page, asset: z.enum(['cash', 'points']).optional() }).strict(), access: 'user', run: (input, ctx) => walletEntries(ctx, input) }),
  activity: action({ schema: z.object({ ...page, asset: z.enum(['cash', 'points']).optional() }).strict(), access: 'user', run: (input, ctx) => walletActivity(ctx, input) }),
  coupons: action({ schema: z.object({ status: z.enum(['available', 'held', 'used', 'expired']).optional() }).strict(), access: 'user', run: (input, ctx) => walletCoupons(ctx, input) }),
  withdraw: action({
    schema: z.object({ amountFen: z.number().int().min(1).max(100_000_000), requestId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/) }).strict(),
    access: 'user',
    run: (input, ctx) => requestWithdrawal(ctx, input),
  }),
  withdrawals: action({ schema: z.object(page).strict(), access: 'user', run: (input, ctx) => listMyWithdrawals(ctx, input) }),
  confirmTransfer: action({ schema: z.object({ withdrawalId: z.string().min(1).max(40).regex(/^[A-Za-z0-9]+$/) }).strict(), access: 'user', run: (input, ctx) => confirmTransfer(ctx, input) }),
});
