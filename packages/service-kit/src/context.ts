import type { DataSource } from 'typeorm';
import type { Principal } from '@xueji/auth';
import type { TopicNames } from '@xueji/config';
import type { PolicyProfile } from '@xueji/policy';
import type { Logger } from './logger';

/** What every resolver receives. */
export interface ServiceContext {
  principal: Principal | null;
  dataSource: DataSource;
  profile: PolicyProfile;
  topics: TopicNames;
  logger: Logger;
  requestId: string;
  /** Today's date (YYYY-MM-DD) where the schools are; fixed in tests. */
  today(): string;
  /** The current instant on the same clock as `today()`. */
  now(): Date;
}

const perRequestValues = new WeakMap<object, Map<string | symbol, unknown>>();

/** A value made once per request (e.g. a DataLoader), kept on the request's context. */
export function perRequest<T>(context: object, key: string | symbol, create: () => T): T {
  let values = perRequestValues.get(context);
  if (!values) perRequestValues.set(context, (values = new Map<string | symbol, unknown>()));
  if (!values.has(key)) values.set(key, create());
  return values.get(key) as T;
}
