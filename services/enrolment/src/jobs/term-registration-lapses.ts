import { systemActor, type ScheduledJob } from '@xueji/service-kit';
import { detectTermRegistrationLapsesAsSystem } from '../application/term-registration';

const NAME = 'term-registration-lapses';

/**
 * ENR-17: look for lapsed term registrations every hour; each lapse is published once. A run that
 * finds nothing new writes nothing, not even an audit row (it answers null).
 */
export const termRegistrationLapses: ScheduledJob = {
  name: NAME,
  intervalMs: 3600_000,
  run: (env) => detectTermRegistrationLapsesAsSystem.runAsSystem(env.dataSource, env, systemActor(NAME), undefined),
};
