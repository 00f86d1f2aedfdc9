/** Every service's definition, by name: what the operator commands (`pnpm replay`, `pnpm inbox`) run. */
import type { ServiceName } from '@xueji/config';
import type { ServiceDefinition } from '@xueji/service-kit';
import { assessment } from '../../services/assessment/src/service';
import { enrolment } from '../../services/enrolment/src/service';
import { graduation } from '../../services/graduation/src/service';
import { partners } from '../../services/partners/src/service';
import { statusChange } from '../../services/status-change/src/service';
import { subsidy } from '../../services/subsidy/src/service';

export const SERVICE_DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  enrolment,
  'status-change': statusChange,
  assessment,
  graduation,
  subsidy,
  partners,
};
