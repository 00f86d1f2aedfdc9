import { randomUUID } from 'node:crypto';
import { createEvent, toBusMessage } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  readTopic,
  testServiceConfig,
  tokenFor,
  testTopicPrefix,
  waitFor,
} from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

interface Running {
  service: RunningService;
  url: string;
  databaseUrl: string;
  topicPrefix: string;
  schools: string[];
  stop(): Promise<void>;
}

/** One enrolment subgraph on its own database and topics, under a profile and a fixed "today". */
async function startEnrolment(profile: string, today = TEST_TODAY): Promise<Running> {
  const databaseUrl = await createTestDatabase(`enrolment_${profile.replace('-', '_')}`);
  const topicPrefix = testTopicPrefix();
  const service = await startService(
    enrolment,
    testServiceConfig('enrolment', { databaseUrl, topicPrefix, profile, today }),
  );
  const schools = await seedSchools(service, [
    school('A01', '220102', { name: '南关区职业教育中心', countySchoolCode: '07' }),
    school('B01', '220202', { name: '昌邑区职业技术学校', authorityTier: 'CITY' }),
    school('F01', '350102', { name: '鼓楼区职业中专', countySchoolCode: '03' }),
  ]);
  return {
    service,
    url: service.url,
    databaseUrl,
    topicPrefix,
    schools,
    stop: async () => {
      await service.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}

const registrar = (schoolId: string) =>
  tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
const reviewer = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });
type Submitted = { submitRegistration: { id: string; registrationStatus: string } };
type Decided = {
  approveRegistrations: {
    decided: { id: string; studentNumber: string; isFormal: boolean }[];
    refused: { studentId: string; breaches: { rule: string }[] }[];
  };
};

