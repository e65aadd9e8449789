/**
 * The timer triggers declared in cloudbaserc.json, fired on the local cloud's clock: every second in real time, and
 * at once when the clock is moved (a move past several occurrences fires once, as a late timer would).
 * CloudBase cron has seven fields (second … weekday year); the year field is dropped for cron-parser.
 */
import fs from 'node:fs';
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from './clock';
import type { FunctionHost } from './functions';

export interface TimerTrigger {
  functionName: string;
  name: string;
  cron: string;
}

interface Scheduled extends TimerTrigger {
  next: number;
  running: Promise<void> | null;
  /** A firing asked for while one was running: it runs once that one ends (one at most waits). */
  again: Promise<void> | null;
  fired: number;
  lastError: string | null;
}

export function readTimerTriggers(cloudbasercPath: string): TimerTrigger[] {
  const rc = JSON.parse(fs.readFileSync(cloudbasercPath, 'utf8')) as {
    functions?: { name: string; triggers?: { name: string; type: string; config: string }[] }[];
  };
  const out: TimerTrigger[] = [];
  for (const fn of rc.functions ?? []) {
    for (const t of fn.triggers ?? []) if (t.type === 'timer') out.push({ functionName: fn.name, name: t.name, cron: t.config });
  }
  return out;
}

function nextAfter(cron: string, after: number): number {
  const fields = cron.trim().split(/\s+/);
  const sixFields = fields.length === 7 ? fields.slice(0, 6).join(' ') : fields.join(' ');
  return CronExpressionParser.parse(sixFields, { currentDate: new Date(after), tz: 'Asia/Shanghai' }).next().getTime();
}

export class Timers {
  private readonly scheduled: Scheduled[];
  private interval: NodeJS.Timeout | null = null;

  constructor(
    triggers: TimerTrigger[],
    private readonly clock: Clock,
    private readonly host: FunctionHost,
    private readonly log: (msg: string) => void = () => undefined,
  ) {
    const now = clock.now();
    this.scheduled = triggers.map((t) => ({ ...t, next: nextAfter(t.cron, now), running: null, again: null, fired: 0, lastError: null }));
  }

  start() {
    if (!this.interval) {
      this.interval = setInterval(() => void this.fireDue(), 1000);
      this.interval.unref();
    }
  }

  stop() {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
  }

  list() {
    return this.scheduled.map(({ functionName, name, cron, next, fired, lastError }) => ({ functionName, name, cron, next: new Date(next).toISOString(), fired, lastError }));
  }

  /** After the clock jumps back, re-plan from the new time. */
  replan() {
    const now = this.clock.now();
    for (const s of this.scheduled) s.next = nextAfter(s.cron, now);
  }

  /** Fire every trigger that is due on the local clock; resolves when they have run. */
  async fireDue(): Promise<void> {
    const now = this.clock.now();
    await Promise.all(this.scheduled.filter((s) => s.next <= now).map((s) => this.fire(s, now)));
  }

  /** Fire one trigger now, whatever its schedule (dev endpoint). */
  async fireNow(name: string): Promise<boolean> {
    const s = this.scheduled.find((t) => t.name === name || t.functionName === name);
    if (!s) return false;
    await this.fire(s, this.clock.now());
    return true;
  }

  private fire(s: Scheduled, now: number): Promise<void> {
    s.next = nextAfter(s.cron, now);
    // One in flight read the clock before this firing was due (a test moved the clock meanwhile): answering with it
    // dropped the firing, and the moved time was seen only at the next minute. Run again once it ends, on the clock
    // as it is then; firings asked for meanwhile share that one.
    if (s.running) {
      s.again ??= s.running.then(() => {
        s.again = null;
        return this.fire(s, this.clock.now());
      });
      return s.again;
    }
    const event = { Type: 'Timer', TriggerName: s.name, Time: new Date(now).toISOString(), Message: '' };
    s.running = this.host
      .invoke(s.functionName, event, { source: 'timer', triggerName: s.name })
      .then(
        () => {
          s.fired++;
          s.lastError = null;
        },
        (e: Error) => {
          s.fired++;
          s.lastError = e.message;
          this.log(`timer ${s.name} → ${s.functionName} failed: ${e.message}`);
        },
      )
      .finally(() => {
        s.running = null;
      });
    return s.running;
  }
}
