import { randomUUID } from 'node:crypto';
import { fixedOrRealClock } from '@xueji/config';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { graphql, kafkaBrokers, readTopic, tokenFor, type GraphQLResponse } from '@xueji/testkit';
import { loadPolicyProfile } from '@xueji/policy';
import { runScheduledChanges } from '../src/jobs/scheduled-changes';
import {
  APPROVE_CHANGE,
  correctionApplied,
  enrolled as enrolledAt,
  formalStudent,
  schoolRegistered,
  startStatusChange,
  SUBMIT_CHANGE,
  type Running,
  type TestSchool,
} from './support';

const SCHOOL = randomUUID();
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL });
const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '420300' });
const school: TestSchool = {
  schoolId: SCHOOL,
  code: 'S42030201',
  name: '十堰市张湾区职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};

/** A school, and a formal student of it who entered on the date given, as enrolment publishes them. */
const enrolled = (studentId: string, entryDate: string) => enrolledAt(school, studentId, entryDate);

const REPORT = /* GraphQL */ `
  query Report($kind: ReportKind!, $month: String!) {
    monthlyReport(kind: $kind, month: $month) {
      month
      dueDate
      lateCount
      rows {
        kind
        effectiveDate
        late
      }
      fileName
      file
    }
  }
`;
type Report = {
  monthlyReport: {
    month: string;
    dueDate: string;
    lateCount: number;
    rows: { kind: string; late: boolean }[];
    file: string;
  };
};

describe('status-change under hubei-shiyan: monthly reports (ADM-4, SC-22)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('hubei-shiyan', '2026-09-15');
  });
  afterAll(() => s?.stop());

  it('a month with no change still has its empty report, due on the 5th of the next month', async () => {
    const r = await graphql<Report>(s.service.url, REPORT, { kind: 'STATUS_CHANGES', month: '2026-07' }, reviewer);
    expect(r.errors).toBeUndefined();
    expect(r.data!.monthlyReport).toMatchObject({ month: '2026-07', dueDate: '2026-08-05', lateCount: 0, rows: [] });
    expect(Buffer.from(r.data!.monthlyReport.file, 'base64').subarray(0, 2).toString()).toBe('PK'); // an .xlsx
  });

  it('a correction effective in August but submitted on 15 September is in August’s personal-data report, flagged late', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'DATA_CORRECTION',
          effectiveDate: '2026-08-31',
          evidenceRefs: ['identity/hukou-page'],
          correction: { fields: [{ field: 'name', oldValue: '学生', newValue: '学生甲' }] },
        },
      },
      registrar,
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitChangeRequest.id;
    for (const token of [registrar, reviewer]) {
      const r = await graphql(s.service.url, APPROVE_CHANGE, { id }, token);
      expect(r.errors).toBeUndefined();
    }
    const events = await selectRows<{ event_type: string }>(
      s.service.dataSource,
      `SELECT event_type FROM outbox_message WHERE message_key = $1`,
      [studentId],
    );
    // SC-21 / ENR-7: enrolment owns personal data; the request waits for its answer.
    expect(events).toEqual([{ event_type: 'xueji.status-change.personal-data.correction-approved.v1' }]);
    expect(await stateOf(s, id)).toBe('APPLYING');
    await s.publish('enrolment', correctionApplied(studentId, id, '学生甲', '2026-08-31'));
    expect(await stateOf(s, id)).toBe('EFFECTIVE');
    // Effective once enrolment applied it: in August's personal-data report, late.
    const august = await graphql<Report>(s.service.url, REPORT, { kind: 'PERSONAL_DATA', month: '2026-08' }, reviewer);
    expect(august.data!.monthlyReport).toMatchObject({
      dueDate: '2026-09-05',
      lateCount: 1,
      rows: [{ kind: 'DATA_CORRECTION', late: true }],
    });
    const statusReport = await graphql<Report>(
      s.service.url,
      REPORT,
      { kind: 'STATUS_CHANGES', month: '2026-08' },
      reviewer,
    );
    expect(statusReport.data!.monthlyReport.rows).toEqual([]);
  });

  it('ENR-7: a correction enrolment refuses ends REJECTED with enrolment’s rule and reason, as the system’s step', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'DATA_CORRECTION',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['identity/id-card'],
          correction: {
            fields: [{ field: 'idNumber', oldValue: '420302201009011234', newValue: '42030220100901123X' }],
          },
        },
      },
      registrar,
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitChangeRequest.id;
    for (const token of [registrar, reviewer])
      expect((await graphql(s.service.url, APPROVE_CHANGE, { id }, token)).errors).toBeUndefined();
    expect(await stateOf(s, id)).toBe('APPLYING');
    const reason = {
      zh: '更正后的身份证号已属于另一名在籍学生',
      en: 'The corrected ID number belongs to another student',
    };
    await s.publish(
      'enrolment',
      createEvent('xueji.enrolment.personal-data.correction-refused.v1', studentId, {
        studentId,
        requestId: id,
        rule: 'ENR-7',
        reason,
        refusedAt: '2026-09-15T02:00:00.000Z',
      }),
    );
    const r = await graphql<{
      changeRequest: { state: string; reason: string; history: { step: string; action: string; actor: string }[] };
    }>(
      s.service.url,
      `
        query ($id: ID!) {
          changeRequest(id: $id) {
            state
            reason
            history {
              step
              action
              actor
            }
          }
        }
      `,
      { id },
      reviewer,
    );
    expect(r.data!.changeRequest).toMatchObject({ state: 'REJECTED', reason: `ENR-7: ${reason.zh} / ${reason.en}` });
    expect(r.data!.changeRequest.history.at(-1)).toEqual({ step: 'EFFECTIVE', action: 'REJECT', actor: 'system' });
  });
});

