import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  approvedRegistration,
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  testServiceConfig,
  testTopicPrefix,
} from '@xueji/testkit';
import { subsidy } from '../src/service';

export interface Running {
  service: RunningService;
  /** Publish events as enrolment, status-change or assessment would, and wait until subsidy applied them. */
  publish: (topic: 'enrolment' | 'status-change' | 'assessment', events: EventEnvelope[]) => Promise<void>;
  stop: () => Promise<void>;
}

/** The subsidy subgraph alone on a fresh database and its own topics; today is 2028-03-15 unless given. */
export async function startSubsidy(label: string, today = '2028-03-15'): Promise<Running> {
  const databaseUrl = await createTestDatabase(`subsidy_${label}`);
  const topicPrefix = testTopicPrefix();
  const config = testServiceConfig('subsidy', { databaseUrl, topicPrefix, relay: false, today });
  const service = await startService(subsidy, config);
  return {
    service,
    publish: (topic, events) =>
      deliverEvents(service, `${topicPrefix}xueji.${topic}.events`, events, 'subsidy to apply the events'),
    stop: async () => {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

export const SCHOOL = randomUUID();
export const at = (iso: string) => ({ time: new Date(iso) });

export interface Enrolment {
  schoolId: string;
  regionCode: string;
  idNumber: string;
  registeredAt: string;
  approvedAt: string;
  studyForm: 'FULL_TIME' | 'PART_TIME' | 'FLEXIBLE';
  majorCode: string;
  agricultureRelated: boolean;
  teachingPointId: string | null;
  name: string;
  entryDate: string;
}

/** A formal, full-time, rural student entering on 2026-09-01 (unless given), as enrolment publishes it. */
export function enrolled(studentId: string, overrides: Partial<Enrolment> = {}): EventEnvelope[] {
  const e: Enrolment = {
    schoolId: SCHOOL,
    regionCode: '420302',
    idNumber: `ID-${studentId}`,
    registeredAt: '2026-08-20T08:00:00.000Z',
    approvedAt: '2026-08-28T09:00:00.000Z',
    studyForm: 'FULL_TIME',
    majorCode: '710201',
    agricultureRelated: false,
    teachingPointId: null,
    name: '学生',
    entryDate: '2026-09-01',
    ...overrides,
  };
  return [
    createEvent(
      'xueji.enrolment.student.registered.v1',
      studentId,
      {
        studentId,
        schoolId: e.schoolId,
        regionCode: e.regionCode,
        name: e.name,
        registeredAt: e.registeredAt,
        idNumber: e.idNumber,
      },
      at(e.registeredAt),
    ),
    approvedRegistration(
      {
        studentId,
        schoolId: e.schoolId,
        regionCode: e.regionCode,
        approvedAt: e.approvedAt,
        entryDate: e.entryDate,
        studyForm: e.studyForm,
        majorCode: e.majorCode,
        agricultureRelated: e.agricultureRelated,
        teachingPointId: e.teachingPointId,
      },
      at(e.approvedAt),
    ),
  ];
}

export type Kind = 'SUSPENSION' | 'RESUMPTION' | 'WITHDRAWAL';
const STATUS = { SUSPENSION: 'SUSPENDED', RESUMPTION: 'ACTIVE', WITHDRAWAL: 'WITHDRAWN' } as const;
const PREVIOUS = { SUSPENSION: 'ACTIVE', RESUMPTION: 'SUSPENDED', WITHDRAWAL: 'ACTIVE' } as const;

export function changed(
  studentId: string,
  kind: Kind,
  effectiveDate: string,
  time: string,
  schoolId = SCHOOL,
): EventEnvelope {
  return createEvent(
    'xueji.status-change.status.changed.v1',
    studentId,
    {
      studentId,
      kind,
      effectiveDate,
      previousStatus: PREVIOUS[kind],
      newStatus: STATUS[kind],
      schoolId,
      regionCode: '420302',
    },
    at(time),
  );
}

/** Current decisions of a student, oldest period first. */
export async function current(service: RunningService, studentId: string) {
  return (await service.dataSource.query(
    `SELECT period, grant_eligible AS grant, waiver_eligible AS waiver FROM eligibility_decision
      WHERE student_id = $1 AND superseded_at IS NULL ORDER BY period_starts_on`,
    [studentId],
  )) as { period: string; grant: boolean; waiver: boolean }[];
}

export async function entitlements(service: RunningService, studentId: string) {
  return (await service.dataSource.query(
    `SELECT id, period, amount_cny::float AS amount, state, recovery_flagged AS recovery FROM entitlement
      WHERE student_id = $1 ORDER BY period_starts_on`,
    [studentId],
  )) as { id: string; period: string; amount: number; state: string; recovery: boolean }[];
}
