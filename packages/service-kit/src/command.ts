import type { DataSource, EntityManager } from 'typeorm';
import { audit, type AuditRecord } from '@xueji/audit';
import { canReadSchool, requireRole, type Principal, type Role, type SchoolScope } from '@xueji/auth';
import type { TopicNames } from '@xueji/config';
import { CodedError, forbidden } from '@xueji/errors';
import { withEventClock, type EventType, type TypedEvent } from '@xueji/events';
import type { EventHandler } from '@xueji/inbox';
import { appendEntriesToOutbox, type OutboxEntry } from '@xueji/outbox';
import type { PolicyProfile } from '@xueji/policy';
import type { ServiceContext } from './context';
import type { Logger } from './logger';

/** The system itself as the author of a write: applying a consumed event, running a scheduled job. */
export interface SystemActor {
  /** What acted: the event's type and id, or the job's name. */
  subject: string;
  role: 'SYSTEM';
}

export const systemActor = (subject: string): SystemActor => ({ subject, role: 'SYSTEM' });

/** Who a write is recorded against. */
export type Actor = Principal | SystemActor;

/** The deployment a command runs in: its rules, its topics and its clock. */
export interface CommandEnv {
  profile: PolicyProfile;
  topics: TopicNames;
  logger: Logger;
  /** Today's date (YYYY-MM-DD) where the schools are. */
  today(): string;
  /** The current instant on the same clock as `today()` (XUEJI_CLOCK_DATE in tests and demos). */
  now(): Date;
}

/** One write, in one transaction: read and change through `manager`, publish through `publish`. */
export interface UnitOfWork<A extends Actor = Actor> extends CommandEnv {
  readonly manager: EntityManager;
  readonly actor: A;
  /** Events to append to the outbox; written in this transaction, in the order given. */
  publish(...entries: OutboxEntry[]): void;
  /**
   * The caller must act for this school (a registrar: that school; a reviewer or officer: a region
   * covering it). The system may act anywhere.
   */
  requireScope(scope: SchoolScope, message?: { zh: string; en: string }): void;
}

export interface CommandDefinition<I, R, A extends Actor> {
  /** The audit action, e.g. `APPROVE_CHANGE_REQUEST`. */
  name: string;
  /** Who may run it: roles of signed-in callers, or `SYSTEM` for event effects and scheduled jobs. */
  roles: readonly Role[] | 'SYSTEM';
  /**
   * The input's limits (lengths, characters, list sizes, date ranges: `limits()` of `@xueji/rules`),
   * checked for a signed-in caller after the role and before any I/O; throws `BAD_USER_INPUT`.
   */
  validate?(input: I, today: string): void;
  /**
   * At most this many runs at once in this process (a heavy import or export), counted before the
   * transaction opens; a further caller waits up to `waitMs` for a place, then is refused with a
   * retryable SERVICE_UNAVAILABLE. Unset: no bound.
   */
  concurrency?: { max: number; waitMs?: number };
  run(uow: UnitOfWork<A>, input: I): Promise<R>;
  /** The one audit row of a successful run: which record, and why. */
  audit(result: R, input: I): Omit<AuditRecord, 'action'>;
}

export interface Command<I, R> {
  readonly name: string;
  /** For a signed-in caller (a resolver): role checked, a transaction of its own. */
  execute(ctx: ServiceContext, input: I): Promise<R>;
  /** For the system in a transaction already open (a consumed event, inside the inbox's transaction). */
  within(manager: EntityManager, env: CommandEnv, actor: SystemActor, input: I): Promise<R>;
  /**
   * For the system with a transaction of its own (a scheduled job's step). Null when the command
   * threw `NothingToDo`: rolled back, nothing written, no audit row.
   */
  runAsSystem(dataSource: DataSource, env: CommandEnv, actor: SystemActor, input: I): Promise<R | null>;
}

/**
 * A system step found nothing left to do (another instance did it, or it is no longer due). Thrown
 * inside a command run by `runAsSystem`, it rolls the step back and `runAsSystem` answers null.
 */
export class NothingToDo extends Error {
  override readonly name = 'NothingToDo';
}

/** How long a caller waits for a place under `concurrency` before it is refused, unless set. */
const CONCURRENCY_WAIT_MS = 1_000;

/**
 * The bound of the file work each service does (a roster import, a roster export): one at a time
 * in a process, another waits up to a second, then is refused as retryable (SERVICE_UNAVAILABLE).
 * Each can hold a few hundred MB and seconds of CPU: two at once took a full import over 400 MiB
 * and held other callers 2.3 s during two exports (issue 10, scripts/bench/request-memory.ts).
 */
export const FILE_WORK_CONCURRENCY = { max: 1, waitMs: CONCURRENCY_WAIT_MS } as const;