describe('enrolment under the national profile (real PostgreSQL and Kafka)', () => {
  let e: Running;
  let A: string;
  let B: string;

  beforeAll(async () => {
    e = await startEnrolment('national');
    [A, B] = e.schools as [string, string];
  });
  afterAll(() => e?.stop());

  it('ENR-5: submitted, then approved by the competent authority, the status is formal with its number (ENR-11)', async () => {
    const input = registration(A, '220102', 11);
    const submitted = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A));
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitRegistration.id;
    const before = await graphql<{ student: { isFormal: boolean; studentNumber: string | null } }>(
      e.url,
      `
        query ($id: ID!) {
          student(id: $id) {
            isFormal
            studentNumber
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(before.data!.student).toEqual({ isFormal: false, studentNumber: null });

    const otherCounty = await graphql<Decided>(e.url, APPROVE, { ids: [id] }, reviewer('220104'));
    expect(otherCounty.data!.approveRegistrations.refused).toEqual([
      { studentId: id, breaches: [expect.objectContaining({ rule: 'ADM-2' })] },
    ]);

    const approved = await graphql<Decided>(e.url, APPROVE, { ids: [id] }, reviewer('220102'));
    expect(approved.data!.approveRegistrations.decided).toEqual([
      { id, registrationStatus: 'APPROVED', studentNumber: `G${input.idNumber}`, isFormal: true },
    ]);
    const again = await graphql<Decided>(e.url, APPROVE, { ids: [id] }, reviewer('220000'));
    expect(again.data!.approveRegistrations.refused[0]!.breaches[0]!.rule).toBe('ENR-5');

    const messages = await readTopic(
      process.env.KAFKA_BROKERS!.split(','),
      `${e.topicPrefix}xueji.enrolment.events`,
      (m) => m.some((x) => x.key === id && x.headers.ce_type === 'xueji.enrolment.registration.approved.v1'),
    );
    const approvedEvent: unknown = JSON.parse(
      messages.find((x) => x.headers.ce_type === 'xueji.enrolment.registration.approved.v1' && x.key === id)!.value!,
    );
    expect(approvedEvent).toMatchObject({
      studentId: id,
      schoolId: A,
      studentNumber: `G${input.idNumber}`,
      studyForm: 'FULL_TIME',
    });
  });

  it('ENR-7: one ID number cannot be registered at two schools', async () => {
    const input = registration(A, '220102', 12);
    expect((await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A))).errors).toBeUndefined();
    const second = await graphql(e.url, SUBMIT, { input: { ...input, schoolId: B } }, registrar(B));
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-7' });
    expect(second.errors?.[0]?.message).toMatch(/其他学校.*another school/);
  });

  it('ENR-7: also when both submissions race — the database lets exactly one through', async () => {
    for (let round = 0; round < 5; round++) {
      const input = registration(A, '220102', 100 + round);
      const results = await Promise.all([
        graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A)),
        graphql<Submitted>(e.url, SUBMIT, { input: { ...input, schoolId: B } }, registrar(B)),
      ]);
      const ok = results.filter((r) => !r.errors);
      const refused = results.filter((r) => r.errors);
      expect(ok).toHaveLength(1);
      expect(refused.map((r) => r.errors![0]!.extensions?.rule)).toEqual(['ENR-7']);
      const rows: unknown = await e.service.dataSource.query(
        'SELECT count(*)::int AS n FROM student WHERE id_number = $1',
        [input.idNumber],
      );
      expect(rows).toEqual([{ n: 1 }]);
    }
  });

  it('ENR-6: the same student cannot be registered twice at the same school', async () => {
    const input = registration(A, '220102', 13);
    await graphql(e.url, SUBMIT, { input }, registrar(A));
    const twice = await graphql(e.url, SUBMIT, { input }, registrar(A));
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-6' });
  });

  it('ENR-7: a general high-school status imported by the province excludes registration', async () => {
    const input = registration(A, '220102', 14);
    const imported = await graphql<{ importOtherStatusRecords: number }>(
      e.url,
      `
        mutation ($r: [OtherStatusInput!]!) {
          importOtherStatusRecords(records: $r)
        }
      `,
      { r: [{ idNumber: input.idNumber, kind: 'GENERAL_HIGH_SCHOOL', institution: '长春市第二中学' }] },
      reviewer('220000'),
    );
    expect(imported.data?.importOtherStatusRecords).toBe(1);
    const refused = await graphql(e.url, SUBMIT, { input }, registrar(A));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-7' });
    const county = await graphql(
      e.url,
      `
        mutation ($r: [OtherStatusInput!]!) {
          importOtherStatusRecords(records: $r)
        }
      `,
      { r: [{ idNumber: input.idNumber, kind: 'UNIVERSITY', institution: 'x' }] },
      reviewer('220102'),
    );
    expect(county.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('ENR-16: a major the school is not approved for is refused; bad input is BAD_USER_INPUT with nothing written', async () => {
    const notApproved = await graphql(
      e.url,
      SUBMIT,
      { input: registration(A, '220102', 15, { majorCode: '610101' }) },
      registrar(A),
    );
    expect(notApproved.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-16' });
    const input = registration(A, '220102', 16, { birthDate: '2010-02-30' });
    const bad = await graphql(e.url, SUBMIT, { input }, registrar(A));
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rows: unknown = await e.service.dataSource.query(
      'SELECT count(*)::int AS n FROM student WHERE id_number = $1',
      [input.idNumber],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('rejects with a reason; the ID number is free again for a new submission', async () => {
    const input = registration(A, '220102', 17);
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A));
    const id = data!.submitRegistration.id;
    const rejected = await graphql<{
      rejectRegistrations: { decided: { registrationStatus: string; decisionComment: string }[] };
    }>(
      e.url,
      `
        mutation ($ids: [ID!]!) {
          rejectRegistrations(ids: $ids, reason: "材料不全") {
            decided {
              registrationStatus
              decisionComment
            }
          }
        }
      `,
      { ids: [id] },
      reviewer('220100'),
    );
    expect(rejected.data!.rejectRegistrations.decided).toEqual([
      { registrationStatus: 'REJECTED', decisionComment: '材料不全' },
    ]);
    expect((await graphql(e.url, SUBMIT, { input }, registrar(A))).errors).toBeUndefined();
    const audit: unknown = await e.service.dataSource.query(
      `SELECT action, reason FROM audit_entry WHERE entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'SUBMIT_REGISTRATION', reason: null },
      { action: 'REJECT_REGISTRATION', reason: '材料不全' },
    ]);
  });

  it('lists, finds and pages students within the caller’s scope, masking ID numbers for subsidy officers', async () => {
    for (let n = 60; n < 64; n++) await graphql(e.url, SUBMIT, { input: registration(B, '220202', n) }, registrar(B));
    const input = registration(B, '220202', 18, { className: '2026级会计1班', majorCode: '730301' });
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(B));
    const id = data!.submitRegistration.id;
    const byId = await graphql<{ studentByIdNumber: { id: string } }>(
      e.url,
      `
        query ($n: String!) {
          studentByIdNumber(idNumber: $n) {
            id
          }
        }
      `,
      { n: input.idNumber.toLowerCase() },
      registrar(B),
    );
    expect(byId.data!.studentByIdNumber.id).toBe(id);
    // Another school's registrar gets null, as for an unknown number (lookup-scope.int.test.ts).
    expect(
      (
        await graphql(
          e.url,
          `
            query ($n: String!) {
              studentByIdNumber(idNumber: $n) {
                id
              }
            }
          `,
          { n: input.idNumber },
          registrar(A),
        )
      ).data,
    ).toEqual({ studentByIdNumber: null });

    const page = (first: number, after?: string) =>
      graphql<{
        students: {
          edges: { cursor: string; node: { id: string; idNumber: string } }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string };
          totalCount: number;
        };
      }>(
        e.url,
        `
          query ($first: Int, $after: String) {
            students(filter: { regionCode: "220000" }, first: $first, after: $after) {
              edges {
                cursor
                node {
                  id
                  idNumber
                }
              }
              pageInfo {
                hasNextPage
                hasPreviousPage
                startCursor
                endCursor
              }
              totalCount
            }
          }
        `,
        { first, after },
        tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220000' }),
      );
    const first = await page(2);
    expect(first.errors).toBeUndefined();
    const total = first.data!.students.totalCount;
    expect(total).toBeGreaterThan(3);
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const p = await page(2, cursor);
      // Relay: read forward only, so there are earlier students exactly when a cursor was given.
      const { edges, pageInfo } = p.data!.students;
      expect(pageInfo.hasPreviousPage).toBe(cursor !== undefined);
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).toBe(edges[edges.length - 1]?.cursor ?? null);
      for (const edge of p.data!.students.edges) {
        expect(edge.node.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
        seen.add(edge.node.id);
      }
      if (!p.data!.students.pageInfo.hasNextPage) break;
      cursor = p.data!.students.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);

    const mine = await graphql<{ students: { totalCount: number } }>(
      e.url,
      `
        {
          students(filter: { className: "2026级会计1班" }) {
            totalCount
          }
        }
      `,
      {},
      registrar(A),
    );
    expect(mine.data!.students.totalCount).toBe(0);
  });

  it('applies an approved transfer published by status-change: the student moves to the new school', async () => {
    const input = registration(A, '220102', 19);
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A));
    const id = data!.submitRegistration.id;
    await graphql<Decided>(e.url, APPROVE, { ids: [id] }, reviewer('220102'));
    const transfer = createEvent('xueji.status-change.status.changed.v1', id, {
      studentId: id,
      kind: 'TRANSFER',
      effectiveDate: '2026-09-20',
      previousStatus: 'ACTIVE',
      newStatus: 'ACTIVE',
      schoolId: A,
      regionCode: '220102',
      toSchoolId: B,
      toRegionCode: '220202',
    });
    await e.service.bus.publish(`${e.topicPrefix}xueji.status-change.events`, [toBusMessage(transfer)]);
    const moved = await waitFor(
      async () => {
        const r = await graphql<{ student: { school: { id: string }; studentNumber: string } }>(
          e.url,
          `
            query ($id: ID!) {
              student(id: $id) {
                school {
                  id
                }
                studentNumber
              }
            }
          `,
          { id },
          reviewer('220000'),
        );
        return r.data?.student?.school.id === B ? r : null;
      },
      { what: 'enrolment to apply the transfer' },
    );
    expect(moved.data!.student.studentNumber).toBe(`G${input.idNumber}`);
    const asOldRegistrar = await graphql(
      e.url,
      `
        query ($id: ID!) {
          student(id: $id) {
            id
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(asOldRegistrar.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('applies an approved personal-data correction published by status-change (SC-21)', async () => {
    const input = registration(A, '220102', 70);
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(A));
    const id = data!.submitRegistration.id;
    const correction = createEvent('xueji.status-change.personal-data.corrected.v1', id, {
      studentId: id,
      effectiveDate: '2026-09-20',
      corrections: [{ field: 'name', oldValue: input.name, newValue: '更正后姓名' }],
    });
    await e.service.bus.publish(`${e.topicPrefix}xueji.status-change.events`, [toBusMessage(correction)]);
    await waitFor(
      async () => {
        const r = await graphql<{ student: { name: string } }>(
          e.url,
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
        return r.data?.student?.name === '更正后姓名';
      },
      { what: 'enrolment to apply the correction' },
    );
  });

  it('SC-21 / ENR-7: applies an approved correction and says so; refuses an ID number another student holds, changing nothing', async () => {
    const topic = `${e.topicPrefix}xueji.status-change.events`;
    const first = registration(A, '220102', 71);
    const second = registration(B, '220102', 72);
    const ids: string[] = [];
    for (const [input, school] of [
      [first, A],
      [second, B],
    ] as const) {
      const { data } = await graphql<Submitted>(e.url, SUBMIT, { input }, registrar(school));
      ids.push(data!.submitRegistration.id);
    }
    const [a, b] = ids as [string, string];
    const approved = (studentId: string, requestId: string, newValue: string) =>
      createEvent('xueji.status-change.personal-data.correction-approved.v1', studentId, {
        requestId,
        studentId,
        effectiveDate: TEST_TODAY,
        corrections: [{ field: 'idNumber', oldValue: null, newValue }],
      });
    const answers = (studentId: string) =>
      e.service.dataSource.query(
        `SELECT event_type, payload::jsonb AS data FROM outbox_message
          WHERE message_key = $1 AND event_type LIKE 'xueji.enrolment.personal-data.%' ORDER BY seq`,
        [studentId],
      ) as Promise<{ event_type: string; data: Record<string, unknown> }[]>;
    const idNumberOf = async (studentId: string) =>
      (
        (await e.service.dataSource.query(`SELECT id_number FROM student WHERE id = $1`, [studentId])) as {
          id_number: string;
        }[]
      )[0]!.id_number;

    // A's ID number corrected to B's, who holds an active status at another school: refused by ENR-7.
    const refusedRequest = randomUUID();
    await deliverEvents(e.service, topic, [approved(a, refusedRequest, second.idNumber)]);
    expect(await idNumberOf(a)).toBe(first.idNumber);
    expect(await answers(a)).toEqual([
      {
        event_type: 'xueji.enrolment.personal-data.correction-refused.v1',
        data: expect.objectContaining({
          studentId: a,
          requestId: refusedRequest,
          rule: 'ENR-7',
          reason: { zh: expect.stringContaining('身份证号'), en: expect.stringContaining('ID number') },
        }),
      },
    ]);

    // A number nobody holds: applied, and the values the record now holds are published for the others.
    const fresh = registration(A, '220102', 73).idNumber;
    const appliedRequest = randomUUID();
    await deliverEvents(e.service, topic, [approved(a, appliedRequest, fresh)]);
    expect(await idNumberOf(a)).toBe(fresh);
    expect((await answers(a)).at(-1)).toEqual({
      event_type: 'xueji.enrolment.personal-data.corrected.v1',
      data: expect.objectContaining({
        studentId: a,
        requestId: appliedRequest,
        corrections: [{ field: 'idNumber', newValue: fresh }],
      }),
    });
    expect(await idNumberOf(b)).toBe(second.idNumber);
  });

  it('ADM-6: head-count figures per school for the term', async () => {
    const figures = await graphql<{
      school: { headcount: { registered: number; termRegistered: number; gap: number; pendingApproval: number } };
    }>(
      e.url,
      `
        query ($id: ID!) {
          school(id: $id) {
            regionName
            headcount {
              term
              registered
              termRegistered
              gap
              pendingApproval
            }
          }
        }
      `,
      { id: A },
      registrar(A),
    );
    expect(figures.errors).toBeUndefined();
    const h = figures.data!.school.headcount;
    expect(h.registered).toBeGreaterThanOrEqual(1);
    expect(h.gap).toBe(h.registered - h.termRegistered);
    expect(h.pendingApproval).toBeGreaterThanOrEqual(1);
  });
});

describe('enrolment under the fujian profile', () => {
  let e: Running;
  beforeAll(async () => {
    e = await startEnrolment('fujian');
  });
  afterAll(() => e?.stop());

  it('ENR-11: approval allocates 10-digit numbers YY·CC·SS·NNNN in sequence, never twice', async () => {
    const F = e.schools[2]!;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const r = await graphql<Submitted>(e.url, SUBMIT, { input: registration(F, '350102', 30 + n) }, registrar(F));
      expect(r.errors).toBeUndefined();
      ids.push(r.data!.submitRegistration.id);
    }
    const approved = await graphql<Decided>(e.url, APPROVE, { ids }, reviewer('350100'));
    expect(approved.data!.approveRegistrations.decided.map((d) => d.studentNumber)).toEqual([
      '2602030001',
      '2602030002',
      '2602030003',
    ]);
  });

  it('ENR-11: a transfer from a general high school gets a new number, as status-change publishes it', async () => {
    const F = e.schools[2]!;
    const [G] = await seedSchools(e.service, [
      school('F05', '350102', { name: '鼓楼区第二职业中专', countySchoolCode: '05' }),
    ]);
    const approvedAt = async (n: number) => {
      const r = await graphql<Submitted>(e.url, SUBMIT, { input: registration(F, '350102', n) }, registrar(F));
      expect(r.errors).toBeUndefined();
      const id = r.data!.submitRegistration.id;
      const approved = await graphql<Decided>(e.url, APPROVE, { ids: [id] }, reviewer('350100'));
      return { id, studentNumber: approved.data!.approveRegistrations.decided[0]!.studentNumber };
    };
    const fromHighSchool = await approvedAt(34);
    const fromVocational = await approvedAt(35);
    // What status-change's effect publishes for a transfer inside Fujian: fromOtherProvince is
    // !toSameProvince (false here); fromGeneralHighSchool is the request's own fact.
    const transfer = (studentId: string, fromGeneralHighSchool: boolean) =>
      createEvent('xueji.status-change.status.changed.v1', studentId, {
        studentId,
        kind: 'TRANSFER',
        effectiveDate: '2026-09-20',
        previousStatus: 'ACTIVE',
        newStatus: 'ACTIVE',
        schoolId: F,
        regionCode: '350102',
        toSchoolId: G!,
        toRegionCode: '350102',
        fromOtherProvince: false,
        fromGeneralHighSchool,
      });
    await deliverEvents(e.service, `${e.topicPrefix}xueji.status-change.events`, [
      transfer(fromHighSchool.id, true),
      transfer(fromVocational.id, false),
    ]);
    const numbers = (await e.service.dataSource.query(
      'SELECT id, school_id AS "schoolId", student_number AS "studentNumber" FROM student WHERE id = ANY($1)',
      [[fromHighSchool.id, fromVocational.id]],
    )) as { id: string; schoolId: string; studentNumber: string }[];
    const byId = new Map(numbers.map((n) => [n.id, n]));
    // From a general high school: a new number in the receiving school's sequence (YY·CC·05·0001).
    expect(byId.get(fromHighSchool.id)).toEqual({
      id: fromHighSchool.id,
      schoolId: G,
      studentNumber: '2602050001',
    });
    expect(fromHighSchool.studentNumber).not.toBe('2602050001');
    // From another secondary vocational school of the province: the number is kept.
    expect(byId.get(fromVocational.id)).toEqual({
      id: fromVocational.id,
      schoolId: G,
      studentNumber: fromVocational.studentNumber,
    });
    // The services that show the number learn the new one; a kept number publishes nothing.
    const assigned = (await e.service.dataSource.query(
      `SELECT message_key AS "studentId", payload::jsonb AS data FROM outbox_message
        WHERE event_type = 'xueji.enrolment.student-number.assigned.v1' AND message_key = ANY($1)`,
      [[fromHighSchool.id, fromVocational.id]],
    )) as { studentId: string; data: Record<string, string> }[];
    expect(assigned).toEqual([
      {
        studentId: fromHighSchool.id,
        data: expect.objectContaining({ studentId: fromHighSchool.id, schoolId: G, studentNumber: '2602050001' }),
      },
    ]);
  });
});

describe('enrolment under the jilin profile after its autumn deadline', () => {
  let e: Running;
  afterAll(() => e?.stop());

  it('ENR-4: refuses autumn registrations after 11-20', async () => {
    e = await startEnrolment('jilin', '2026-11-21');
    const refused = await graphql(
      e.url,
      SUBMIT,
      { input: registration(e.schools[0]!, '220102', 40) },
      registrar(e.schools[0]!),
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-4' });
  });
});

describe('enrolment under the beijing profile', () => {
  let e: Running;
  beforeAll(async () => {
    e = await startEnrolment('beijing', '2026-09-20');
  });
  afterAll(() => e?.stop());

  it('ENR-10: an ill student’s admission is deferred, then re-admitted with a certificate', async () => {
    const A = e.schools[0]!;
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input: registration(A, '220102', 50) }, registrar(A));
    const id = data!.submitRegistration.id;
    const deferred = await graphql<{ deferAdmission: { registrationStatus: string; deferredUntil: string } }>(
      e.url,
      `
        mutation ($id: ID!) {
          deferAdmission(id: $id, certificateRef: "hospital/2A/1") {
            registrationStatus
            deferredUntil
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(deferred.data!.deferAdmission).toEqual({ registrationStatus: 'DEFERRED', deferredUntil: '2027-09-20' });
    const noCertificate = await graphql(
      e.url,
      `
        mutation ($id: ID!) {
          readmitDeferred(id: $id, certificateRef: " ") {
            registrationStatus
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(noCertificate.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-10' });
    const readmitted = await graphql<{ readmitDeferred: { registrationStatus: string } }>(
      e.url,
      `
        mutation ($id: ID!) {
          readmitDeferred(id: $id, certificateRef: "hospital/2A/2") {
            registrationStatus
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(readmitted.data!.readmitDeferred.registrationStatus).toBe('SUBMITTED');
  });

  it('ENR-9: cancels at the entrance re-check, and publishes it', async () => {
    const A = e.schools[0]!;
    const { data } = await graphql<Submitted>(e.url, SUBMIT, { input: registration(A, '220102', 51) }, registrar(A));
    const id = data!.submitRegistration.id;
    const cancelled = await graphql<{ cancelRegistration: { registrationStatus: string } }>(
      e.url,
      `
        mutation ($id: ID!) {
          cancelRegistration(id: $id, reason: "复查不合格") {
            registrationStatus
          }
        }
      `,
      { id },
      registrar(A),
    );
    expect(cancelled.data!.cancelRegistration.registrationStatus).toBe('CANCELLED');
    await readTopic(process.env.KAFKA_BROKERS!.split(','), `${e.topicPrefix}xueji.enrolment.events`, (m) =>
      m.some((x) => x.key === id && x.headers.ce_type === 'xueji.enrolment.registration.cancelled.v1'),
    );
  });

  it('ENR-17: a formal student not registered for the term two weeks after it began is published as lapsed', async () => {
    const A = e.schools[0]!;
    const input = registration(A, '220102', 52, { entryDate: '2026-03-01', intake: 'SPRING' });
    // Two students who entered in the spring term (formal since then); the autumn term began 2026-09-01.
    const [{ id }] = (await e.service.dataSource.query(
      `INSERT INTO student (name, sex, birth_date, id_number, entry_date, intake, entry_level, study_form, programme,
         expected_years, school_id, registration_status, registered_by, student_number)
       VALUES ('钱七', $1, $2, $3, '2026-03-01', 'SPRING', 'JUNIOR', 'FULL_TIME', 'REGULAR', 3, $4, 'APPROVED', 'seed', $5)
       RETURNING id`,
      [input.sex, input.birthDate, input.idNumber, A, `G${input.idNumber}`],
    )) as { id: string }[];
    const registered = registration(A, '220102', 53, { entryDate: '2026-03-01', intake: 'SPRING' });
    const [{ id: registeredId }] = (await e.service.dataSource.query(
      `INSERT INTO student (name, sex, birth_date, id_number, entry_date, intake, entry_level, study_form, programme,
         expected_years, school_id, registration_status, registered_by)
       VALUES ('孙八', $1, $2, $3, '2026-03-01', 'SPRING', 'JUNIOR', 'FULL_TIME', 'REGULAR', 3, $4, 'APPROVED', 'seed')
       RETURNING id`,
      [registered.sex, registered.birthDate, registered.idNumber, A],
    )) as { id: string }[];
    const recorded = await graphql<{ recordTermRegistration: number }>(
      e.url,
      `
        mutation ($ids: [ID!]!) {
          recordTermRegistration(studentIds: $ids)
        }
      `,
      { ids: [registeredId] },
      registrar(A),
    );
    expect(recorded.data!.recordTermRegistration).toBe(1);

    const detect = () =>
      graphql<{ detectTermRegistrationLapses: number }>(
        e.url,
        `
          mutation {
            detectTermRegistrationLapses
          }
        `,
        {},
        reviewer('110000'),
      );
    expect((await detect()).data!.detectTermRegistrationLapses).toBe(1);
    expect((await detect()).data!.detectTermRegistrationLapses).toBe(0); // published once
    const messages = await readTopic(
      process.env.KAFKA_BROKERS!.split(','),
      `${e.topicPrefix}xueji.enrolment.events`,
      (m) => m.some((x) => x.headers.ce_type === 'xueji.enrolment.term-registration.lapsed.v1'),
    );
    const lapses = messages.filter((x) => x.headers.ce_type === 'xueji.enrolment.term-registration.lapsed.v1');
    expect(lapses.map((x) => x.key)).toEqual([id]);
    expect(JSON.parse(lapses[0]!.value!)).toMatchObject({ term: '2026-autumn', termStartsOn: '2026-09-01' });
  });

  it('ENR-12: beijing refuses part-time registrations', async () => {
    const A = e.schools[0]!;
    const r = await graphql(
      e.url,
      SUBMIT,
      { input: registration(A, '220102', 54, { studyForm: 'PART_TIME' }) },
      registrar(A),
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-12' });
  });
});