/** A request's state as a reviewer of its region reads it. */
async function stateOf(s: Running, id: string): Promise<string> {
  const r = await graphql<{ changeRequest: { state: string } }>(
    s.service.url,
    `
      query ($id: ID!) {
        changeRequest(id: $id) {
          state
        }
      }
    `,
    { id },
    tokenFor({ subject: 'reviewer-state', role: 'AUTHORITY_REVIEWER', regionCode: '420000' }),
  );
  return r.data!.changeRequest.state;
}

describe('status-change under beijing: imposed withdrawal (SC-17)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('beijing', '2026-09-20');
  });
  afterAll(() => s?.stop());

  it('a lapsed term registration opens a case; the guardian notice and public notice come before the school confirms', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    await s.publish(
      'enrolment',
      createEvent('xueji.enrolment.term-registration.lapsed.v1', studentId, {
        studentId,
        schoolId: SCHOOL,
        regionCode: '420302',
        term: '2026-autumn',
        termStartsOn: '2026-09-01',
        detectedAt: '2026-09-20T01:00:00.000Z',
      }),
    );
    const queue = await graphql<{
      changeRequestQueue: { edges: { node: { id: string; kind: string; imposed: boolean } }[] };
    }>(
      s.service.url,
      `
        {
          changeRequestQueue(filter: { imposed: true }) {
            edges {
              node {
                id
                kind
                imposed
              }
            }
          }
        }
      `,
      {},
      registrar,
    );
    expect(queue.data!.changeRequestQueue.edges.map((e) => e.node)).toEqual([
      { id: expect.any(String) as string, kind: 'WITHDRAWAL', imposed: true },
    ]);
    const id = queue.data!.changeRequestQueue.edges[0]!.node.id;
    const approve = () =>
      graphql(
        s.service.url,
        `
          mutation ($id: ID!) {
            approveChangeRequest(id: $id) {
              state
              nextStep
            }
          }
        `,
        { id },
        registrar,
      );

    expect((await approve()).errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-17' });
    await graphql(
      s.service.url,
      `
        mutation ($id: ID!) {
          recordGuardianNotice(id: $id, reached: false, ref: "phone/unanswered") {
            id
          }
        }
      `,
      { id },
      registrar,
    );
    expect((await approve()).errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-17' });
    s.setToday('2026-09-30'); // the public notice has run its 10 days
    const confirmed = await approve();
    expect(confirmed.errors).toBeUndefined();
    const reviewed = await graphql<{ approveChangeRequest: { state: string } }>(
      s.service.url,
      APPROVE_CHANGE,
      { id },
      reviewer,
    );
    expect(reviewed.data!.approveChangeRequest.state).toBe('EFFECTIVE');
    const [status] = await selectRows<{ code: string }>(
      s.service.dataSource,
      `SELECT code FROM student_status WHERE student_id = $1`,
      [studentId],
    );
    expect(status).toEqual({ code: 'WITHDRAWN' });
  });
});

