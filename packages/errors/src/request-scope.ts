import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being answered, for code (such as Apollo's `formatError`) that is not handed it. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request being answered, if any: `INTERNAL_SERVER_ERROR` and its log line carry it. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}
