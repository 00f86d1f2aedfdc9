import { randomUUID } from 'node:crypto';
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
  tokenFor,
} from '@xueji/testkit';
import { graduation } from '../src/service';

export interface Running {
  service: RunningService;
  url: string;
  /** Publish events as enrolment, status-change or assessment would, and wait until graduation applied them. */
  publish: (topic: 'enrolment' | 'status-change' | 'assessment', events: EventEnvelope[]) => Promise<void>;
  /** Move "today" (and the clock's instant with it). */
  setToday: (day: string) => void;
  stop: () => Promise<void>;
}

/** The graduation subgraph alone, on a fresh database and its own topics, under a profile and a movable date. */
export async function startGraduation(label: string, profile: string, today: string): Promise<Running> {
  const databaseUrl = await createTestDatabase(`graduation_${label}`);
  const topicPrefix = testTopicPrefix();
  let day = today;
  const config = testServiceConfig('graduation', { databaseUrl, topicPrefix, relay: false, profile, today });
  const service = await startService(graduation, {
    ...config,
    today: () => day,
    now: () => onFixedDate(day, new Date()),
  });
  return {
    service,
    url: service.url,
    publish: (topic, events) =>
      deliverEvents(service, `${topicPrefix}xueji.${topic}.events`, events, 'graduation to apply the events'),
    setToday: (next) => {
      day = next;
    },
    stop: async () => {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

export interface School {
  schoolId: string;
  code: string;
  regionCode: string;
  authorityRegionCode: string;
}

export function newSchool(regionCode: string, code: string, authorityRegionCode = regionCode): School {
  return { schoolId: randomUUID(), code, regionCode, authorityRegionCode };
}

export const registrarOf = (school: School) =>
  tokenFor({ subject: `registrar-${school.schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
export const reviewerOf = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });

/** The school as enrolment publishes it. */
export const schoolEvent = (s: School) =>
  createEvent('xueji.enrolment.school.registered.v1', s.schoolId, {
    schoolId: s.schoolId,
    code: s.code,
    name: `${s.code} 职业学校`,
    regionCode: s.regionCode,
    authorityRegionCode: s.authorityRegionCode,
    nationalKey: false,
    status: 'ACTIVE',
  });

/** A student registered and approved (entered 2026-09-01 on a 3-year full-time plan unless told), as enrolment publishes it. */
export function enrolled(
  s: School,
  studentId: string,
  overrides: { entryDate?: string; studyForm?: 'FULL_TIME' | 'PART_TIME' | 'FLEXIBLE'; expectedYears?: number } = {},
): EventEnvelope[] {
  return [
    createEvent('xueji.enrolment.student.registered.v1', studentId, {
      studentId,
      schoolId: s.schoolId,
      regionCode: s.regionCode,
      name: `学生${studentId.slice(0, 4)}`,
      registeredAt: '2026-08-20T08:00:00.000Z',
    }),
    approvedRegistration({
      studentId,
      schoolId: s.schoolId,
      regionCode: s.regionCode,
      authorityRegionCode: s.authorityRegionCode,
      entryDate: overrides.entryDate ?? '2026-09-01',
      approvedAt: '2026-08-28T09:00:00.000Z',
      ...(overrides.studyForm ? { studyForm: overrides.studyForm } : {}),
      ...(overrides.expectedYears ? { expectedYears: overrides.expectedYears } : {}),
    }),
  ];
}

/** Assessment's facts of a student who passed everything (or fell short of credits), as assessment publishes them. */
export function assessed(
  s: School,
  studentId: string,
  options: { creditsShort?: boolean; internshipPassed?: boolean; at?: string } = {},
): EventEnvelope[] {
  const at = options.at ?? '2029-04-30T08:00:00.000Z';
  return [
    createEvent('xueji.assessment.results.changed.v1', studentId, {
      studentId,
      schoolId: s.schoolId,
      coursesPassed: options.creditsShort ? 25 : 30,
      coursesFailed: options.creditsShort ? 5 : 0,
      coursesOutstanding: 0,
      creditsEarned: options.creditsShort ? 140 : 170,
      creditsRequired: 170,
      pePassed: true,
      changedAt: at,
    }),
    createEvent('xueji.assessment.conduct.recorded.v1', studentId, {
      studentId,
      schoolId: s.schoolId,
      period: 'SEMESTER',
      term: '2028-2029-2',
      grade: 'GOOD',
      recordedAt: at,
    }),
    createEvent('xueji.assessment.internship.assessed.v1', studentId, {
      internshipId: randomUUID(),
      studentId,
      schoolId: s.schoolId,
      passed: options.internshipPassed ?? true,
      assessedOn: at.slice(0, 10),
      assessedAt: at,
    }),
  ];
}

/** Make-ups passed: the results as they stand after them. */
export const madeUp = (s: School, studentId: string, at: string): EventEnvelope =>
  createEvent('xueji.assessment.results.changed.v1', studentId, {
    studentId,
    schoolId: s.schoolId,
    coursesPassed: 30,
    coursesFailed: 0,
    coursesOutstanding: 0,
    creditsEarned: 170,
    creditsRequired: 170,
    pePassed: true,
    changedAt: at,
  });

export const SUBMIT_LIST = /* GraphQL */ `
  mutation ($input: GraduateListInput!) {
    submitGraduateList(input: $input) {
      id
      state
      term
      entries {
        studentId
        diplomaNumber
      }
    }
  }
`;

export const APPROVE_LIST = /* GraphQL */ `
  mutation ($id: ID!, $sheet: String!) {
    approveGraduateList(id: $id, verificationSheetRef: $sheet) {
      id
      state
      verificationSheetRef
      entries {
        studentId
        diplomaNumber
      }
    }
  }
`;

export const RECORD_CERTIFICATE = /* GraphQL */ `
  mutation ($input: HeldCertificateInput!) {
    recordHeldCertificate(input: $input) {
      id
      kind
    }
  }
`;

export const AUDIT_SELECTION = `graduation { stage diplomaNumber audit { outcome lacking conditions { condition rule met factsJson } } certificates { kind state number issuedOn replacesId statedDuration } }`;
