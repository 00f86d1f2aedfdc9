/**
 * One service's definition, loaded by itself: an operator command on one service (`pnpm inbox`,
 * `pnpm replay`) starts without loading the other services' code.
 */
import type { ServiceName } from '@xueji/config';
import type { ServiceDefinition } from '@xueji/service-kit';

const LOADERS: Record<ServiceName, () => Promise<ServiceDefinition>> = {
  enrolment: async () => (await import('../../services/enrolment/src/service')).enrolment,
  'status-change': async () => (await import('../../services/status-change/src/service')).statusChange,
  assessment: async () => (await import('../../services/assessment/src/service')).assessment,
  graduation: async () => (await import('../../services/graduation/src/service')).graduation,
  subsidy: async () => (await import('../../services/subsidy/src/service')).subsidy,
  partners: async () => (await import('../../services/partners/src/service')).partners,
};

export function loadServiceDefinition(name: ServiceName): Promise<ServiceDefinition> {
  return LOADERS[name]();
}
