/** Part B's test helpers: registered students (with birth dates), the operations of part B, and checks. */
import { createEvent } from '@xueji/events';
import { deliverEvents, graphql, tokenFor, type GraphQLResponse } from '@xueji/testkit';
import type { Deployment } from './results-support';

export { reviewerOf } from './results-support';

/** enrolment's `student.registered` for students of a school, each with a birth date (AS-11). */
export async function register(
  d: Deployment,
  school: { schoolId: string; regionCode: string },
  students: { id: string; birthDate?: string }[],
): Promise<void> {
  await deliverEvents(
    d.service,
    `${d.topicPrefix}xueji.enrolment.events`,
    students.map((s) =>
      createEvent('xueji.enrolment.student.registered.v1', s.id, {
        studentId: s.id,
        schoolId: school.schoolId,
        regionCode: school.regionCode,
        name: '学生',
        registeredAt: '2026-09-01T01:00:00.000Z',
        ...(s.birthDate ? { birthDate: s.birthDate } : {}),
      }),
    ),
  );
}

export const administrator = tokenFor({ subject: 'calendar-admin', role: 'ADMINISTRATOR' });

export const SANCTION_FIELDS = `id studentId kind state decidedOn decidingBody authorityStep authorityDecidedOn effectiveOn
  notifiedOn postingRef revokedOn annulledOn`;
export const APPEAL_FIELDS = `id stage state receivedOn appealDeadline answerDue workingDaysLeft dueSoon outcome newKind
  decidedOn decisionDeliveredOn sanction { id kind state }`;

export const RECORD_TRUANCY = `mutation ($input: TruancyInput!) {
  recordTruancy(input: $input) { studentId semester truantHours limitReached } }`;
export const RECORD_ABSENCE = `mutation ($input: AbsenceInput!) {
  recordAbsence(input: $input) { studentId absentFrom absentTo absentDays limitReached } }`;
export const DECIDE = `mutation ($input: SanctionInput!) { decideSanction(input: $input) { ${SANCTION_FIELDS} } }`;
export const APPROVE = `mutation ($id: ID!) { approveExpulsion(id: $id, comment: "依规备案") { ${SANCTION_FIELDS} } }`;
export const REJECT = `mutation ($id: ID!) { rejectExpulsion(id: $id, reason: "事实不清") { ${SANCTION_FIELDS} } }`;
export const NOTICE = `mutation ($input: SanctionNoticeInput!) { recordSanctionNotice(input: $input) { ${SANCTION_FIELDS} } }`;
export const REVOKE = `mutation ($input: RevocationInput!) { revokeSanction(input: $input) { ${SANCTION_FIELDS} } }`;
export const LODGE_SCHOOL = `mutation ($input: AppealInput!) { lodgeSchoolAppeal(input: $input) { ${APPEAL_FIELDS} } }`;
export const DECIDE_SCHOOL = `mutation ($input: AppealDecisionInput!) { decideSchoolAppeal(input: $input) { ${APPEAL_FIELDS} } }`;
export const LODGE_AUTHORITY = `mutation ($input: AppealInput!) { lodgeAuthorityAppeal(input: $input) { ${APPEAL_FIELDS} } }`;
export const DECIDE_AUTHORITY = `mutation ($input: AppealDecisionInput!) {
  decideAuthorityAppeal(input: $input) { ${APPEAL_FIELDS} } }`;
export const RECORD_REWARD = `mutation ($input: RewardInput!) { recordReward(input: $input) { id } }`;
export const PLACE_INTERNSHIP = `mutation ($input: InternshipInput!) { placeInternship(input: $input) { id } }`;
export const ASSESS_INTERNSHIP = `mutation ($input: InternshipAssessmentInput!) { assessInternship(input: $input) { id } }`;
export const RECORD_GRADUATION_INPUT = `mutation ($input: GraduationInputInput!) {
  recordGraduationInput(input: $input) { kind } }`;
export const RECORD_CALENDAR = `mutation ($input: WorkingDayCalendarInput!) {
  recordWorkingDayCalendar(input: $input) { year holidays workdays source } }`;

export interface SanctionView {
  id: string;
  studentId: string;
  kind: string;
  state: string;
  decidedOn: string;
  decidingBody: string;
  authorityStep: string | null;
  authorityDecidedOn: string | null;
  effectiveOn: string | null;
  notifiedOn: string | null;
  postingRef: string | null;
  revokedOn: string | null;
  annulledOn: string | null;
}

export interface AppealView {
  id: string;
  stage: string;
  state: string;
  receivedOn: string;
  appealDeadline: string | null;
  answerDue: string | null;
  workingDaysLeft: number | null;
  dueSoon: boolean;
  outcome: string | null;
  newKind: string | null;
  sanction: { id: string; kind: string; state: string };
}

export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

/** The refusal's code and rule (or field), for `toMatchObject`. */
export function refusal(response: GraphQLResponse): Record<string, unknown> | undefined {
  expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
  return response.errors?.[0]?.extensions;
}

/** Decide a sanction as the school's registrar. */
export async function decide(
  d: Deployment,
  token: string,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ decideSanction: SanctionView }>> {
  return graphql<{ decideSanction: SanctionView }>(
    d.service.url,
    DECIDE,
    { input: { reason: '违反校规', decisionRef: 'DEC-1', decidingBody: 'SCHOOL_OFFICE', ...input } },
    token,
  );
}