/** A counting semaphore of one process: `acquire` resolves to a release, or rejects after `waitMs`. */
function semaphore(name: string, max: number, waitMs = CONCURRENCY_WAIT_MS) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    get running() {
      return running;
    },
    async acquire(): Promise<() => void> {
      if (running < max) {
        running++;
        return release;
      }
      return new Promise((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          resolve(release);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(turn), 1);
          const busy = new CodedError(
            'SERVICE_UNAVAILABLE',
            {
              zh: `同类操作（${name}）已有 ${max} 个正在进行，本次操作未执行，请稍后重试`,
              en: `${max} runs of ${name} are already under way; nothing was done, please retry shortly`,
            },
            { details: { operation: name, maxConcurrent: max } },
          );
          (busy.extensions as Record<string, unknown>).retryable = true;
          reject(busy);
        }, waitMs);
        waiting.push(turn);
      });
    },
  };
}

/**
 * The bound `command({ concurrency })` puts on a command, for heavy work that is not one (a read
 * that builds a file): at most `bound.max` runs of `name` at once in this process; a further
 * caller waits up to `bound.waitMs` for a place, then is refused with a retryable
 * SERVICE_UNAVAILABLE (`extensions.details.maxConcurrent`). `run(work)` runs `work` in a place.
 */
export function concurrencyLimit(
  name: string,
  bound: { max: number; waitMs?: number },
): { run<T>(work: () => Promise<T>): Promise<T>; readonly running: number } {
  const slots = semaphore(name, bound.max, bound.waitMs);
  return {
    get running() {
      return slots.running;
    },
    async run(work) {
      const release = await slots.acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

const OUTSIDE_SCOPE = { zh: '无权处理其他学校或辖区的学生', en: 'You may not act for another school or region' };

/**
 * A write as one unit of work: the kit checks the role, opens (or joins) the transaction, runs the
 * command, appends its events to the outbox and writes exactly one audit row (who, role, when,
 * what, why) — all committed together or not at all. A refusal thrown by the command rolls
 * everything back and writes no audit row.
 */
export function command<I, R, A extends Actor = Principal>(definition: CommandDefinition<I, R, A>): Command<I, R> {
  async function inTransaction(manager: EntityManager, env: CommandEnv, actor: Actor, input: I): Promise<R> {
    const outbox: OutboxEntry[] = [];
    // One instant for the whole unit of work: the timestamps it writes and its events' times agree.
    const now = env.now();
    const uow: UnitOfWork<A> = {
      manager,
      actor: actor as A,
      profile: env.profile,
      topics: env.topics,
      logger: env.logger,
      today: () => env.today(),
      now: () => new Date(now),
      publish: (...entries) => void outbox.push(...entries),
      requireScope(scope, message = OUTSIDE_SCOPE) {
        if (actor.role !== 'SYSTEM' && !canReadSchool(actor, scope)) throw forbidden(message);
      },
    };
    // An event made in the unit of work happens when it does (ce_time), on the service clock.
    const result = await withEventClock(
      () => new Date(now),
      () => definition.run(uow, input),
    );
    await appendEntriesToOutbox(manager, outbox);
    await audit(manager, actor, { action: definition.name, ...definition.audit(result, input) });
    return result;
  }

  const slots = definition.concurrency
    ? semaphore(definition.name, definition.concurrency.max, definition.concurrency.waitMs)
    : null;

  function requireSystem(): void {
    if (definition.roles !== 'SYSTEM') throw new Error(`${definition.name} is not a system command`);
  }

  return {
    name: definition.name,
    async execute(ctx, input) {
      if (definition.roles === 'SYSTEM') throw new Error(`${definition.name} runs only as the system`);
      const principal = requireRole(ctx.principal, ...definition.roles);
      definition.validate?.(input, ctx.today());
      const release = await slots?.acquire();
      try {
        return await ctx.dataSource.transaction((manager) => inTransaction(manager, ctx, principal, input));
      } finally {
        release?.();
      }
    },
    async within(manager, env, actor, input) {
      requireSystem();
      return inTransaction(manager, env, actor, input);
    },
    async runAsSystem(dataSource, env, actor, input) {
      requireSystem();
      try {
        return await dataSource.transaction((manager) => inTransaction(manager, env, actor, input));
      } catch (error) {
        if (error instanceof NothingToDo) return null;
        throw error;
      }
    },
  };
}

/** The system, applying one consumed event: the audit row names the event's type and id. */
const eventActor = (event: { type: string; id: string }): SystemActor => systemActor(`${event.type}#${event.id}`);

/**
 * A consumed event's effect as an inbox handler: the command runs inside the inbox's transaction
 * (so the effect, its events and its audit row commit with the inbox row), as the system.
 */
export function onEvent<T extends EventType, I, R>(
  env: CommandEnv,
  write: Command<I, R>,
  input: (event: TypedEvent<T>) => I,
): EventHandler<T> {
  return async (event, manager) => {
    await write.within(manager, env, eventActor(event), input(event));
  };
}
