/**
 * SC-11 with assessment's fact: a REPEAT is judged by the latest count of failed courses after
 * make-ups that assessment published (`year-failures.counted`), never by counts the registrar types.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { graphql, tokenFor } from '@xueji/testkit';
import { enrolled, startStatusChange, SUBMIT_CHANGE, type Running, type TestSchool } from './support';

let beijing: Running;
const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'BJ-REPEAT',
  name: '北京某职业学校',
  regionCode: '110105',
  authorityRegionCode: '110105',
};
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });

const counted = (studentId: string, failedCourses: number, totalCourses: number, countedAt: string) =>
  createEvent('xueji.assessment.year-failures.counted.v1', studentId, {
    studentId,
    schoolId: school.schoolId,
    studyYear: 1,
    failedCourses,
    totalCourses,
    reachesRepeatShare: failedCourses * 3 >= totalCourses,
    countedAt,
  });

const submitRepeat = (studentId: string, repeat?: Record<string, unknown>) =>
  graphql<{ submitChangeRequest: { id: string } }>(
    beijing.service.url,
    SUBMIT_CHANGE,
    { input: { studentId, kind: 'REPEAT', effectiveDate: '2027-09-01', ...(repeat ? { repeat } : {}) } },
    registrar,
  );

beforeAll(async () => {
  beijing = await startStatusChange('beijing', '2027-07-10');
});

afterAll(async () => {
  await beijing?.stop();
});

it('refuses a REPEAT while assessment has published no fact, naming SC-11', async () => {
  const student = randomUUID();
  await beijing.publish('enrolment', ...enrolled(school, student, '2026-09-01'));
  const refused = await submitRepeat(student);
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-11' });
});

it('accepts a REPEAT without typed counts when the fact reaches beijing’s 1/3; refuses it under the share', async () => {
  const over = randomUUID();
  const under = randomUUID();
  await beijing.publish('enrolment', ...enrolled(school, over, '2026-09-01'), ...enrolled(school, under, '2026-09-01'));
  await beijing.publish(
    'assessment',
    counted(over, 4, 12, '2027-07-01T08:00:00.000Z'),
    counted(under, 4, 12, '2027-07-01T08:00:00.000Z'),
    // A make-up passed later: under the share now. An older count arriving late does not undo it.
    counted(under, 3, 12, '2027-07-05T08:00:00.000Z'),
    counted(under, 5, 12, '2027-06-20T08:00:00.000Z'),
  );
  const accepted = await submitRepeat(over);
  expect(accepted.errors).toBeUndefined();
  expect(accepted.data?.submitChangeRequest.id).toBeTruthy();
  const refused = await submitRepeat(under, { creditSystemSchool: false });
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-11' });
  expect(refused.errors?.[0]?.extensions?.messageEn).toContain('3 of 12');
});

it('the typed counts are gone from the schema', async () => {
  const typed = await submitRepeat(randomUUID(), { failedCourses: 6, totalCourses: 12 });
  expect(typed.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
});
