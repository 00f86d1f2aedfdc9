/**
 * Lookups by a number the caller types (`studentByIdNumber`, `studentByNumber`) must not tell a
 * registrar whether a person is enrolled at another school: out of scope and unknown both answer
 * null (issue 10, "Access and privacy").
 */
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

const LOOKUP = /* GraphQL */ `
  query ($idNumber: String!, $studentNumber: String!) {
    studentByIdNumber(idNumber: $idNumber) {
      id
    }
    studentByNumber(studentNumber: $studentNumber) {
      id
    }
  }
`;
type Lookup = { studentByIdNumber: { id: string } | null; studentByNumber: { id: string } | null };

const registrar = (schoolId: string) =>
  tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
const reviewer = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });

let service: RunningService;
let databaseUrl: string;
let A: string;
let B: string;
/** A formal student of school A: its id, ID number and student number. */
let student: { id: string; idNumber: string; studentNumber: string };

beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment_lookup');
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', {
      databaseUrl,
      topicPrefix: testTopicPrefix(),
      profile: 'national',
      today: TEST_TODAY,
    }),
  );
  [A, B] = (await seedSchools(service, [school('A01', '220102'), school('A02', '220102')])) as [string, string];
  const input = registration(A, '220102', 31);
  const submitted = await graphql<{ submitRegistration: { id: string } }>(service.url, SUBMIT, { input }, registrar(A));
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data!.submitRegistration.id;
  const approved = await graphql<{ approveRegistrations: { decided: { studentNumber: string }[] } }>(
    service.url,
    APPROVE,
    { ids: [id] },
    reviewer('220102'),
  );
  expect(approved.errors).toBeUndefined();
  student = {
    id,
    idNumber: input.idNumber,
    studentNumber: approved.data!.approveRegistrations.decided[0]!.studentNumber,
  };
});
afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

describe('studentByIdNumber / studentByNumber: out of scope looks like unknown', () => {
  it('the own school finds its student by ID number and by student number', async () => {
    const r = await graphql<Lookup>(
      service.url,
      LOOKUP,
      { idNumber: student.idNumber, studentNumber: student.studentNumber },
      registrar(A),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ studentByIdNumber: { id: student.id }, studentByNumber: { id: student.id } });
  });

  it('a registrar of another school gets null, without an error, for a person enrolled at A', async () => {
    const r = await graphql<Lookup>(
      service.url,
      LOOKUP,
      { idNumber: student.idNumber, studentNumber: student.studentNumber },
      registrar(B),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ studentByIdNumber: null, studentByNumber: null });
  });

  it('and the very same answer for a person enrolled nowhere', async () => {
    const unknown = registration(B, '220102', 32).idNumber;
    const r = await graphql<Lookup>(
      service.url,
      LOOKUP,
      { idNumber: unknown, studentNumber: `G${unknown}` },
      registrar(B),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ studentByIdNumber: null, studentByNumber: null });
  });

  it('a reviewer of another region gets null too; one covering the school finds the student', async () => {
    const elsewhere = await graphql<Lookup>(
      service.url,
      LOOKUP,
      { idNumber: student.idNumber, studentNumber: student.studentNumber },
      reviewer('220200'),
    );
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data).toEqual({ studentByIdNumber: null, studentByNumber: null });
    const covering = await graphql<Lookup>(
      service.url,
      LOOKUP,
      { idNumber: student.idNumber, studentNumber: student.studentNumber },
      reviewer('220100'),
    );
    expect(covering.data).toEqual({ studentByIdNumber: { id: student.id }, studentByNumber: { id: student.id } });
  });
});
