import { onFixedDate } from '@xueji/config';
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
import { statusChange } from '../src/service';

/** status-change started for a test file: its own database and topics, and a clock the test moves. */
export interface Running {
  service: RunningService;
  topicPrefix: string;
  setToday(day: string): void;
  /** Publish events as enrolment (or assessment) would, and wait until status-change applied them. */
  publish(topic: 'enrolment' | 'assessment' | 'subsidy', ...events: EventEnvelope[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `options.clock`: the instant moves with "today" too (submissions and approvals are stamped on the day
 * the test sets); otherwise only "today" moves.
 */
export async function startStatusChange(
  profile: string,
  today: string,
  options: { clock?: boolean } = {},
): Promise<Running> {
  const databaseUrl = await createTestDatabase(`status_${profile.replace('-', '_')}`);
  const topicPrefix = testTopicPrefix();
  let day = today;
  const config = testServiceConfig('status-change', { databaseUrl, topicPrefix, profile });
  const service = await startService(statusChange, {
    ...config,
    today: () => day,
    ...(options.clock ? { now: () => onFixedDate(day, new Date()) } : {}),
  });
  return {
    service,
    topicPrefix,
    setToday: (d) => {
      day = d;
    },
    publish: (topic, ...events) =>
      deliverEvents(service, `${topicPrefix}xueji.${topic}.events`, events, 'status-change to apply the events'),
    stop: async () => {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** A school as enrolment publishes it. */
export interface TestSchool {
  schoolId: string;
  code: string;
  name: string;
  /** The county the school is in. */
  regionCode: string;
  /** The county (or city) of its competent authority (ADM-1). */
  authorityRegionCode: string;
}

export const schoolRegistered = (school: TestSchool): EventEnvelope =>
  createEvent('xueji.enrolment.school.registered.v1', school.schoolId, {
    ...school,
    nationalKey: false,
    status: 'ACTIVE',
  });

/** A student of the school registered and approved on the entry date: a formal student, as enrolment publishes it. */
export function formalStudent(school: TestSchool, studentId: string, entryDate: string): EventEnvelope[] {
  return [
    createEvent('xueji.enrolment.student.registered.v1', studentId, {
      studentId,
      schoolId: school.schoolId,
      regionCode: school.regionCode,
      name: '学生',
      registeredAt: `${entryDate}T08:00:00.000Z`,
    }),
    approvedRegistration({
      studentId,
      schoolId: school.schoolId,
      regionCode: school.regionCode,
      authorityRegionCode: school.authorityRegionCode,
      approvedAt: `${entryDate}T09:00:00.000Z`,
      entryDate,
    }),
  ];
}

/** A school, and a formal student of it who entered on the date given, as enrolment publishes them. */
export const enrolled = (school: TestSchool, studentId: string, entryDate: string): EventEnvelope[] => [
  schoolRegistered(school),
  ...formalStudent(school, studentId, entryDate),
];

export const SUBMIT_CHANGE = /* GraphQL */ `
  mutation ($input: ChangeRequestInput!) {
    submitChangeRequest(input: $input) {
      id
    }
  }
`;

export const APPROVE_CHANGE = /* GraphQL */ `
  mutation ($id: ID!) {
    approveChangeRequest(id: $id) {
      state
    }
  }
`;

/** Enrolment's answer that it applied an approved correction (SC-21): the request it settles becomes EFFECTIVE. */
export const correctionApplied = (studentId: string, requestId: string, name: string, effectiveDate: string) =>
  createEvent('xueji.enrolment.personal-data.corrected.v1', studentId, {
    studentId,
    requestId,
    effectiveDate,
    corrections: [{ field: 'name', newValue: name }],
    correctedAt: `${effectiveDate}T02:00:00.000Z`,
  });