describe('status-change under the national profile: truancy (AS-8 → SC-17)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('national', '2026-10-20');
  });
  afterAll(() => s?.stop());

  it('90 truant hours in a semester open an imposed-withdrawal case, once', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    const truancy = (hours: number) =>
      createEvent('xueji.assessment.truancy.recorded.v1', studentId, {
        studentId,
        semester: '2026-2027-1',
        truantHours: hours,
        recordedAt: '2026-10-20T02:00:00.000Z',
      });
    await s.publish('assessment', truancy(89));
    const count = async () =>
      (
        await selectRows<{ n: number }>(
          s.service.dataSource,
          `SELECT count(*)::int AS n FROM change_request WHERE student_id = $1 AND imposed`,
          [studentId],
        )
      )[0]!.n;
    expect(await count()).toBe(0);
    await s.publish('assessment', truancy(90));
    await s.publish('assessment', truancy(96));
    expect(await count()).toBe(1);
  });
});

describe('status-change: scheduled work', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('national', '2026-09-15');
  });
  afterAll(() => s?.stop());

  const env = () => ({
    dataSource: s.service.dataSource,
    profile: loadPolicyProfile('national'),
    topics: s.service.topics,
    logger: s.service.logger,
    ...fixedOrRealClock(day, false),
  });
  let day = '2026-09-15';

  it('a future-dated approved change takes effect on its date; an overdue suspension opens an SC-17 case', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'SUSPENSION',
          effectiveDate: '2026-10-01',
          evidenceRefs: ['hospital/1'],
          suspension: { ground: 'ILLNESS', months: 6 },
        },
      },
      registrar,
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitChangeRequest.id;
    for (const token of [registrar, reviewer]) {
      await graphql(s.service.url, APPROVE_CHANGE, { id }, token);
    }
    const state = async () =>
      (
        await selectRows<{ state: string }>(s.service.dataSource, `SELECT state FROM change_request WHERE id = $1`, [
          id,
        ])
      )[0]!.state;
    expect(await state()).toBe('APPROVED');
    expect(await runScheduledChanges(env())).toEqual({ applied: 0, opened: 0 });

    day = '2026-10-01';
    expect(await runScheduledChanges(env())).toMatchObject({ applied: 1 });
    expect(await state()).toBe('EFFECTIVE');

    // The suspension ended on 2027-04-01; no resumption came; fourteen days later is not yet overdue, fifteen is.
    day = '2027-04-15';
    expect(await runScheduledChanges(env())).toMatchObject({ opened: 0 });
    day = '2027-04-16';
    expect(await runScheduledChanges(env())).toMatchObject({ opened: 1 });
    const cases = await selectRows<{ kind: string; ground: string }>(
      s.service.dataSource,
      `SELECT kind, details->>'ground' AS ground FROM change_request WHERE student_id = $1 AND imposed`,
      [studentId],
    );
    expect(cases).toEqual([{ kind: 'WITHDRAWAL', ground: 'SUSPENSION_OVERDUE' }]);
    await runScheduledChanges(env());
    expect(
      await s.service.dataSource.query(
        `SELECT count(*)::int AS n FROM change_request WHERE student_id = $1 AND imposed`,
        [studentId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('a ground the schema does not know is BAD_USER_INPUT naming the field; one the profile does not allow is SC-12', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(studentId, '2026-03-01'));
    const suspend = (ground: string) =>
      graphql(
        s.service.url,
        SUBMIT_CHANGE,
        { input: { studentId, kind: 'SUSPENSION', effectiveDate: '2026-10-01', suspension: { ground, months: 6 } } },
        registrar,
      );

    const unknown = await suspend('HOMESICK');
    expect(unknown.data ?? null).toBeNull();
    expect(unknown.errors).toHaveLength(1);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(unknown.errors![0]!.message).toContain('"HOMESICK"');
    expect(unknown.errors![0]!.message).toContain('input.suspension.ground');
    expect(unknown.errors![0]!.message).toContain('SuspensionGround');

    // WORK is a suspension ground, but not one of the national profile's (SC-12).
    const refused = await suspend('WORK');
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'SC-12',
      messageZh: '“就业或创业”不是本省的休学理由（可为：因病、因事（特殊困难）、服兵役）',
      messageEn:
        '“work or a start-up” is not a ground for suspension here (allowed: illness; personal leave (hardship); military service)',
    });
    expect(
      await s.service.dataSource.query(`SELECT count(*)::int AS n FROM change_request WHERE student_id = $1`, [
        studentId,
      ]),
    ).toEqual([{ n: 0 }]);
  });
});

