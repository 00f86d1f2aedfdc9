import type { DataSource, EntityManager } from 'typeorm';
import { audit, type AuditRecord } from '@xueji/audit';
import { canReadSchool, requireRole, type Principal, type Role, type SchoolScope } from '@xueji/auth';
import type { TopicNames } from '@xueji/config';
import { forbidden } from '@xueji/errors';
import type { EventType, TypedEvent } from '@xueji/events';
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
    const uow: UnitOfWork<A> = {
      manager,
      actor: actor as A,
      profile: env.profile,
      topics: env.topics,
      logger: env.logger,
      today: () => env.today(),
      publish: (...entries) => void outbox.push(...entries),
      requireScope(scope, message = OUTSIDE_SCOPE) {
        if (actor.role !== 'SYSTEM' && !canReadSchool(actor, scope)) throw forbidden(message);
      },
    };
    const result = await definition.run(uow, input);
    await appendEntriesToOutbox(manager, outbox);
    await audit(manager, actor, { action: definition.name, ...definition.audit(result, input) });
    return result;
  }

  function requireSystem(): void {
    if (definition.roles !== 'SYSTEM') throw new Error(`${definition.name} is not a system command`);
  }

  return {
    name: definition.name,
    async execute(ctx, input) {
      if (definition.roles === 'SYSTEM') throw new Error(`${definition.name} runs only as the system`);
      const principal = requireRole(ctx.principal, ...definition.roles);
      definition.validate?.(input, ctx.today());
      return ctx.dataSource.transaction((manager) => inTransaction(manager, ctx, principal, input));
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
export const eventActor = (event: { type: string; id: string }): SystemActor =>
  systemActor(`${event.type}#${event.id}`);

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
