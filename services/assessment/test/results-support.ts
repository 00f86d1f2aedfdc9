/** Part A's test helpers: a running assessment under a profile, a school, approved students, a plan. */
import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { selectRows } from '@xueji/db';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  approvedRegistration,
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { assessment } from '../src/service';

export interface Deployment {
  service: RunningService;
  topicPrefix: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Assessment under a profile, its clock on `today`, the relay off (events stay in the outbox to be read). */
export async function deploy(profile: string, today = '2026-10-10'): Promise<Deployment> {
  const databaseUrl = await createTestDatabase(`assessment_${profile.replace(/-/g, '_')}`);
  const topicPrefix = testTopicPrefix();
  const service = await startService(
    assessment,
    testServiceConfig('assessment', { databaseUrl, topicPrefix, relay: false, today, profile }),
  );
  return {
    service,
    topicPrefix,
    databaseUrl,
    async stop() {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

export const schoolRegistered = (schoolId: string, regionCode: string) =>
  createEvent('xueji.enrolment.school.registered.v1', schoolId, {
    schoolId,
    code: schoolId.slice(0, 8),
    name: '学校',
    regionCode,
    authorityRegionCode: regionCode,
    nationalKey: false,
    status: 'ACTIVE',
  });

/** Enrolment's events for a school and its approved students of a major and entry date. */
export async function enrol(
  d: Deployment,
  school: { schoolId: string; regionCode: string },
  students: string[],
  majorCode = '710201',
  entryDate = '2026-09-01',
): Promise<void> {
  const events: EventEnvelope[] = [schoolRegistered(school.schoolId, school.regionCode)];
  for (const studentId of students) {
    events.push(
      approvedRegistration({ studentId, ...school, entryDate, approvedAt: '2026-09-20T02:00:00.000Z', majorCode }),
    );
  }
  await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, events);
}

export const registrarOf = (schoolId: string) =>
  tokenFor({ subject: `registrar-${schoolId.slice(0, 8)}`, role: 'SCHOOL_REGISTRAR', schoolId });

export const reviewerOf = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });

export interface CourseSpec {
  code: string;
  studyYear?: number;
  semester?: number;
  credits?: number;
  assessmentType?: 'EXAM' | 'TEST';
  physicalEducation?: boolean;
}

export const course = (c: CourseSpec) => ({
  code: c.code,
  name: `课程 ${c.code}`,
  studyYear: c.studyYear ?? 1,
  semester: c.semester ?? 1,
  credits: c.credits ?? 4,
  classHours: 64,
  assessmentType: c.assessmentType ?? 'EXAM',
  requirement: 'COMPULSORY',
  category: 'PROFESSIONAL',
  physicalEducation: c.physicalEducation ?? false,
});

export const CREATE_PLAN = `mutation ($input: TeachingPlanInput!) {
  createTeachingPlan(input: $input) {
    id schoolId majorCode cohortYear makeUpsPerCourse
    courses(first: 100) { edges { node { id code studyYear semester credits physicalEducation } } }
  }
}`;

export const RECORD_RESULTS = `mutation ($input: RecordResultsInput!) { recordResults(input: $input) { recorded unchanged } }`;

export const RECORD_CONDUCT = `mutation ($input: ConductInput!) {
  recordConduct(input: $input) { id period term grade comment }
}`;

export const SET_CONVERSION = `mutation ($input: CreditConversionInput!) {
  setCreditConversion(input: $input) { id kind certificateCode credits exemptCourseCodes }
}`;

export const RECOGNIZE = `mutation ($input: CreditRecognitionInput!) {
  recognizeCredits(input: $input) { id kind certificateCode credits }
}`;

export const EXEMPT_PE = `mutation ($input: PeExemptionInput!) {
  exemptFromPhysicalEducation(input: $input) { id kind certificateCode credits }
}`;

/** A plan of the school's major and cohort with the given courses; the course ids by code. */
export async function createPlan(
  d: Deployment,
  schoolId: string,
  courses: CourseSpec[],
  options: { majorCode?: string; cohortYear?: number; makeUpsPerCourse?: number; requiredCredits?: number } = {},
): Promise<{ planId: string; courseIds: Record<string, string> }> {
  const response = await graphql<{
    createTeachingPlan: { id: string; courses: { edges: { node: { id: string; code: string } }[] } };
  }>(
    d.service.url,
    CREATE_PLAN,
    {
      input: {
        schoolId,
        majorCode: options.majorCode ?? '710201',
        cohortYear: options.cohortYear ?? 2026,
        name: '教学计划',
        makeUpsPerCourse: options.makeUpsPerCourse ?? 1,
        requiredCredits: options.requiredCredits ?? 120,
        courses: courses.map(course),
      },
    },
    registrarOf(schoolId),
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  const plan = response.data!.createTeachingPlan;
  return {
    planId: plan.id,
    courseIds: Object.fromEntries(plan.courses.edges.map((e) => [e.node.code, e.node.id])),
  };
}

/** Record one course's results (scores by student) as the school's registrar. */
export function recordScores(
  d: Deployment,
  schoolId: string,
  courseId: string,
  scores: Record<string, number | { [k: string]: unknown }>,
  attempt = 'REGULAR',
  sitting = 1,
) {
  return graphql<{ recordResults: { recorded: number; unchanged: number } }>(
    d.service.url,
    RECORD_RESULTS,
    {
      input: {
        courseId,
        attempt,
        sitting,
        entries: Object.entries(scores).map(([studentId, v]) =>
          typeof v === 'number' ? { studentId, score: v } : { studentId, ...v },
        ),
      },
    },
    registrarOf(schoolId),
  );
}

/** Events of a type in the outbox (the relay is off), oldest first. */
export async function outboxEvents<T = Record<string, unknown>>(d: Deployment, type: string): Promise<T[]> {
  const rows = await selectRows<{ payload: string }>(
    d.service.dataSource,
    `SELECT payload FROM outbox_message WHERE event_type = $1 ORDER BY seq`,
    [type],
  );
  return rows.map((r) => JSON.parse(r.payload) as T);
}

export const newSchool = (regionCode = '110105') => ({ schoolId: randomUUID(), regionCode });
export const newStudents = (n: number): string[] => Array.from({ length: n }, () => randomUUID());
