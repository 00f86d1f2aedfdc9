import { randomUUID } from 'node:crypto';
import { onFixedDate } from '@xueji/config';
import { createEvent, type EventData, type EventEnvelope } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  approvedRegistration,
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  ok,
  resolveStudents,
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

/** When a record was submitted and approved, and whether in time (jilin's GR-1), as the producers publish it. */
export type ApprovalTiming = Pick<
  EventData<'xueji.enrolment.registration.approved.v1'>,
  'submittedOn' | 'approvedOn' | 'approvedInTime'
>;

/** A student registered and approved (entered 2026-09-01 on a 3-year full-time plan unless told), as enrolment publishes it. */
export function enrolled(
  s: School,
  studentId: string,
  overrides: {
    entryDate?: string;
    studyForm?: 'FULL_TIME' | 'PART_TIME' | 'FLEXIBLE';
    expectedYears?: number;
    timing?: ApprovalTiming;
  } = {},
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
      ...(overrides.timing ?? {}),
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

/** What `AUDIT_SELECTION` reads of a student's audit (GR-1). */
export type Audit = {
  outcome: string;
  lacking: string[];
  conditions: { condition: string; rule: string; met: boolean; factsJson: string }[];
};

/** A student's audit (GR-1) as `token` sees it. */
export async function auditOf(g: Running, token: string, studentId: string): Promise<Audit> {
  const r = await resolveStudents<{ graduation: { audit: Audit } }>(g.url, token, [studentId], AUDIT_SELECTION);
  expect(r.errors).toBeUndefined();
  return r.data!._entities[0]!.graduation.audit;
}

/** `enrolled`, under a name of its own (as the public lookup is asked it: the default names carry digits of the id) and more of the registration. */
export function enrolledAs(
  s: School,
  studentId: string,
  name: string,
  data: Record<string, unknown> = {},
): EventEnvelope[] {
  const [registered, approved] = enrolled(s, studentId);
  return [{ ...registered!, data: { ...(registered!.data as object), name, ...data } }, approved!];
}

/** The skill certificate the school records its student holds (fujian's GR-1 asks one). */
export async function holdsSkillCertificate(g: Running, school: School, studentId: string): Promise<void> {
  ok(
    await graphql(
      g.url,
      RECORD_CERTIFICATE,
      {
        input: {
          studentId,
          kind: 'SKILL_CERTIFICATE',
          title: '计算机程序设计员（四级）',
          number: `S-${studentId.slice(0, 8)}`,
          issuedOn: '2029-01-10',
        },
      },
      registrarOf(school),
    ),
  );
}

/** A student named `name` with passing results (or short of credits), holding a skill certificate. */
export async function holder(
  g: Running,
  school: School,
  name: string,
  options: { creditsShort?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await g.publish('enrolment', enrolledAs(school, id, name));
  await g.publish('assessment', assessed(school, id, options));
  await holdsSkillCertificate(g, school, id);
  return id;
}

/** A student named `name`, short of credits, with the certificate of completion the school issued (GR-6). */
export async function completionHolder(
  g: Running,
  school: School,
  name: string,
): Promise<{ studentId: string; number: string }> {
  const studentId = await holder(g, school, name, { creditsShort: true });
  const issued = ok(
    await graphql<{ issueCompletionCertificate: { number: string; state: string } }>(
      g.url,
      `
        mutation ($id: ID!) {
          issueCompletionCertificate(studentId: $id) {
            number
            state
          }
        }
      `,
      { id: studentId },
      registrarOf(school),
    ),
  ).issueCompletionCertificate;
  expect(issued.state).toBe('VALID');
  return { studentId, number: issued.number };
}
