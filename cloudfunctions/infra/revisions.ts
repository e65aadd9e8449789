/**
 * Editor revisions. Every document a merchant edits through a form (settings, rebate rules, products, 助力活动,
 * 拼团, categories, banners) carries `rev`, counted up by each save from an editor. The editor reads `rev` with the
 * form and sends it back; a save whose form was read before another device saved is refused (EDIT_STALE) and writes
 * nothing, instead of putting back what the older form showed. The write itself is guarded on the revision the
 * function read, so two saves at once cannot both land.
 *
 * Revisions are opt-in for callers: a save without `rev` (an older app build, a script) counts nothing and answers no
 * revision, and a document no revision-aware save has touched answers none either, so what such callers send, read
 * and find stored is what it was before revisions (a save of unchanged values changes nothing but updatedAt). It is
 * still guarded on the revision it read, so it cannot land over a revision-aware save made in between.
 */
import { z } from 'zod';
import type { Database } from './db';
import { isDuplicateKey } from './db';
import { collection, type DocTypes } from './collections';
import { AppError } from './errors';

export interface Revised {
  rev?: number;
}

/** The revision a document is at (one never saved by a revision-aware editor: 0). */
export const revOf = (doc: Revised | null | undefined): number => doc?.rev ?? 0;

/** What a read answers about the revision: `{rev}` once a revision-aware save counted one, else nothing (read as 0). */
export const revField = (doc: Revised | null | undefined): { rev?: number } => (doc?.rev ? { rev: doc.rev } : {});

/** Refuse a form read at another revision than the document is at now (`sent` undefined: not checked). */
export function checkRev(sent: number | undefined, current: Revised | null | undefined): void {
  if (sent !== undefined && sent !== revOf(current)) throw new AppError('EDIT_STALE');
}

/** The condition that holds while a document is still at the revision `read` had. */
export function atRev(db: Database, read: Revised): unknown {
  const rev = revOf(read);
  return rev > 0 ? rev : db.command.exists(false);
}

/** The `rev` a save may send: the revision its form was read at. */
export const revSchema = z.number().int().min(0).max(1_000_000_000).optional();

/** The update field that counts the revision up (with the fields of an editor's save). */
export const nextRev = (db: Database) => ({ rev: db.command.inc(1) });

/** nextRev for a save that sent its revision; nothing for one that did not (it counts nothing). */
export const nextRevIfSent = (db: Database, sent: number | undefined) => (sent === undefined ? {} : nextRev(db));

/**
 * Write an editor's `fields` (plain values) to `name/id` if it is still at the revision read (`read` null: it did not
 * exist, so it is created); lists and objects replace what is stored (an update would merge an object field by field).
 * EDIT_STALE when another save came first. A save that `sent` its revision counts it up and answers `{rev}` (the
 * revision written); one that did not counts nothing and answers the revision as it stands (`{}` when none).
 */
export async function writeAtRev<N extends keyof DocTypes>(db: Database, name: N, id: string, read: Revised | null | undefined, fields: Record<string, unknown>, sent: number | undefined): Promise<{ rev?: number }> {
  const answer = sent === undefined ? revField(read) : { rev: revOf(read) + 1 };
  if (!read) {
    try {
      await collection(db, name).add({ _id: id, ...fields, ...answer } as never);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // Created meanwhile by another save. One that sent a revision read "none": stale. One that did not writes over
      // it as it would have a moment later (guarded on what it finds).
      const now = sent === undefined ? ((await collection(db, name).doc(id).get()).data?.[0] as Revised | undefined) : undefined;
      if (!now) throw new AppError('EDIT_STALE');
      return writeAtRev(db, name, id, now, fields, sent);
    }
    return answer;
  }
  const whole = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v !== null && typeof v === 'object' && !(v instanceof Date) ? db.command.set(v) : v]));
  const res = await collection(db, name)
    .where({ _id: id, rev: atRev(db, read) } as never)
    .update({ ...whole, ...nextRevIfSent(db, sent) } as never);
  if (res.updated !== 1) {
    // Nothing written: another save moved the revision, or (a save that counts nothing) every value was as stored.
    const now = (await collection(db, name).doc(id).get()).data?.[0] as Revised | undefined;
    if (!now || revOf(now) !== revOf(read)) throw new AppError('EDIT_STALE');
  }
  return answer;
}