describe('status-change under the national profile: a transfer’s origins in status.changed (ENR-11)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('national', '2026-09-15');
  });
  afterAll(() => s?.stop());

  const nanguan: TestSchool = {
    schoolId: randomUUID(),
    code: 'S22010201',
    name: '南关区职业教育中心',
    regionCode: '220102',
    authorityRegionCode: '220102',
  };
  const changyi: TestSchool = {
    schoolId: randomUUID(),
    code: 'S22020201',
    name: '昌邑区职业技术学校',
    regionCode: '220202',
    authorityRegionCode: '220202',
  };
  const zhangwan: TestSchool = { ...school, schoolId: randomUUID(), code: 'S42030202' };
  const registrarOf = (t: TestSchool) =>
    tokenFor({ subject: `registrar-${t.code}`, role: 'SCHOOL_REGISTRAR', schoolId: t.schoolId });
  const reviewerOf = (t: TestSchool) =>
    tokenFor({ subject: `reviewer-${t.code}`, role: 'AUTHORITY_REVIEWER', regionCode: t.authorityRegionCode });

  /** Submit a transfer from `from` to `to`, approve every step by its party, and return the student's status.changed data. */
  async function transfer(from: TestSchool, to: TestSchool, facts: Record<string, unknown>) {
    const studentId = randomUUID();
    await s.publish('enrolment', ...formalStudent(from, studentId, '2026-03-01'));
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      s.service.url,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'TRANSFER',
          effectiveDate: '2026-09-15',
          evidenceRefs: ['application/guardian-signed'],
          transfer: { toSchoolId: to.schoolId, ground: 'FAMILY_MOVE', ...facts },
        },
      },
      registrarOf(from),
    );
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitChangeRequest.id;
    const party = {
      SENDING_SCHOOL: registrarOf(from),
      SENDING_AUTHORITY: reviewerOf(from),
      RECEIVING_SCHOOL: registrarOf(to),
      RECEIVING_AUTHORITY: reviewerOf(to),
    };
    let state = 'PENDING';
    let nextStep: keyof typeof party | null = 'SENDING_SCHOOL';
    while (nextStep) {
      const r: GraphQLResponse<{ approveChangeRequest: { state: string; nextStep: keyof typeof party | null } }> =
        await graphql(
          s.service.url,
          `
            mutation ($id: ID!) {
              approveChangeRequest(id: $id) {
                state
                nextStep
              }
            }
          `,
          { id },
          party[nextStep],
        );
      expect(r.errors).toBeUndefined();
      ({ state, nextStep } = r.data!.approveChangeRequest);
    }
    expect(state).toBe('EFFECTIVE');
    const messages = await readTopic(kafkaBrokers(), `${s.topicPrefix}xueji.status-change.events`, (m) =>
      m.some((x) => x.key === studentId),
    );
    return JSON.parse(messages.find((x) => x.key === studentId)!.value!) as Record<string, unknown>;
  }

  beforeAll(() => s.publish('enrolment', ...[nanguan, changyi, zhangwan].map(schoolRegistered)));

  it('a student from a general high school, within the province: fromGeneralHighSchool, not fromOtherProvince', async () => {
    const data = await transfer(nanguan, changyi, { fromGeneralHighSchool: true, highSchoolMonthsStudied: 6 });
    expect(data).toMatchObject({
      kind: 'TRANSFER',
      toSchoolId: changyi.schoolId,
      fromGeneralHighSchool: true,
      fromOtherProvince: false,
    });
    // Issue 14: the partner copy names both schools' counties and names, for region-scoped partners; nothing personal.
    const [copy] = await selectRows<{ topic: string; payload: string }>(
      s.service.dataSource,
      `SELECT topic, payload FROM outbox_message
        WHERE message_key = $1 AND event_type = 'xueji.status-change.partner.status-changed.v1'`,
      [data.studentId],
    );
    expect(copy!.topic).toBe(`${s.topicPrefix}xueji.partner.status`);
    expect(JSON.parse(copy!.payload)).toEqual({
      studentId: data.studentId,
      kind: 'TRANSFER',
      effectiveDate: '2026-09-15',
      previousStatus: 'ACTIVE',
      newStatus: 'ACTIVE',
      schoolId: nanguan.schoolId,
      regionCode: '220102',
      schoolName: nanguan.name,
      toSchoolId: changyi.schoolId,
      toRegionCode: '220202',
      toSchoolName: changyi.name,
    });
  });

  it('a student of a vocational school in another province: fromOtherProvince, not fromGeneralHighSchool', async () => {
    const data = await transfer(zhangwan, nanguan, {});
    expect(data).toMatchObject({
      kind: 'TRANSFER',
      toSchoolId: nanguan.schoolId,
      fromGeneralHighSchool: false,
      fromOtherProvince: true,
    });
  });
});

