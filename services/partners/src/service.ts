import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { handlers } from './events';
import { deliverWebhooksJob } from './jobs/deliver-webhooks';
import { CreatePartners1763800014000 } from './migrations/1763800014000-create-partners';
import { partnerMetrics } from './metrics';
import { partnersResolvers } from './resolvers';
import { deliverySettings, type DeliverySettings } from './settings';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/**
 * Partners (issue 14): the partners an administrator registers (granted partner-topic event types
 * and region, endpoint, Standard Webhooks secret); the partner event log, taken once from the partner
 * topics; a webhook delivery per event and partner whose grants cover it, sent signed, at least once,
 * in order per student; and "changes since" over the log for a partner's own token. Publishes nothing.
 */
export function partnersService(settings: DeliverySettings = deliverySettings()): ServiceDefinition {
  return {
    name: 'partners',
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: partnersResolvers,
    entities: [],
    migrations: [CreatePartners1763800014000],
    schedules: [deliverWebhooksJob(settings)],
    metrics: partnerMetrics,
    consumes: { topics: (t) => [t.partnerStatus, t.partnerEligibility], handlers },
  };
}

export const partners: ServiceDefinition = partnersService();
