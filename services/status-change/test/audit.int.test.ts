/**
 * Every write of status-change is one audited unit of work: each mutation of the schema writes
 * exactly one audit row when it succeeds and none when it is refused; each consumed event's effect
 * and each step of the scheduled job writes one, naming the event or the job.
 */
import { randomUUID } from 'node:crypto';
import { fixedOrRealClock } from '@xueji/config';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createEvent } from '@xueji/events';
import { loadPolicyProfile } from '@xueji/policy';
import { auditRows, graphql, refusedOutOfScope, tokenFor } from '@xueji/testkit';
import { runScheduledChanges } from '../src/jobs/scheduled-changes';
import { statusChange } from '../src/service';
import { formalStudent, schoolRegistered, startStatusChange, type Running, type TestSchool } from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030201',
  name: '十堰市张湾区职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const REGISTRAR = { subject: 'registrar-zhangwan', role: 'SCHOOL_REGISTRAR' } as const;
const OTHER_REGISTRAR = { subject: 'registrar-zhangwan-2', role: 'SCHOOL_REGISTRAR' } as const;
const REVIEWER = { subject: 'reviewer-shiyan', role: 'AUTHORITY_REVIEWER' } as const;
const registrar = tokenFor({ ...REGISTRAR, schoolId: school.schoolId });
const otherRegistrar = tokenFor({ ...OTHER_REGISTRAR, schoolId: school.schoolId });
const reviewer = tokenFor({ ...REVIEWER, regionCode: '420300' });
const elsewhere = tokenFor({ subject: 'reviewer-jilin', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
const officer = tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
/** Issue 10: the registrar's own `sub`, in a token of another school. */
const registrarElsewhere = tokenFor({ ...REGISTRAR, schoolId: randomUUID() });

const TODAY = '2026-09-15';
let s: Running;
/** Formal students of the school; each test takes its own. */
const students: string[] = Array.from({ length: 32 }, () => randomUUID());
const student = () => students.pop()!;

const REQUEST = 'id state';
const SUBMIT = `mutation ($input: ChangeRequestInput!) { submitChangeRequest(input: $input) { ${REQUEST} } }`;
const APPROVE = `mutation ($id: ID!) { approveChangeRequest(id: $id, comment: "材料齐全") { ${REQUEST} } }`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectChangeRequest(id: $id, reason: $reason) { ${REQUEST} } }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawChangeRequest(id: $id, reason: "家长改变主意") { ${REQUEST} } }`;
const NOTICE = `mutation ($id: ID!, $ref: String!) { recordGuardianNotice(id: $id, reached: true, ref: $ref) { ${REQUEST} } }`;

/** A suspension the school asks for: due in two weeks, so approving it changes no status yet. */
const suspension = (studentId: string, ground = 'ILLNESS') => ({
  input: {
    studentId,
    kind: 'SUSPENSION',
    effectiveDate: '2026-10-01',
    evidenceRefs: ['hospital/1'],
    suspension: { ground, months: 6 },
  },
});

/** A pending request of a fresh student, submitted by the registrar (its own audit row comes before the call). */
async function pendingRequest(): Promise<string> {
  const r = await graphql<{ submitChangeRequest: { id: string } }>(
    s.service.url,
    SUBMIT,
    suspension(student()),
    registrar,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.submitChangeRequest.id;
}

/** One GraphQL call of a mutation: its variables (prepared first), and who calls. */
interface Call {
  query: string;
  token: string;
  variables(): Promise<Record<string, unknown>>;
}

interface MutationCase {
  success: Call & { action: string; who: { subject: string; role: string } };
  /** Refused: the error code the caller gets. */
  refusal: Call & { code: string };
  /** Issue 10: the same `sub` with another school's (or region's) token: refused, nothing written. */
  outOfScope: Call;
}

/** For each mutation of the schema: one successful call and one refused call. */
const cases: Record<string, MutationCase> = {
  submitChangeRequest: {
    success: {
      query: SUBMIT,
      token: registrar,
      variables: async () => suspension(student()),
      action: 'SUBMIT_CHANGE_REQUEST',
      who: REGISTRAR,
    },
    // SC-12: work is not a ground for suspension under the national profile.
    refusal: {
      query: SUBMIT,
      token: registrar,
      variables: async () => suspension(student(), 'WORK'),
      code: 'POLICY_VIOLATION',
    },
    outOfScope: { query: SUBMIT, token: registrarElsewhere, variables: async () => suspension(student()) },
  },
  approveChangeRequest: {
    success: {
      query: APPROVE,
      token: registrar,
      variables: async () => ({ id: await pendingRequest() }),
      action: 'APPROVE_CHANGE_REQUEST',
      who: REGISTRAR,
    },
    // The school's step is not a reviewer's, and another province's reviewer is no party at all.
    refusal: {
      query: APPROVE,
      token: elsewhere,
      variables: async () => ({ id: await pendingRequest() }),
      code: 'FORBIDDEN',
    },
    outOfScope: { query: APPROVE, token: registrarElsewhere, variables: async () => ({ id: await pendingRequest() }) },
  },
  rejectChangeRequest: {
    success: {
      query: REJECT,
      token: registrar,
      variables: async () => ({ id: await pendingRequest(), reason: '材料不全' }),
      action: 'REJECT_CHANGE_REQUEST',
      who: REGISTRAR,
    },
    refusal: {
      query: REJECT,
      token: registrar,
      variables: async () => ({ id: await pendingRequest(), reason: '  ' }),
      code: 'BAD_USER_INPUT',
    },
    outOfScope: {
      query: REJECT,
      token: registrarElsewhere,
      variables: async () => ({ id: await pendingRequest(), reason: '材料不全' }),
    },
  },
  withdrawChangeRequest: {
    success: {
      query: WITHDRAW,
      token: registrar,
      variables: async () => ({ id: await pendingRequest() }),
      action: 'WITHDRAW_CHANGE_REQUEST',
      who: REGISTRAR,
    },
    // ADM-2: only the submitter withdraws.
    refusal: {
      query: WITHDRAW,
      token: otherRegistrar,
      variables: async () => ({ id: await pendingRequest() }),
      code: 'POLICY_VIOLATION',
    },
    outOfScope: { query: WITHDRAW, token: registrarElsewhere, variables: async () => ({ id: await pendingRequest() }) },
  },
  recordGuardianNotice: {
    success: {
      query: NOTICE,
      token: registrar,
      variables: async () => ({ id: await pendingRequest(), ref: 'phone/2026-09-15' }),
      action: 'RECORD_GUARDIAN_NOTICE',
      who: REGISTRAR,
    },
    // Subsidy officers read; they never change student records.
    refusal: {
      query: NOTICE,
      token: officer,
      variables: async () => ({ id: await pendingRequest(), ref: 'phone/2026-09-15' }),
      code: 'FORBIDDEN',
    },
    outOfScope: {
      query: NOTICE,
      token: registrarElsewhere,
      variables: async () => ({ id: await pendingRequest(), ref: 'phone/2026-09-15' }),
    },
  },
};

/** The Mutation fields of the service's schema, as served. */
const mutations = Object.keys(
  buildSubgraphSchema({ typeDefs: statusChange.typeDefs }).getMutationType()?.getFields() ?? {},
);

beforeAll(async () => {
  s = await startStatusChange('national', TODAY);
  await s.publish(
    'enrolment',
    schoolRegistered(school),
    ...students.flatMap((id) => formalStudent(school, id, '2026-03-01')),
  );
});

afterAll(() => s?.stop());

it('has a successful and a refused call for every mutation of the schema', () => {
  expect(mutations.length).toBeGreaterThan(0);
  expect(Object.keys(cases).sort()).toEqual([...mutations].sort());
});

describe.each(mutations)('%s', (mutation) => {
  it('writes exactly one audit row when it succeeds: the action, who, in what role, which request', async () => {
    const call = cases[mutation]!.success;
    const variables = await call.variables();
    const before = (await auditRows(s.service.dataSource)).length;
    const r = await graphql<Record<string, { id: string }>>(s.service.url, call.query, variables, call.token);
    expect(r.errors).toBeUndefined();
    const written = (await auditRows(s.service.dataSource)).slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      action: call.action,
      actor: call.who.subject,
      role: call.who.role,
      entity: 'change_request',
      entityId: r.data![mutation]!.id,
    });
  });

  it('writes no audit row when it is refused', async () => {
    const call = cases[mutation]!.refusal;
    const variables = await call.variables();
    const before = (await auditRows(s.service.dataSource)).length;
    const r = await graphql(s.service.url, call.query, variables, call.token);
    expect(r.errors?.[0]?.extensions?.code).toBe(call.code);
    expect(await auditRows(s.service.dataSource)).toHaveLength(before);
  });

  it('is refused to a token of the same subject and another school, and writes nothing (issue 10)', async () => {
    const call = cases[mutation]!.outOfScope;
    const variables = await call.variables();
    const before = (await auditRows(s.service.dataSource)).length;
    const requests = await s.service.dataSource.query(`SELECT id, state FROM change_request ORDER BY id`);
    refusedOutOfScope(await graphql(s.service.url, call.query, variables, call.token));
    expect(await auditRows(s.service.dataSource)).toHaveLength(before);
    expect(await s.service.dataSource.query(`SELECT id, state FROM change_request ORDER BY id`)).toEqual(requests);
  });
});

it('the last approval that makes a change effective is still one unit of work: one audit row', async () => {
  const studentId = student();
  const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
    s.service.url,
    SUBMIT,
    { input: { ...suspension(studentId).input, effectiveDate: TODAY } },
    registrar,
  );
  const id = submitted.data!.submitChangeRequest.id;
  await graphql(s.service.url, APPROVE, { id }, registrar);
  const before = (await auditRows(s.service.dataSource)).length;
  const r = await graphql<{ approveChangeRequest: { state: string } }>(s.service.url, APPROVE, { id }, reviewer);
  expect(r.data?.approveChangeRequest.state).toBe('EFFECTIVE');
  expect((await auditRows(s.service.dataSource)).slice(before)).toEqual([
    {
      action: 'APPROVE_CHANGE_REQUEST',
      actor: REVIEWER.subject,
      role: REVIEWER.role,
      entity: 'change_request',
      entityId: id,
      reason: '材料齐全',
    },
  ]);
});

it('each consumed event writes one audit row naming the event; a redelivered one writes none', async () => {
  const studentId = randomUUID();
  const events = formalStudent(school, studentId, '2026-03-01');
  const before = (await auditRows(s.service.dataSource)).length;
  const lapse = createEvent('xueji.enrolment.term-registration.lapsed.v1', studentId, {
    studentId,
    schoolId: school.schoolId,
    regionCode: school.regionCode,
    term: '2026-autumn',
    termStartsOn: '2026-09-01',
    detectedAt: `${TODAY}T01:00:00.000Z`,
  });
  await s.publish('enrolment', ...events);
  // Delivered again, then the lapse behind them on the student's partition: once the lapse is
  // applied, the duplicates have been taken (once) before it.
  await s.publish('enrolment', ...events, lapse);
  const truancy = createEvent('xueji.assessment.truancy.recorded.v1', studentId, {
    studentId,
    semester: '2026-2027-1',
    truantHours: 90,
    recordedAt: `${TODAY}T02:00:00.000Z`,
  });
  await s.publish('assessment', truancy);
  const written = (await auditRows(s.service.dataSource)).slice(before);
  expect(written.map(({ actor, role, action, entityId }) => ({ actor, role, action, entityId }))).toEqual([
    {
      actor: `xueji.enrolment.student.registered.v1#${events[0]!.id}`,
      role: 'SYSTEM',
      action: 'RECORD_STUDENT_REGISTRATION',
      entityId: studentId,
    },
    {
      actor: `xueji.enrolment.registration.approved.v1#${events[1]!.id}`,
      role: 'SYSTEM',
      action: 'RECORD_REGISTRATION_APPROVAL',
      entityId: studentId,
    },
    {
      actor: `xueji.enrolment.term-registration.lapsed.v1#${lapse.id}`,
      role: 'SYSTEM',
      action: 'RECORD_TERM_REGISTRATION_LAPSE',
      entityId: studentId,
    },
    {
      actor: `xueji.assessment.truancy.recorded.v1#${truancy.id}`,
      role: 'SYSTEM',
      action: 'RECORD_TRUANCY',
      entityId: studentId,
    },
  ]);
});