describe('status-change: suspensions approved for later dates count to the cap (SC-13)', () => {
  const APPROVE_STEP = /* GraphQL */ `
    mutation ($id: ID!) {
      approveChangeRequest(id: $id) {
        state
        nextStep
      }
    }
  `;
  type Approved = { approveChangeRequest: { state: string; nextStep: string | null } };

  /** One profile's service, a student suspended for 12 months from today, and requests for later suspensions. */
  function suspensionsUnder(profile: string) {
    let s: Running;
    let day = '2026-09-15';
    beforeAll(async () => {
      s = await startStatusChange(profile, day);
    });
    afterAll(() => s?.stop());
    const submit = (studentId: string, effectiveDate: string, months: number) =>
      graphql<{ submitChangeRequest: { id: string } }>(
        s.service.url,
        SUBMIT_CHANGE,
        { input: { studentId, kind: 'SUSPENSION', effectiveDate, suspension: { ground: 'PERSONAL_LEAVE', months } } },
        registrar,
      );
    /** Approve every step, registrar then reviewer; the last answer. */
    const approve = async (id: string) => {
      let last: GraphQLResponse<Approved> | undefined;
      for (const token of [registrar, reviewer]) {
        last = await graphql<Approved>(s.service.url, APPROVE_STEP, { id }, token);
        if (last.errors || last.data!.approveChangeRequest.state !== 'PENDING') break;
      }
      return last!;
    };
    const submitted = async (studentId: string, effectiveDate: string, months: number) => {
      const r = await submit(studentId, effectiveDate, months);
      expect(r.errors).toBeUndefined();
      return r.data!.submitChangeRequest.id;
    };
    /** A student of 2025-09-01 suspended from today for 12 months (in effect). */
    const suspendedStudent = async () => {
      const studentId = randomUUID();
      await s.publish('enrolment', ...enrolled(studentId, '2025-09-01'));
      const first = await approve(await submitted(studentId, '2026-09-15', 12));
      expect(first.data!.approveChangeRequest.state).toBe('EFFECTIVE');
      return studentId;
    };
    const env = () => ({
      dataSource: s.service.dataSource,
      profile: loadPolicyProfile(profile),
      topics: s.service.topics,
      logger: s.service.logger,
      ...fixedOrRealClock(day, false),
    });
    return {
      get s() {
        return s;
      },
      setDay: (d: string) => {
        day = d;
        s.setToday(d);
      },
      env,
      submit,
      submitted,
      approve,
      suspendedStudent,
    };
  }

  describe('national (cap 24 months)', () => {
    const t = suspensionsUnder('national');

    it('12 in effect + 12 approved for next year: a further 6 for the year after is refused at its approval (SC-13)', async () => {
      const studentId = await t.suspendedStudent();
      const second = await t.submitted(studentId, '2027-09-15', 12);
      const third = await t.submitted(studentId, '2028-09-15', 6); // the second is only pending yet
      expect((await t.approve(second)).data!.approveChangeRequest.state).toBe('APPROVED');

      const refused = await t.approve(third);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-13' });
      expect(refused.errors?.[0]?.extensions?.messageEn).toContain('30 months with this one');
      const [row] = await selectRows<{ state: string }>(
        t.s.service.dataSource,
        `SELECT state FROM change_request WHERE id = $1`,
        [third],
      );
      expect(row).toEqual({ state: 'PENDING' });
      // a new request counts the approved one at submission too
      expect((await t.submit(studentId, '2028-09-15', 6)).errors?.[0]?.extensions).toMatchObject({
        code: 'POLICY_VIOLATION',
        rule: 'SC-13',
      });
    });
  });

  describe('national, on the date (a service of its own: the job applies every due request)', () => {
    const t = suspensionsUnder('national');

    it('on its date a scheduled suspension is judged again: one that no longer fits ends REJECTED (SC-13), nothing takes effect or is published', async () => {
      const studentId = await t.suspendedStudent();
      const second = await t.submitted(studentId, '2027-09-15', 12);
      const third = await t.submitted(studentId, '2028-09-15', 6);
      expect((await t.approve(second)).data!.approveChangeRequest.state).toBe('APPROVED');
      // The third approved as it was before approved suspensions were counted (or by a concurrent approval).
      await t.s.service.dataSource.query(
        `UPDATE change_request SET state = 'APPROVED', next_step = NULL, decided_at = now() WHERE id = $1`,
        [third],
      );

      t.setDay('2027-09-15');
      expect(await runScheduledChanges(t.env())).toMatchObject({ applied: 1 }); // the second: 24 months, fits
      t.setDay('2028-09-15');
      expect(await runScheduledChanges(t.env())).toMatchObject({ applied: 0 });

      const [request] = await selectRows<{ state: string; reason: string }>(
        t.s.service.dataSource,
        `SELECT state, reason FROM change_request WHERE id = $1`,
        [third],
      );
      expect(request!.state).toBe('REJECTED');
      expect(request!.reason).toMatch(/^SC-13: 休学累计时间不得超过 2 年.* \/ Suspensions may not exceed 2 years/);
      const history = await selectRows<{ step: string; action: string; actor: string; comment: string }>(
        t.s.service.dataSource,
        `SELECT step, action, actor, comment FROM approval_step WHERE request_id = $1 ORDER BY id`,
        [third],
      );
      expect(history.at(-1)).toEqual({
        step: 'EFFECTIVE',
        action: 'REJECT',
        actor: 'system',
        comment: request!.reason,
      });
      expect(history.map((h) => h.action)).not.toContain('TAKE_EFFECT');
      const [audit] = await selectRows<{ action: string; reason: string }>(
        t.s.service.dataSource,
        `SELECT action, reason FROM audit_entry WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`,
        [third],
      );
      expect(audit).toEqual({ action: 'TAKE_EFFECT', reason: request!.reason });
      const changes = await selectRows<{ n: number }>(
        t.s.service.dataSource,
        `SELECT count(*)::int AS n FROM status_change WHERE request_id = $1`,
        [third],
      );
      expect(changes).toEqual([{ n: 0 }]);
      const periods = await selectRows<{ n: number }>(
        t.s.service.dataSource,
        `SELECT count(*)::int AS n FROM suspension_period WHERE student_id = $1`,
        [studentId],
      );
      expect(periods).toEqual([{ n: 2 }]);
      const published = await selectRows<{ n: number }>(
        t.s.service.dataSource,
        `SELECT count(*)::int AS n FROM outbox_message WHERE message_key = $1 AND event_type = 'xueji.status-change.status.changed.v1'`,
        [studentId],
      );
      expect(published).toEqual([{ n: 2 }]); // the first and the second, not the third
      // Judged once: the job does not come back to it.
      expect(await runScheduledChanges(t.env())).toMatchObject({ applied: 0 });
      expect(
        await selectRows(t.s.service.dataSource, `SELECT id FROM change_request WHERE state = 'APPROVED'`),
      ).toEqual([]);
    });
  });

  describe('fujian (cap 48 months)', () => {
    const t = suspensionsUnder('fujian');

    it('12 + 12 + 6 fits the 4-year cap; approved ones still count, so a further 12 beyond 48 months is refused at approval', async () => {
      const studentId = await t.suspendedStudent();
      const ids = [
        await t.submitted(studentId, '2027-09-15', 12),
        await t.submitted(studentId, '2028-09-15', 6),
        await t.submitted(studentId, '2029-03-15', 12),
        await t.submitted(studentId, '2030-03-15', 12),
      ];
      for (const id of ids.slice(0, 3)) {
        expect((await t.approve(id)).data!.approveChangeRequest.state).toBe('APPROVED'); // 24, 30, 42 months
      }
      const refused = await t.approve(ids[3]!);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-13' });
      expect(refused.errors?.[0]?.extensions?.messageEn).toContain('4 years in total (54 months with this one');
    });
  });
});
