/**
 * ADM-3 / SC-22 (GR-1 jilin): status-change publishes, with each transfer-in, resumption, major change and
 * data change, whether the authority's final approval fell within the month the school submitted it
 * (China time). Real PostgreSQL and Kafka; the clock moves between the steps.
 */
import { randomUUID } from 'node:crypto';
import { graphql, kafkaBrokers, readTopic, tokenFor, type GraphQLResponse } from '@xueji/testkit';
import {
  formalStudent,
  schoolRegistered,
  startStatusChange,
  SUBMIT_CHANGE,
  type Running,
  type TestSchool,
} from './support';

const APPROVE_STEP = /* GraphQL */ `
  mutation ($id: ID!) {
    approveChangeRequest(id: $id) {
      state
      nextStep
    }
  }
`;
type Step = 'SENDING_SCHOOL' | 'SENDING_AUTHORITY' | 'RECEIVING_SCHOOL' | 'RECEIVING_AUTHORITY';

const nanguan: TestSchool = {
  schoolId: randomUUID(),
  code: 'S22010211',
  name: '南关区职业教育中心',
  regionCode: '220102',
  authorityRegionCode: '220102',
};
const changyi: TestSchool = {
  schoolId: randomUUID(),
  code: 'S22020211',
  name: '昌邑区职业技术学校',
  regionCode: '220202',
  authorityRegionCode: '220202',
};
const registrarOf = (t: TestSchool) =>
  tokenFor({ subject: `registrar-${t.code}`, role: 'SCHOOL_REGISTRAR', schoolId: t.schoolId });
const reviewerOf = (t: TestSchool) =>
  tokenFor({ subject: `reviewer-${t.code}`, role: 'AUTHORITY_REVIEWER', regionCode: t.authorityRegionCode });

let s: Running;
beforeAll(async () => {
  s = await startStatusChange('national', '2026-09-15', { clock: true });
  await s.publish('enrolment', schoolRegistered(nanguan), schoolRegistered(changyi));
});
afterAll(() => s?.stop());

/** The data of the one event status-change published for the student (status.changed or correction-approved). */
async function publishedFor(studentId: string): Promise<Record<string, unknown>> {
  const messages = await readTopic(kafkaBrokers(), `${s.topicPrefix}xueji.status-change.events`, (m) =>
    m.some((x) => x.key === studentId),
  );
  return JSON.parse(messages.find((x) => x.key === studentId)!.value!) as Record<string, unknown>;
}

/** Approve every step by its party; `dayOf` moves the clock to the day a step is taken. */
async function approveAll(id: string, from: TestSchool, to: TestSchool, dayOf: (step: Step) => string) {
  const party: Record<Step, string> = {
    SENDING_SCHOOL: registrarOf(from),
    SENDING_AUTHORITY: reviewerOf(from),
    RECEIVING_SCHOOL: registrarOf(to),
    RECEIVING_AUTHORITY: reviewerOf(to),
  };
  let state = 'PENDING';
  let nextStep: Step | null = 'SENDING_SCHOOL';
  while (nextStep) {
    s.setToday(dayOf(nextStep));
    const r: GraphQLResponse<{ approveChangeRequest: { state: string; nextStep: Step | null } }> = await graphql(
      s.service.url,
      APPROVE_STEP,
      { id },
      party[nextStep],
    );
    expect(r.errors).toBeUndefined();
    ({ state, nextStep } = r.data!.approveChangeRequest);
  }
  return state;
}

/** A transfer from Nanguan to Changyi submitted on 2026-09-15, its steps taken on the days given. */
async function transfer(dayOf: (step: Step) => string) {
  const studentId = randomUUID();
  s.setToday('2026-09-15');
  await s.publish('enrolment', ...formalStudent(nanguan, studentId, '2026-03-01'));
  const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
    s.service.url,
    SUBMIT_CHANGE,
    {
      input: {
        studentId,
        kind: 'TRANSFER',
        effectiveDate: '2026-09-15',
        evidenceRefs: ['application/guardian-signed'],
        transfer: { toSchoolId: changyi.schoolId, ground: 'FAMILY_MOVE' },
      },
    },
    registrarOf(nanguan),
  );
  expect(submitted.errors).toBeUndefined();
  expect(await approveAll(submitted.data!.submitChangeRequest.id, nanguan, changyi, dayOf)).toBe('EFFECTIVE');
  return publishedFor(studentId);
}

describe('ADM-3 / SC-22: each record says whether it was approved within the month it was submitted', () => {
  it('a transfer-in the receiving school submitted and its authority approved in September: in time', async () => {
    const data = await transfer((step) => (step === 'RECEIVING_AUTHORITY' ? '2026-09-30' : '2026-09-15'));
    expect(data).toMatchObject({
      kind: 'TRANSFER',
      submittedOn: '2026-09-15',
      approvedOn: '2026-09-30',
      approvedInTime: true,
    });
  });

  it('the transfer-in submitted by the receiving school in September, approved on 8 October: late', async () => {
    const data = await transfer((step) => (step === 'RECEIVING_AUTHORITY' ? '2026-10-08' : '2026-09-15'));
    expect(data).toMatchObject({
      kind: 'TRANSFER',
      submittedOn: '2026-09-15',
      approvedOn: '2026-10-08',
      approvedInTime: false,
    });
  });

  it('the transfer-in is the receiving school’s record: sent in September, submitted by it and approved in October, in time', async () => {
    const data = await transfer((step) => (step.startsWith('RECEIVING') ? '2026-10-08' : '2026-09-15'));
    expect(data).toMatchObject({ submittedOn: '2026-10-08', approvedOn: '2026-10-08', approvedInTime: true });
  });

  it('a data change (personal-data correction) approved in the next month: correction-approved says late', async () => {
    const studentId = randomUUID();
    s.setToday('2026-09-28');
    await s.publish('enrolment', ...formalStudent(nanguan, studentId, '2026-03-01'));
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'DATA_CORRECTION',
          effectiveDate: '2026-09-28',
          evidenceRefs: ['identity/hukou-page'],
          correction: { fields: [{ field: 'name', oldValue: '学生', newValue: '学生乙' }] },
        },
      },
      registrarOf(nanguan),
    );
    expect(submitted.errors).toBeUndefined();
    const state = await approveAll(submitted.data!.submitChangeRequest.id, nanguan, nanguan, (step) =>
      step === 'SENDING_AUTHORITY' ? '2026-10-09' : '2026-09-28',
    );
    expect(state).toBe('APPLYING');
    expect(await publishedFor(studentId)).toMatchObject({
      requestId: submitted.data!.submitChangeRequest.id,
      submittedOn: '2026-09-28',
      approvedOn: '2026-10-09',
      approvedInTime: false,
    });
  });
});
