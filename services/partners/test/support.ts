import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  ok,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
  type GraphQLResponse,
} from '@xueji/testkit';
import { partnersService } from '../src/service';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from '../src/settings';

export const STATUS_TYPE = 'xueji.status-change.partner.status-changed.v1';
export const ELIGIBILITY_TYPE = 'xueji.subsidy.partner.eligibility-changed.v1';

/** Retries in tens of milliseconds, so a test sees several in a second. */
export const FAST_DELIVERY: DeliverySettings = {
  ...DEFAULT_DELIVERY_SETTINGS,
  intervalMs: 50,
  timeoutMs: 2_000,
  backoffBaseMs: 50,
  backoffCapMs: 200,
  maxAttempts: 4,
};

export interface Running {
  service: RunningService;
  url: string;
  /** Publish partner events as status-change or subsidy would, and wait until partners logged them. */
  publish(...events: EventEnvelope[]): Promise<void>;
  stop(): Promise<void>;
}

/** The partners subgraph alone, on a fresh database and its own topics. */
export async function startPartners(label: string, settings: DeliverySettings = FAST_DELIVERY): Promise<Running> {
  const databaseUrl = await createTestDatabase(`partners_${label}`);
  const topicPrefix = testTopicPrefix();
  const config = testServiceConfig('partners', { databaseUrl, topicPrefix, relay: false });
  const service = await startService(partnersService(settings), config);
  return {
    service,
    url: service.url,
    publish: async (...events) => {
      for (const event of events) {
        const topic = event.type === STATUS_TYPE ? config.topics.partnerStatus : config.topics.partnerEligibility;
        await deliverEvents(service, topic, [event], 'partners to log the events');
      }
    },
    stop: async () => {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

export const admin = tokenFor({ subject: 'admin-1', role: 'ADMINISTRATOR' });
export const partnerToken = (partnerId: string) => tokenFor({ subject: partnerId, role: 'PARTNER' });

/** A status change as status-change publishes its partner copy; `regionCode` null: an old event without one. */
export function statusChanged(studentId: string, regionCode: string | null, kind = 'WITHDRAWAL') {
  return createEvent(STATUS_TYPE, studentId, {
    studentId,
    kind,
    effectiveDate: '2026-11-02',
    previousStatus: 'ACTIVE',
    newStatus: 'WITHDRAWN',
    schoolId: randomUUID(),
    ...(regionCode ? { regionCode } : {}),
  });
}

export function eligibilityChanged(studentId: string, regionCode: string) {
  return createEvent(ELIGIBILITY_TYPE, studentId, {
    studentId,
    period: '2026-autumn',
    grantEligible: false,
    waiverEligible: false,
    decidedAt: new Date().toISOString(),
    regionCode,
  });
}

export const PARTNER_FIELDS = `id name eventTypes regionCode endpointUrl state registeredAt
  delivery { pending oldestPendingAt lagSeconds lastSuccessAt lastError lastErrorAt failures deadLettered }`;

export interface PartnerView {
  id: string;
  name: string;
  eventTypes: string[];
  regionCode: string;
  endpointUrl: string;
  state: 'ACTIVE' | 'PAUSED';
  delivery: {
    pending: number;
    oldestPendingAt: string | null;
    lagSeconds: number;
    lastSuccessAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    failures: number;
    deadLettered: number;
  };
}

export const REGISTER = `mutation ($input: RegisterPartnerInput!) {
  registerPartner(input: $input) { secret partner { ${PARTNER_FIELDS} } }
}`;

export function register(
  url: string,
  input: { name?: string; eventTypes?: string[]; regionCode?: string; endpointUrl: string; secret?: string },
  token = admin,
): Promise<GraphQLResponse<{ registerPartner: { secret: string; partner: PartnerView } }>> {
  return graphql(
    url,
    REGISTER,
    { input: { name: 'Partner', eventTypes: [STATUS_TYPE], regionCode: '220100', ...input } },
    token,
  );
}

export async function registered(
  url: string,
  input: Parameters<typeof register>[1],
): Promise<{ secret: string; partner: PartnerView }> {
  return ok(await register(url, input)).registerPartner;
}

export async function partnerView(url: string, id: string): Promise<PartnerView> {
  return ok(
    await graphql<{ partner: PartnerView }>(
      url,
      `query ($id: ID!) { partner(id: $id) { ${PARTNER_FIELDS} } }`,
      { id },
      admin,
    ),
  ).partner;
}

export const CHANGES = `query ($after: String, $first: Int!) {
  partnerChanges(after: $after, first: $first) {
    edges { cursor node { id specversion type source subject time datacontenttype data } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface ChangesPage {
  partnerChanges: {
    edges: { cursor: string; node: { id: string; type: string; subject: string; data: Record<string, unknown> } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
