import type { CommandEnv, EventHandlers } from '@xueji/service-kit';
import { studentScopeHandlers } from '@xueji/student-scope';

/** Events assessment applies: registrations and transfers tell it which students exist and where. */
export const handlers = (env: CommandEnv): EventHandlers => ({ ...studentScopeHandlers(env) });
