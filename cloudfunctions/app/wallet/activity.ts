/**
 * wallet.activity: the wallet's history as business events (domain/walletActivity.ts), newest activity first, each
 * with its ledger legs for the detail view. Pages walk the ledger (a window of entries per page); every leg of an
 * event in the window is read, wherever it lies, and an event is listed on the page of its newest leg only, so a
 * reward frozen last week and posted today is one line, shown once. Two database round trips per page.
 */
import type { Page } from '../../../types/api';
import type { WalletActivityView } from '../../../types/modules/referral.api';
import type { LedgerAsset, LedgerEntryDoc } from '../../../types/modules/referral.models';
import { activityKey, groupActivity, newerFirst } from '../../domain/walletActivity';
import { collection } from '../../infra/collections';
import type { Ctx } from '../../infra/handler';
import { entryView } from './views';

const uniq = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];

export async function walletActivity(ctx: Ctx, input: { cursor?: number; pageSize?: number; asset?: LedgerAsset }): Promise<Page<WalletActivityView>> {
  const offset = input.cursor ?? 0;
  const size = input.pageSize ?? 20;
  // An event has one to three legs: a window of three per line asked for.
  const window = size * 3;
  const _ = ctx.db.command;
  const ledger = collection(ctx.db, 'ledger');
  const mine: Record<string, unknown> = { userId: ctx.openid };
  if (input.asset) mine.asset = input.asset;

  const res = await ledger.where(mine).orderBy('createdAt', 'desc').orderBy('_id', 'asc').skip(offset).limit(window + 1).get();
  const docs = res.data.slice(0, window);
  if (docs.length === 0) return { items: [], next: null };

  const keys = new Set(docs.map(activityKey));
  const plain = docs.filter((d) => activityKey(d).startsWith('op:'));
  const related = [
    uniq(docs.map((d) => d.rewardId)).length ? { rewardId: _.in(uniq(docs.map((d) => d.rewardId))) } : null,
    uniq(docs.map((d) => d.withdrawalId)).length ? { withdrawalId: _.in(uniq(docs.map((d) => d.withdrawalId))) } : null,
    uniq(docs.filter((d) => activityKey(d).startsWith('spend:')).map((d) => d.orderId)).length
      ? { orderId: _.in(uniq(docs.filter((d) => activityKey(d).startsWith('spend:')).map((d) => d.orderId))) }
      : null,
    plain.length ? { op: _.in(uniq(plain.map((d) => d.op))) } : null,
  ].filter((c) => c !== null) as Record<string, unknown>[];
  const more = (await ledger.where(_.or(related.map((c) => ({ ...mine, ...c })))).limit(1000).get()).data;

  const byId = new Map<string, LedgerEntryDoc>();
  for (const leg of [...docs, ...more]) byId.set(leg._id, leg);
  const top = docs[0];
  const events = groupActivity([...byId.values()])
    .filter((e) => keys.has(e.key))
    // Listed where its newest leg is: one newer than this window's first was on an earlier page.
    .filter((e) => newerFirst(e.legs[e.legs.length - 1], top) >= 0);

  return {
    items: events.map((e) => ({
      id: e.key,
      kind: e.kind,
      asset: e.asset,
      title: e.title,
      amount: e.amount,
      status: e.status,
      statusText: e.statusText,
      steps: e.steps,
      note: e.note,
      startedAt: e.startedAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
      legs: e.legs.map(entryView),
    })),
    next: res.data.length > window ? offset + window : null,
  };
}
