/**
 * The `Student` fields status-change adds, and each request's history, are batched per GraphQL
 * request: 100 Student representations in one `_entities` call (as the gateway sends for a list of
 * students) cost the statements one costs.
 */
import { randomUUID } from 'node:crypto';
import { countStatements, graphql, resolveStudents, tokenFor } from '@xueji/testkit';
import {
  formalStudent,
  schoolRegistered,
  startStatusChange,
  SUBMIT_CHANGE,
  type Running,
  type TestSchool,
} from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030201',
  name: '十堰市张湾区职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '420300' });
const students = Array.from({ length: 100 }, () => randomUUID());

/** Every field status-change adds to Student, and every field of what they return. */
const SELECTION = `
  id
  status { code since }
  statusHistory { kind previousStatus newStatus effectiveAt }
  changeRequests {
    id kind state steps nextStep fromSchoolId toSchoolId effectiveDate details evidenceRefs imposed
    submittedAt decidedAt reason
    history { step action actor role comment at }
  }
`;

interface StudentFields {
  id: string;
  status: { code: string; since: string } | null;
  statusHistory: { kind: string; newStatus: string }[];
  changeRequests: { id: string; state: string; history: { action: string }[] }[];
}

let s: Running;

beforeAll(async () => {
  s = await startStatusChange('national', '2026-09-15');
  await s.publish(
    'enrolment',
    schoolRegistered(school),
    ...students.flatMap((id) => formalStudent(school, id, '2026-03-01')),
  );
  // Each student has a request with its history.
  for (const studentId of students) {
    const r = await graphql(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'SUSPENSION',
          effectiveDate: '2026-10-01',
          evidenceRefs: ['hospital/1'],
          suspension: { ground: 'ILLNESS', months: 6 },
        },
      },
      registrar,
    );
    expect(r.errors).toBeUndefined();
  }
}, 120_000);

afterAll(() => s?.stop());

it('resolves every status-change field of a student, with DateTime fields in ISO 8601', async () => {
  const r = await resolveStudents<StudentFields>(s.service.url, reviewer, students.slice(0, 1), SELECTION);
  expect(r.errors).toBeUndefined();
  const [student] = r.data!._entities;
  expect(student).toMatchObject({
    id: students[0],
    status: { code: 'ACTIVE', since: '2026-03-01T09:00:00.000Z' },
    statusHistory: [
      { kind: 'REGISTRATION', newStatus: 'REGISTRATION_PENDING' },
      { kind: 'REGISTRATION', newStatus: 'ACTIVE' },
    ],
    changeRequests: [{ state: 'PENDING', history: [{ action: 'SUBMIT' }] }],
  });
});

it('resolves 100 students in one _entities call for what one student costs', async () => {
  const one = await countStatements(s.service.dataSource, () =>
    resolveStudents<StudentFields>(s.service.url, reviewer, students.slice(0, 1), SELECTION),
  );
  const hundred = await countStatements(s.service.dataSource, () =>
    resolveStudents<StudentFields>(s.service.url, reviewer, students, SELECTION),
  );
  expect(one.result.errors).toBeUndefined();
  expect(hundred.result.errors).toBeUndefined();
  const entities = hundred.result.data!._entities;
  expect(entities).toHaveLength(100);
  expect(entities.every((e) => e?.status?.code === 'ACTIVE' && e.changeRequests[0]?.history.length === 1)).toBe(true);
  expect(hundred.statements).toBe(one.statements);
  // The scope check, status, history, requests and the requests' approval steps: one statement each.
  expect(hundred.statements).toBeLessThanOrEqual(5);
});
