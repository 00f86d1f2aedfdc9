import { createHash } from 'node:crypto';
import type { Principal } from '@xueji/auth';
import { pgErrorCode } from '@xueji/db';
import { badUserInput, CodedError, conflict } from '@xueji/errors';
import type { Command } from './command';

/**
 * Issue 10: a submission repeated by its caller under the same idempotency key (a retry after a
 * lost response) is answered with the first one's result. Thrown inside a command's run, before
 * anything is written: the unit of work rolls back (no row, no audit, no event) and
 * `idempotentSubmission` answers with the result it carries.
 */
export class AlreadySubmitted<R = unknown> extends Error {
  override readonly name = 'AlreadySubmitted';
  constructor(readonly result: R) {
    super('Already submitted under this idempotency key');
  }
}

/** A value with its object keys sorted and absent (null, undefined) fields dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/**
 * The fingerprint of a submission, kept with the row it created: the input without its key, and
 * the scope the caller acted for (the same subject acting for another school is another request).
 */
export function submissionDigest(actor: Principal, input: { idempotencyKey?: string | null }): string {
  const { idempotencyKey: _key, ...rest } = input;
  const scope = { role: actor.role, schoolId: actor.schoolId ?? null, regionCode: actor.regionCode ?? null };
  return createHash('sha256')
    .update(JSON.stringify(canonical({ scope, input: rest })))
    .digest('hex');
}

/**
 * In a command's run, before anything is written, for a submission carrying `key` (`field` is its
 * path in the request): the caller's earlier submission under that key, if any (`earlier`, read by
 * the caller's subject and the key). The same input again: throws `AlreadySubmitted` with the
 * earlier result. Other input under the same key: `CONFLICT` naming the key. None: returns.
 */
export async function repeatedSubmission<R>(
  key: string,
  field: string,
  digest: string,
  earlier: { digest: string | null; load(): Promise<R> } | null,
): Promise<void> {
  if (!key.trim()) {
    throw badUserInput(
      { zh: `${field}：幂等键不得为空`, en: `${field}: an idempotency key must not be blank` },
      { field },
    );
  }
  if (!earlier) return;
  if (earlier.digest !== digest) {
    throw conflict(
      {
        zh: `幂等键“${key}”已用于您的另一项不同的提交；重试请原样重发，新的提交请使用新的键`,
        en: `The idempotency key “${key}” was already used for a different submission of yours; resend a retry unchanged, or use a new key for a new submission`,
      },
      { field, idempotencyKey: key },
    );
  }
  throw new AlreadySubmitted(await earlier.load());
}

/**
 * A submission command made idempotent for its caller: a run that found the caller's earlier
 * submission under the same key (`repeatedSubmission`) is answered with its result. When two runs
 * with the same key race, the second fails on the key's unique index (or on the rule that the
 * first one's row now breaks) and is run once more, which then finds the first one's row.
 */
export function idempotentSubmission<I extends { idempotencyKey?: string | null }, R>(
  write: Command<I, R>,
): Pick<Command<I, R>, 'name' | 'execute'> {
  const attempt: Command<I, R>['execute'] = async (ctx, input) => {
    try {
      return await write.execute(ctx, input);
    } catch (error) {
      if (error instanceof AlreadySubmitted) return error.result as R;
      throw error;
    }
  };
  return {
    name: write.name,
    async execute(ctx, input) {
      try {
        return await attempt(ctx, input);
      } catch (error) {
        const race =
          pgErrorCode(error) === '23505' ||
          (error instanceof CodedError && (error.code === 'CONFLICT' || error.code === 'POLICY_VIOLATION'));
        if (!input.idempotencyKey || !race) throw error;
        return attempt(ctx, input);
      }
    },
  };
}
