/**
 * Issue 10: a repeated submit by the same caller (a retry after a lost response) is answered as
 * success. `submitChangeRequest` takes an optional `idempotencyKey`, unique per submitter: the same
 * submission again under it gets the request it created, and nothing is written (no request, no
 * history step, no audit row, no event); another submission under the same key is CONFLICT naming it.
 */
import { randomUUID } from 'node:crypto';
import { auditRows, graphql, tokenFor } from '@xueji/testkit';
import { formalStudent, schoolRegistered, startStatusChange, type Running, type TestSchool } from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030202',
  name: '十堰市张湾区第二职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const REGISTRAR = { subject: 'registrar-retry', role: 'SCHOOL_REGISTRAR' } as const;
const registrar = tokenFor({ ...REGISTRAR, schoolId: school.schoolId });
const colleague = tokenFor({ subject: 'registrar-retry-2', role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
/** The registrar's own `sub`, in a token of another school. */
const registrarElsewhere = tokenFor({ ...REGISTRAR, schoolId: randomUUID() });

const TODAY = '2026-09-15';
let s: Running;
const students: string[] = Array.from({ length: 12 }, () => randomUUID());
const student = () => students.pop()!;

const SUBMIT = `mutation ($input: ChangeRequestInput!) {
  submitChangeRequest(input: $input) { id state kind effectiveDate nextStep }
}`;

/** A suspension the school asks for (SC-12: illness is a ground under every profile). */
const suspension = (studentId: string, idempotencyKey?: string, months = 6) => ({
  input: {
    studentId,
    kind: 'SUSPENSION',
    effectiveDate: '2026-10-01',
    evidenceRefs: ['hospital/1'],
    suspension: { ground: 'ILLNESS', months },
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  },
});

/** What a submission writes: requests and history steps of the student, audit rows, events. */
async function written(studentId: string) {
  const [row] = (await s.service.dataSource.query(
    `SELECT (SELECT count(*)::int FROM change_request WHERE student_id = $1) AS requests,
            (SELECT count(*)::int FROM approval_step a JOIN change_request r ON r.id = a.request_id
              WHERE r.student_id = $1) AS steps,
            (SELECT count(*)::int FROM outbox_message WHERE message_key = $2) AS events`,
    [studentId, studentId],
  )) as { requests: number; steps: number; events: number }[];
  return { ...row!, audits: (await auditRows(s.service.dataSource)).length };
}

beforeAll(async () => {
  s = await startStatusChange('national', TODAY);
  await s.publish(
    'enrolment',
    schoolRegistered(school),
    ...students.flatMap((id) => formalStudent(school, id, '2026-03-01')),
  );
});

afterAll(() => s?.stop());

describe('a repeated submitChangeRequest under the same idempotency key (issue 10)', () => {
  it('is answered with the request the first one created; nothing new is written', async () => {
    const studentId = student();
    const key = randomUUID();
    const first = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      suspension(studentId, key),
      registrar,
    );
    expect(first.errors).toBeUndefined();
    const after = await written(studentId);
    expect(after.requests).toBe(1);

    const again = await graphql(s.service.url, SUBMIT, suspension(studentId, key), registrar);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await written(studentId)).toEqual(after);
  });

  it('without a key, a repeat is a new submission, as before', async () => {
    const studentId = student();
    const first = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      suspension(studentId),
      registrar,
    );
    expect(first.errors).toBeUndefined();
    const again = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      suspension(studentId),
      registrar,
    );
    // Whatever the rules answer to a second request, it is not answered with the first one.
    expect(again.data?.submitChangeRequest?.id).not.toBe(first.data!.submitChangeRequest.id);
  });

  it('the same key with a different submission is CONFLICT naming the key, in Chinese and English', async () => {
    const studentId = student();
    const key = `retry-${randomUUID()}`;
    expect((await graphql(s.service.url, SUBMIT, suspension(studentId, key), registrar)).errors).toBeUndefined();
    const before = await written(studentId);
    const other = await graphql(s.service.url, SUBMIT, suspension(studentId, key, 3), registrar);
    expect(other.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { field: 'input.idempotencyKey', idempotencyKey: key },
    });
    expect(other.errors?.[0]?.extensions?.messageZh).toContain(key);
    expect(other.errors?.[0]?.extensions?.messageEn).toContain(key);
    expect(await written(studentId)).toEqual(before);
  });

  it('a key is the caller’s own: another registrar may use the same key; the same sub of another school may not reuse it', async () => {
    const [mine, theirs] = [student(), student()];
    const key = randomUUID();
    const first = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      suspension(mine, key),
      registrar,
    );
    expect(first.errors).toBeUndefined();
    const colleagues = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      suspension(theirs, key),
      colleague,
    );
    expect(colleagues.errors).toBeUndefined();
    expect(colleagues.data!.submitChangeRequest.id).not.toBe(first.data!.submitChangeRequest.id);
    const before = await written(mine);
    const elsewhere = await graphql(s.service.url, SUBMIT, suspension(mine, key), registrarElsewhere);
    expect(elsewhere.data?.submitChangeRequest ?? null).toBeNull();
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await written(mine)).toEqual(before);
  });

  it('two submissions under the same key at once: one request, both answered with it', async () => {
    const studentId = student();
    const key = randomUUID();
    const answers = await Promise.all(
      [1, 2].map(() =>
        graphql<{ submitChangeRequest: { id: string } }>(s.service.url, SUBMIT, suspension(studentId, key), registrar),
      ),
    );
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(answers[0]!.data).toEqual(answers[1]!.data);
    expect((await written(studentId)).requests).toBe(1);
  });

  it('refuses a blank key or one over its limit with BAD_USER_INPUT naming the field', async () => {
    for (const key of ['', 'k'.repeat(101), 'key with spaces']) {
      const r = await graphql(s.service.url, SUBMIT, suspension(student(), key), registrar);
      expect([key, r.errors?.[0]?.extensions]).toMatchObject([
        key,
        {
          code: 'BAD_USER_INPUT',
          details: { field: 'input.idempotencyKey' },
        },
      ]);
    }
  });
});
