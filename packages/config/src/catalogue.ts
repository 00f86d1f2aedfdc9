/**
 * The deployment's topology in one place: which services exist, their ports, databases and
 * topics. The gateway, the infra scripts' topic list, docker-compose and the tests all check
 * against this catalogue.
 */
export const SERVICE_NAMES = ['enrolment', 'status-change', 'assessment', 'graduation', 'subsidy', 'partners'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceEntry {
  name: ServiceName;
  /** Default HTTP port on 127.0.0.1. */
  port: number;
  /** Its own PostgreSQL database. */
  database: string;
  /** The topic its outbox publishes to. */
  topic: string;
}

export const SERVICES: Record<ServiceName, ServiceEntry> = {
  enrolment: { name: 'enrolment', port: 4001, database: 'xueji_enrolment', topic: 'xueji.enrolment.events' },
  'status-change': {
    name: 'status-change',
    port: 4002,
    database: 'xueji_status_change',
    topic: 'xueji.status-change.events',
  },
  assessment: { name: 'assessment', port: 4003, database: 'xueji_assessment', topic: 'xueji.assessment.events' },
  graduation: { name: 'graduation', port: 4004, database: 'xueji_graduation', topic: 'xueji.graduation.events' },
  subsidy: { name: 'subsidy', port: 4005, database: 'xueji_subsidy', topic: 'xueji.subsidy.events' },
  /** Publishes nothing yet; its topic exists so every service has one. */
  partners: { name: 'partners', port: 4006, database: 'xueji_partners', topic: 'xueji.partners.events' },
};

export const GATEWAY_PORT = 4000;

/** Topics besides the services' own: partner copies without sensitive fields, and dead letters. */
export const SHARED_TOPICS = {
  partnerStatus: 'xueji.partner.status',
  partnerEligibility: 'xueji.partner.eligibility',
  deadLetter: 'xueji.dead-letter',
} as const;

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Every topic the deployment needs, with its partition count (infra/topics.txt mirrors this). */
export function allTopics(prefix = ''): TopicSpec[] {
  return [
    ...SERVICE_NAMES.map((name) => ({ name: prefix + SERVICES[name].topic, partitions: 3 })),
    { name: prefix + SHARED_TOPICS.partnerStatus, partitions: 3 },
    { name: prefix + SHARED_TOPICS.partnerEligibility, partitions: 3 },
    { name: prefix + SHARED_TOPICS.deadLetter, partitions: 1 },
  ];
}
