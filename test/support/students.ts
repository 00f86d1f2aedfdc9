import { graphql, waitFor } from '@xueji/testkit';
import { APPROVE, registration, SUBMIT } from './enrolment';
import type { Stack } from './stack';

export const SUBMIT_CHANGE = /* GraphQL */ `
  mutation Submit($input: ChangeRequestInput!) {
    submitChangeRequest(input: $input) {
      id
      state
      steps
      nextStep
    }
  }
`;

export const APPROVE_CHANGE = /* GraphQL */ `
  mutation Approve($id: ID!) {
    approveChangeRequest(id: $id, comment: "同意") {
      id
      state
      nextStep
    }
  }
`;

export type Change = { id: string; state: string; steps: string[]; nextStep: string | null };

export interface GrantDecision {
  eligible: boolean;
  reasons: { rule: string; met: boolean; messageEn: string }[];
}

/** The student's grant decision (SB-1 … SB-7) as the gateway answers it today; null while subsidy does not know the student. */
export async function grantOf(stack: Stack, id: string, token: string): Promise<GrantDecision | null> {
  const r = await graphql<{ student: { subsidyEligibility: { grant: GrantDecision } | null } | null }>(
    stack.gatewayUrl,
    `
      query ($id: ID!) {
        student(id: $id) {
          subsidyEligibility {
            grant {
              eligible
              reasons {
                rule
                met
                messageEn
              }
            }
          }
        }
      }
    `,
    { id },
    token,
  );
  return r.data?.student?.subsidyEligibility?.grant ?? null;
}

/**
 * Register the n-th test student of a region at a school, have the authority approve it, and wait
 * until status-change has it ACTIVE: a formal student, through the gateway.
 */
export async function formalStudent(
  stack: Stack,
  who: { schoolId: string; regionCode: string; registrar: string; reviewer: string },
  n: number,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const submitted = await graphql<{ submitRegistration: { id: string } }>(
    stack.gatewayUrl,
    SUBMIT,
    { input: registration(who.schoolId, who.regionCode, n, overrides) },
    who.registrar,
  );
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data!.submitRegistration.id;
  const approved = await graphql<{ approveRegistrations: { decided: { id: string; isFormal: boolean }[] } }>(
    stack.gatewayUrl,
    APPROVE,
    { ids: [id] },
    who.reviewer,
  );
  expect(approved.errors).toBeUndefined();
  expect(approved.data!.approveRegistrations.decided).toEqual([expect.objectContaining({ id, isFormal: true })]);
  await waitFor(
    async () => {
      const r = await graphql<{ student: { status: { code: string } | null } }>(
        stack.gatewayUrl,
        `
          query ($id: ID!) {
            student(id: $id) {
              status {
                code
              }
            }
          }
        `,
        { id },
        who.reviewer,
      );
      return r.data?.student?.status?.code === 'ACTIVE';
    },
    { what: 'status-change to know the formal student' },
  );
  return id;
}

/**
 * A voluntary withdrawal through the gateway: submitted by the school's registrar, approved by the
 * registrar and then the reviewer, until it is EFFECTIVE. Returns the change request's id.
 */
export async function withdrawStudent(
  stack: Stack,
  studentId: string,
  who: { registrar: string; reviewer: string },
  effectiveDate: string,
): Promise<string> {
  const submitted = await graphql<{ submitChangeRequest: Change }>(
    stack.gatewayUrl,
    SUBMIT_CHANGE,
    {
      input: {
        studentId,
        kind: 'WITHDRAWAL',
        effectiveDate,
        evidenceRefs: ['application/student-and-guardian'],
        withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: `consent/${studentId.slice(0, 8)}` },
      },
    },
    who.registrar,
  );
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data!.submitChangeRequest.id;
  let state = '';
  for (const token of [who.registrar, who.reviewer]) {
    const approved = await graphql<{ approveChangeRequest: Change }>(stack.gatewayUrl, APPROVE_CHANGE, { id }, token);
    expect(approved.errors).toBeUndefined();
    state = approved.data!.approveChangeRequest.state;
  }
  expect(state).toBe('EFFECTIVE');
  return id;
}

/** Wait until status-change has learnt `n` schools from enrolment's events (its school directory). */
export async function statusChangeKnowsSchools(stack: Stack, n: number): Promise<void> {
  await waitFor(
    async () =>
      (
        (await stack.services['status-change'].dataSource.query('SELECT count(*)::int AS n FROM school_directory')) as {
          n: number;
        }[]
      )[0]!.n === n,
    { what: 'status-change to learn the schools' },
  );
}
