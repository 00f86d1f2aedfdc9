/**
 * The owner of personal data decides (issue 10, "Services that disagree"; SC-21, ENR-7): a
 * correction giving student A the ID number of active student B is approved in status-change,
 * refused by enrolment, and ends REJECTED naming ENR-7 — A keeps its number everywhere and subsidy
 * raises nothing. A correction enrolment accepts is effective once applied, and subsidy learns the
 * new number from enrolment's event, not from the request.
 */
import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { idNumberDigest } from '../../services/subsidy/src/application/student-events';
import { registration, school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, grantOf, SUBMIT_CHANGE, type Change } from '../support/students';

jest.setTimeout(120_000);

const REQUEST = /* GraphQL */ `
  query ($id: ID!) {
    changeRequest(id: $id) {
      state
      reason
    }
  }
`;
const ID_NUMBER = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      idNumber
    }
  }
`;
const SIGNALS = /* GraphQL */ `
  query {
    fraudSignals(filter: { kind: DOUBLE_STATUS }) {
      studentId
    }
  }
`;

describe('an ID-number correction is decided by enrolment, the owner of personal data (SC-21, ENR-7)', () => {
  let stack: Stack;
  let A: string;
  let B: string;
  const reviewer = tokenFor({ subject: 'reviewer-idc', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });
  const officer = tokenFor({ subject: 'officer-idc', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
  const registrarOf = (schoolId: string) =>
    tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });

  beforeAll(async () => {
    stack = await startStack({ today: '2026-09-15' });
    [A, B] = (await seedSchools(stack.services.enrolment, [
      school('IDC-A41', '220102'),
      school('IDC-B42', '220102'),
    ])) as [string, string];
    await waitFor(
      async () =>
        (
          (await stack.services['status-change'].dataSource.query(
            'SELECT count(*)::int AS n FROM school_directory',
          )) as { n: number }[]
        )[0]!.n === 2,
      { what: 'status-change to learn the schools' },
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Submit a correction of the student's ID number and take it through its approvals. */
  async function correctIdNumber(studentId: string, schoolId: string, from: string, to: string): Promise<string> {
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'DATA_CORRECTION',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['identity/id-card'],
          correction: { fields: [{ field: 'idNumber', oldValue: from, newValue: to }] },
        },
      },
      registrarOf(schoolId),
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitChangeRequest.id;
    let state = submitted.data!.submitChangeRequest.state;
    for (const token of [registrarOf(schoolId), reviewer]) {
      if (state !== 'PENDING') break;
      const r = await graphql<{ approveChangeRequest: Change }>(stack.gatewayUrl, APPROVE_CHANGE, { id }, token);
      expect(r.errors).toBeUndefined();
      state = r.data!.approveChangeRequest.state;
    }
    // Approved and due: waiting for enrolment, never effective before it applied the correction.
    expect(state).toBe('APPLYING');
    return id;
  }

  const settled = (id: string) =>
    waitFor(
      async () => {
        const r = await graphql<{ changeRequest: { state: string; reason: string | null } }>(
          stack.gatewayUrl,
          REQUEST,
          { id },
          reviewer,
        );
        const request = r.data?.changeRequest;
        return request && request.state !== 'APPLYING' ? request : null;
      },
      { what: 'enrolment’s answer to reach status-change' },
    );
  const idNumberOf = async (id: string, schoolId: string) =>
    (await graphql<{ student: { idNumber: string } }>(stack.gatewayUrl, ID_NUMBER, { id }, registrarOf(schoolId))).data!
      .student.idNumber;
  const subsidyDigestOf = async (id: string) =>
    (
      (await stack.services.subsidy.dataSource.query(
        'SELECT id_number_digest FROM subsidy_student WHERE student_id = $1',
        [id],
      )) as { id_number_digest: string }[]
    )[0]!.id_number_digest;

  it('A given active B’s number: refused by ENR-7, nothing applied anywhere; then a free number: effective everywhere', async () => {
    const first = registration(A, '220102', 401);
    const second = registration(B, '220102', 402);
    const a = await formalStudent(
      stack,
      { schoolId: A, regionCode: '220102', registrar: registrarOf(A), reviewer },
      401,
    );
    const b = await formalStudent(
      stack,
      { schoolId: B, regionCode: '220102', registrar: registrarOf(B), reviewer },
      402,
    );
    await waitFor(
      async () => (await grantOf(stack, a, officer)) !== null && (await grantOf(stack, b, officer)) !== null,
      {
        what: 'subsidy to know both students',
      },
    );

    const refused = await settled(await correctIdNumber(a, A, first.idNumber, second.idNumber));
    expect(refused.state).toBe('REJECTED');
    expect(refused.reason).toMatch(/^ENR-7: /);
    expect(await idNumberOf(a, A)).toBe(first.idNumber);

    const fresh = registration(A, '220102', 403).idNumber;
    const applied = await settled(await correctIdNumber(a, A, first.idNumber, fresh));
    expect(applied).toEqual({ state: 'EFFECTIVE', reason: null });
    expect(await idNumberOf(a, A)).toBe(fresh);
    // Subsidy took the number enrolment applied (its events for A arrive in order, so the refused
    // correction had its chance first) and never the refused one: no double status on A or B.
    await waitFor(async () => (await subsidyDigestOf(a)) === idNumberDigest(fresh), {
      what: 'subsidy to learn the corrected number from enrolment',
    });
    const signals = await graphql<{ fraudSignals: { studentId: string }[] }>(stack.gatewayUrl, SIGNALS, {}, officer);
    expect(signals.errors).toBeUndefined();
    expect(signals.data!.fraudSignals.filter((s) => s.studentId === a || s.studentId === b)).toEqual([]);
  });
});
