import { selectOne } from '@xueji/db';
import { graphql, kafkaBrokers, readTopic, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import {
  APPROVE_CHANGE,
  formalStudent as formalStudentAt,
  grantOf,
  SUBMIT_CHANGE,
  type Change,
} from '../support/students';
import { startStack, type Stack } from '../support/stack';

describe('status changes through the gateway (real PostgreSQL and Kafka)', () => {
  let stack: Stack;
  let A: string;
  let C: string;
  const registrar = (schoolId: string) =>
    tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = (regionCode: string) =>
    tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });

  /** A formal student of a school, approved by the reviewer of its county. */
  const formalStudent = (schoolId: string, region: string, n: number, entry: { entryDate: string; intake: string }) =>
    formalStudentAt(
      stack,
      { schoolId, regionCode: region, registrar: registrar(schoolId), reviewer: reviewer(region) },
      n,
      entry,
    );

  const statusOf = async (id: string) =>
    (
      await graphql<{ student: { status: { code: string }; school: { id: string } } }>(
        stack.gatewayUrl,
        `
          query ($id: ID!) {
            student(id: $id) {
              status {
                code
              }
              school {
                id
              }
            }
          }
        `,
        { id },
        reviewer('220000'),
      )
    ).data!.student;

  let springStudents: string[] = [];

  beforeAll(async () => {
    // Spring 2026 intake, registered in March; the tests then run in the autumn term (study year 1, semester 2).
    stack = await startStack({ today: '2026-03-10' });
    [A, C] = (await seedSchools(stack.services.enrolment, [
      school('SC-A01', '220102', { name: '南关区职业教育中心' }),
      school('SC-C01', '220202', { name: '昌邑区职业技术学校' }),
    ])) as [string, string];
    await waitFor(
      async () =>
        (
          await selectOne<{ n: number }>(
            stack.services['status-change'].dataSource,
            'SELECT count(*)::int AS n FROM school_directory',
          )
        )?.n === 2,
      { what: 'status-change to learn the schools' },
    );
    springStudents = [];
    for (let n = 1; n <= 4; n++)
      springStudents.push(await formalStudent(A, '220102', 200 + n, { entryDate: '2026-03-01', intake: 'SPRING' }));
    stack.setToday('2026-09-15');
  });

  afterAll(() => stack?.stop());

  it('suspension: submitted → school approves → authority approves → suspended, and the event is on Kafka', async () => {
    const id = springStudents[0]!;
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'SUSPENSION',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['hospital/2026/001'],
          suspension: { ground: 'ILLNESS', months: 12 },
        },
      },
      registrar(A),
    );
    expect(submitted.errors).toBeUndefined();
    const request = submitted.data!.submitChangeRequest;
    expect(request).toMatchObject({
      state: 'PENDING',
      steps: ['SENDING_SCHOOL', 'SENDING_AUTHORITY'],
      nextStep: 'SENDING_SCHOOL',
    });

    const notYours = await graphql(stack.gatewayUrl, APPROVE_CHANGE, { id: request.id }, reviewer('220102'));
    expect(notYours.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bySchool = await graphql<{ approveChangeRequest: Change }>(
      stack.gatewayUrl,
      APPROVE_CHANGE,
      { id: request.id },
      registrar(A),
    );
    expect(bySchool.data!.approveChangeRequest).toMatchObject({ state: 'PENDING', nextStep: 'SENDING_AUTHORITY' });
    const queue = await graphql<{ changeRequestQueue: { edges: { node: { id: string } }[] } }>(
      stack.gatewayUrl,
      `
        {
          changeRequestQueue(first: 500) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      reviewer('220100'),
    );
    expect(queue.data!.changeRequestQueue.edges.map((e) => e.node.id)).toContain(request.id);
    const byAuthority = await graphql<{ approveChangeRequest: Change }>(
      stack.gatewayUrl,
      APPROVE_CHANGE,
      { id: request.id },
      reviewer('220102'),
    );
    expect(byAuthority.data!.approveChangeRequest).toMatchObject({ state: 'EFFECTIVE', nextStep: null });
    expect((await statusOf(id)).status.code).toBe('SUSPENDED');
    // SC-14 / SB-2: subsidy learns of it from Kafka alone, and stops the grant.
    await waitFor(
      async () => {
        const grant = await grantOf(stack, id, reviewer('220000'));
        return grant && !grant.eligible && grant.reasons.some((x) => x.rule === 'SB-2' && !x.met);
      },
      { what: 'subsidy to stop the grant of the suspended student' },
    );

    // A plain Kafka consumer reads the event back, and the partner copy carries no personal data.
    const topic = `${stack.topicPrefix}xueji.status-change.events`;
    const events = await readTopic(kafkaBrokers(), topic, (m) => m.some((x) => x.key === id));
    expect(JSON.parse(events.find((x) => x.key === id)!.value!)).toMatchObject({
      studentId: id,
      kind: 'SUSPENSION',
      effectiveDate: '2026-09-15',
      previousStatus: 'ACTIVE',
      newStatus: 'SUSPENDED',
      schoolId: A,
    });
    const partner = await readTopic(kafkaBrokers(), `${stack.topicPrefix}xueji.partner.status`, (m) =>
      m.some((x) => x.key === id),
    );
    const copy = partner.find((x) => x.key === id)!.value!;
    // Issue 14: with the school's county for region-scoped partners; the school's name, never the student's.
    expect(JSON.parse(copy)).toMatchObject({
      studentId: id,
      kind: 'SUSPENSION',
      newStatus: 'SUSPENDED',
      regionCode: '220102',
    });
    expect(copy).not.toMatch(/idNumber|studentNumber|"name"|\d{17}[\dX]/);
  });

  it('a transfer between schools in two counties needs all four approvals; enrolment then shows the new school', async () => {
    const id = springStudents[1]!;
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'TRANSFER',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['application/guardian-signed'],
          transfer: { toSchoolId: C, ground: 'FAMILY_MOVE' },
        },
      },
      registrar(A),
    );
    expect(submitted.errors).toBeUndefined();
    const request = submitted.data!.submitChangeRequest;
    expect(request.steps).toEqual(['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY']);
    const approvers = [registrar(A), reviewer('220102'), registrar(C), reviewer('220202')];
    let last: Change | undefined;
    for (const token of approvers) {
      const r = await graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: request.id },
        token,
      );
      expect(r.errors).toBeUndefined();
      last = r.data!.approveChangeRequest;
    }
    expect(last).toMatchObject({ state: 'EFFECTIVE' });
    await waitFor(async () => (await statusOf(id)).school.id === C, { what: 'enrolment to move the student' });
    // The receiving registrar now sees the student; the sending one no longer does.
    const asC = await graphql(
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
      registrar(C),
    );
    expect(asC.errors).toBeUndefined();
    const asA = await graphql(
      stack.gatewayUrl,
      `
        query ($id: ID!) {
          student(id: $id) {
            name
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(asA.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('two reviewers approving at once produce one outcome and one event', async () => {
    const id = springStudents[2]!;
    const { data } = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'WITHDRAWAL',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['application/student-and-guardian'],
          withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: 'consent/1' },
        },
      },
      registrar(A),
    );
    const requestId = data!.submitChangeRequest.id;
    await graphql(stack.gatewayUrl, APPROVE_CHANGE, { id: requestId }, registrar(A));
    const both = await Promise.all([
      graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: requestId },
        reviewer('220102'),
      ),
      graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: requestId },
        reviewer('220000'),
      ),
    ]);
    expect(both.filter((r) => !r.errors)).toHaveLength(1);
    expect(both.filter((r) => r.errors).map((r) => r.errors![0]!.extensions?.code)).toEqual(['CONFLICT']);
    const db = stack.services['status-change'].dataSource;
    expect(await db.query(`SELECT count(*)::int AS n FROM status_change WHERE request_id = $1`, [requestId])).toEqual([
      { n: 1 },
    ]);
    expect(
      await db.query(
        `SELECT count(*)::int AS n FROM outbox_message WHERE message_key = $1 AND event_type = 'xueji.status-change.status.changed.v1'`,
        [id],
      ),
    ).toEqual([{ n: 1 }]);
    expect((await statusOf(id)).status.code).toBe('WITHDRAWN');
    // The withdrawal ends subsidy eligibility with nothing but Kafka between the two services (SB-3).
    const officer = tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
    const revoked = await waitFor(
      async () => {
        const grant = await grantOf(stack, id, officer);
        return grant && !grant.eligible ? grant : null;
      },
      { what: 'subsidy to revoke eligibility', timeoutMs: 10_000 },
    );
    expect(revoked.reasons).toContainEqual({
      rule: 'SB-3',
      met: false,
      messageEn: 'Status WITHDRAWN since 2026-09-15: eligibility ended',
    });
    // Subsidy officers read; they never change student records.
    const attempt = await graphql(stack.gatewayUrl, APPROVE_CHANGE, { id: requestId }, officer);
    expect(attempt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a rejected request changes nothing and publishes nothing', async () => {
    const id = springStudents[3]!;
    const { data } = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'SUSPENSION',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['leave/1'],
          suspension: { ground: 'PERSONAL_LEAVE', months: 6 },
        },
      },
      registrar(A),
    );
    const requestId = data!.submitChangeRequest.id;
    const rejected = await graphql<{ rejectChangeRequest: Change }>(
      stack.gatewayUrl,
      `
        mutation ($id: ID!) {
          rejectChangeRequest(id: $id, reason: "材料不全") {
            state
          }
        }
      `,
      { id: requestId },
      registrar(A),
    );
    expect(rejected.data!.rejectChangeRequest.state).toBe('REJECTED');
    expect((await statusOf(id)).status.code).toBe('ACTIVE');
    const db = stack.services['status-change'].dataSource;
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE message_key = $1`, [id])).toEqual([
      { n: 0 },
    ]);
    const again = await graphql(stack.gatewayUrl, APPROVE_CHANGE, { id: requestId }, registrar(A));
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
