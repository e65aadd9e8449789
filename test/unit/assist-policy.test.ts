/** Who may help an assist task, as tables (domain/assistPolicy.ts: no SDK, no clock). */
import {
  effectiveStatus,
  FIRST_OPEN_GRACE_MS,
  helperRefusal,
  isFirstOpen,
  isNewHelper,
  lostRaceRefusal,
  shanghaiDay,
  TaskFacts,
  taskRefusal,
} from '../../cloudfunctions/domain/assistPolicy';

const T0 = new Date('2026-03-01T10:00:00+08:00');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const task = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  ownerId: 'owner',
  status: 'open',
  deadline: at(24 * 60),
  target: 3,
  helpers: 1,
  helperIds: ['f1'],
  ...over,
});

describe('taskRefusal: what the task alone decides', () => {
  it.each<[string, Partial<TaskFacts>, string, number, string | null]>([
    ['a friend on an open task', {}, 'f2', 10, null],
    ['the owner', {}, 'owner', 10, 'ASSIST_SELF_HELP'],
    ['the owner of a done task (self first)', { status: 'succeeded', helpers: 3 }, 'owner', 10, 'ASSIST_SELF_HELP'],
    ['a friend who helped', {}, 'f1', 10, 'ASSIST_ALREADY_HELPED'],
    ['a friend who helped a task now done', { status: 'succeeded', helpers: 3, helperIds: ['f1', 'f3', 'f4'] }, 'f1', 10, 'ASSIST_ALREADY_HELPED'],
    ['a late friend on a succeeded task', { status: 'succeeded', helpers: 3 }, 'f2', 10, 'ASSIST_TASK_DONE'],
    ['a late friend on a full task not yet transitioned', { helpers: 3 }, 'f2', 10, 'ASSIST_TASK_DONE'],
    ['a friend after the deadline (timer not yet run)', {}, 'f2', 24 * 60, 'ASSIST_TASK_EXPIRED'],
    ['a friend on an expired task', { status: 'expired' }, 'f2', 10, 'ASSIST_TASK_EXPIRED'],
    ['a full task past its deadline is done, not expired', { helpers: 3 }, 'f2', 25 * 60, 'ASSIST_TASK_DONE'],
    ['one minute before the deadline', {}, 'f2', 24 * 60 - 1, null],
  ])('%s', (_name, over, helper, minutes, expected) => {
    expect(taskRefusal(task(over), helper, at(minutes))).toBe(expected);
  });
});

describe('effectiveStatus: what a viewer sees', () => {
  it.each<[Partial<TaskFacts>, number, string]>([
    [{}, 0, 'open'],
    [{ helpers: 3 }, 0, 'succeeded'],
    [{}, 24 * 60, 'expired'],
    [{ status: 'expired' }, 0, 'expired'],
    [{ status: 'succeeded', helpers: 3 }, 99 * 60, 'succeeded'],
  ])('%j at +%i min → %s', (over, minutes, expected) => {
    expect(effectiveStatus(task(over), at(minutes))).toBe(expected);
  });
});

describe('lostRaceRefusal: the guard turned a friend away', () => {
  it('before the deadline the task filled up', () => expect(lostRaceRefusal(task(), at(5))).toBe('ASSIST_TASK_DONE'));
  it('at the deadline it ended', () => expect(lostRaceRefusal(task(), at(24 * 60))).toBe('ASSIST_TASK_EXPIRED'));
});

describe('helperRefusal: the daily cap and new users only', () => {
  it.each<[number, number, boolean, boolean, string | null]>([
    [0, 3, false, false, null],
    [2, 3, false, false, null],
    [3, 3, false, false, 'ASSIST_DAILY_CAP'],
    [5, 3, false, true, 'ASSIST_DAILY_CAP'],
    [0, 3, true, false, 'ASSIST_NEW_USERS_ONLY'],
    [0, 3, true, true, null],
    [3, 3, true, false, 'ASSIST_DAILY_CAP'],
  ])('%i helped today of %i, new-only %s, new %s → %s', (helpsToday, dailyCap, newUsersOnly, isNew, expected) => {
    expect(helperRefusal({ helpsToday, dailyCap, newUsersOnly, isNew })).toBe(expected);
  });
});

describe('isNewHelper: first opened the app through THIS card after it started, no paid order', () => {
  it.each<[string, { taskId: string; at: Date } | null, boolean, boolean, boolean]>([
    ['arrived through this card after the start', { taskId: 'T', at: at(5) }, false, true, true],
    ['… but has a paid order', { taskId: 'T', at: at(5) }, true, true, false],
    ['… but never logged in (no user record)', { taskId: 'T', at: at(5) }, false, false, false],
    ['arrived through another task\'s card', { taskId: 'U', at: at(5) }, false, true, false],
    ['no recorded arrival (opened the app some other way)', null, false, true, false],
    ['arrival before the task started', { taskId: 'T', at: at(-5) }, false, true, false],
  ])('%s', (_name, arrival, hasPaidOrder, registered, expected) => {
    expect(isNewHelper({ taskId: 'T', taskStartedAt: T0, arrival, hasPaidOrder, registered })).toBe(expected);
  });
});

describe('isFirstOpen: is viewing a card now the first open of the app?', () => {
  it.each<[string, Date | null, boolean]>([
    ['no user record yet', null, true],
    ['created just now', at(0), true],
    ['created within the grace', new Date(T0.getTime() - FIRST_OPEN_GRACE_MS), true],
    ['created before the grace', new Date(T0.getTime() - FIRST_OPEN_GRACE_MS - 1), false],
    ['created a day ago', at(-24 * 60), false],
  ])('%s', (_name, createdAt, expected) => {
    expect(isFirstOpen(createdAt, T0)).toBe(expected);
  });
});

describe('shanghaiDay: caps count calendar days in Asia/Shanghai, whatever zone the function runs in', () => {
  it.each([
    ['2026-03-01T15:59:59Z', '2026-03-01'],
    ['2026-03-01T16:00:00Z', '2026-03-02'],
    ['2026-12-31T23:30:00+08:00', '2026-12-31'],
    ['2026-12-31T16:30:00Z', '2027-01-01'],
  ])('%s → %s', (iso, day) => expect(shanghaiDay(new Date(iso))).toBe(day));
});

