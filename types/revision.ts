/**
 * Editor revisions (cloudfunctions/infra/revisions.ts): what a merchant editor reads carries the revision it is at,
 * and its save sends that revision back; a save from a form read before another device saved is refused with
 * EDIT_STALE and changes nothing.
 */
export interface AtRev {
  /**
   * The revision read; absent until a save that sent a revision counted one (read it as 0). A save answers it only
   * when it sent one.
   */
  rev?: number;
}

export interface SentRev {
  /** The revision the form was read at; without it the save is not checked against other devices. */
  rev?: number;
}