it('each step of the scheduled job writes one audit row as the job; a run with nothing due writes none', async () => {
  const id = await pendingRequest();
  for (const token of [registrar, reviewer]) {
    expect((await graphql(s.service.url, APPROVE, { id }, token)).errors).toBeUndefined();
  }
  const env = (today: string) => ({
    dataSource: s.service.dataSource,
    profile: loadPolicyProfile('national'),
    topics: s.service.topics,
    logger: s.service.logger,
    ...fixedOrRealClock(today, false),
  });
  const before = (await auditRows(s.service.dataSource)).length;
  expect(await runScheduledChanges(env('2026-09-30'))).toEqual({ applied: 0, opened: 0 });
  expect(await auditRows(s.service.dataSource)).toHaveLength(before);
  expect(await runScheduledChanges(env('2026-10-01'))).toEqual({ applied: 1, opened: 0 });
  expect(await runScheduledChanges(env('2026-10-01'))).toEqual({ applied: 0, opened: 0 });
  expect((await auditRows(s.service.dataSource)).slice(before)).toEqual([
    {
      action: 'TAKE_EFFECT',
      actor: 'scheduled-changes',
      role: 'SYSTEM',
      entity: 'change_request',
      entityId: id,
      reason: null,
    },
  ]);
});

describe('a repeated approve by the same caller (a retry after a lost response) is answered as success', () => {
  const FULL = `mutation ($id: ID!) { approveChangeRequest(id: $id, comment: "材料齐全") { id state nextStep effectiveDate } }`;
  const eventsOf = async (studentId: string) =>
    (await s.service.dataSource.query(
      `SELECT event_type AS type FROM outbox_message WHERE message_key = $1 AND event_type LIKE '%status.changed%'`,
      [studentId],
    )) as { type: string }[];
  const stepsOf = async (id: string) =>
    (await s.service.dataSource.query(`SELECT count(*)::int AS n FROM approval_step WHERE request_id = $1`, [id])) as {
      n: number;
    }[];

  it('the reviewer’s approve that made a change EFFECTIVE, sent again: the same answer, one audit row, one event', async () => {
    const studentId = student();
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT,
      { input: { ...suspension(studentId).input, effectiveDate: TODAY } },
      registrar,
    );
    const id = submitted.data!.submitChangeRequest.id;
    expect((await graphql(s.service.url, APPROVE, { id }, registrar)).errors).toBeUndefined();
    const before = (await auditRows(s.service.dataSource)).length;
    const first = await graphql<{ approveChangeRequest: { state: string } }>(s.service.url, FULL, { id }, reviewer);
    expect(first.errors).toBeUndefined();
    expect(first.data?.approveChangeRequest.state).toBe('EFFECTIVE');
    const steps = await stepsOf(id);
    const again = await graphql(s.service.url, FULL, { id }, reviewer);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    const written = (await auditRows(s.service.dataSource)).slice(before);
    expect(written.map((r) => [r.action, r.actor])).toEqual([['APPROVE_CHANGE_REQUEST', REVIEWER.subject]]);
    expect(await eventsOf(studentId)).toHaveLength(1);
    expect(await stepsOf(id)).toEqual(steps);
  });

  it('the school’s approve sent again while the authority’s step waits: success, the request as it is, nothing written', async () => {
    const id = await pendingRequest();
    const first = await graphql<{ approveChangeRequest: { nextStep: string } }>(s.service.url, FULL, { id }, registrar);
    expect(first.data?.approveChangeRequest.nextStep).toBe('SENDING_AUTHORITY');
    const before = (await auditRows(s.service.dataSource)).length;
    const again = await graphql(s.service.url, FULL, { id }, registrar);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await auditRows(s.service.dataSource)).toHaveLength(before);
  });

  it('anyone else approving a decided request still gets CONFLICT, or FORBIDDEN for a step not theirs', async () => {
    const id = await pendingRequest();
    for (const token of [registrar, reviewer]) {
      expect((await graphql(s.service.url, APPROVE, { id }, token)).errors).toBeUndefined();
    }
    const before = (await auditRows(s.service.dataSource)).length;
    const otherReviewer = tokenFor({ subject: 'reviewer-shiyan-2', role: 'AUTHORITY_REVIEWER', regionCode: '420300' });
    const conflict = await graphql(s.service.url, APPROVE, { id }, otherReviewer);
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // The same subject in another role, and another registrar of the school, are not the caller who approved.
    const sameSubject = tokenFor({ ...REVIEWER, role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
    expect((await graphql(s.service.url, APPROVE, { id }, sameSubject)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await graphql(s.service.url, APPROVE, { id }, otherRegistrar)).errors?.[0]?.extensions?.code).toBe(
      'CONFLICT',
    );
    // A reviewer elsewhere approving a pending request is still refused.
    const pending = await pendingRequest();
    expect((await graphql(s.service.url, APPROVE, { id: pending }, elsewhere)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(await auditRows(s.service.dataSource)).toHaveLength(before + 1); // the submission of `pending`
  });

  it('a request rejected at the caller’s own step is no repeat: CONFLICT', async () => {
    const id = await pendingRequest();
    expect((await graphql(s.service.url, REJECT, { id, reason: '材料不全' }, registrar)).errors).toBeUndefined();
    expect((await graphql(s.service.url, APPROVE, { id }, registrar)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
