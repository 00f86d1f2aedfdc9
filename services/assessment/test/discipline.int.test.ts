/**
 * Part B through the running service (real PostgreSQL and Kafka, GraphQL over HTTP): attendance
 * (AS-8, SC-17), sanctions (AS-10 … AS-13), revocation (AS-12), appeals on working days (AS-14) and the
 * working-day calendar, each rule refusing and allowing per profile where its values differ.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { selectRows } from '@xueji/db';
import { deliverEvents, graphql, tokenFor } from '@xueji/testkit';
import {
  administrator,
  APPROVE,
  decide,
  DECIDE_AUTHORITY,
  DECIDE_SCHOOL,
  LODGE_AUTHORITY,
  LODGE_SCHOOL,
  NOTICE,
  ok,
  RECORD_ABSENCE,
  RECORD_CALENDAR,
  RECORD_TRUANCY,
  refusal,
  register,
  REJECT,
  REVOKE,
  type AppealView,
  type SanctionView,
} from './discipline-support';
import { deploy, newSchool, outboxEvents, registrarOf, reviewerOf, type Deployment } from './results-support';

const ADULT = '2007-06-01';
const MINOR = '2010-01-01';

describe('national (today 2026-12-01)', () => {
  let d: Deployment;
  const school = newSchool('220102');
  const other = newSchool('220202');
  const registrar = registrarOf(school.schoolId);
  const reviewer = reviewerOf('220100');
  const students = Array.from({ length: 12 }, () => randomUUID());
  const [truant, absent, warned, expelled, minor, demerit, appealer, late, beyond, annulled] = students as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const stranger = randomUUID();

  beforeAll(async () => {
    d = await deploy('national', '2026-12-01');
    await register(
      d,
      school,
      students.map((id) => ({ id, birthDate: id === minor ? MINOR : ADULT })),
    );
    await register(d, other, [{ id: stranger, birthDate: ADULT }]);
  });
  afterAll(() => d?.stop());

  describe('AS-8 / SC-17: truancy', () => {
    it('publishes the semester’s total; at 90 hours the limit is reached', async () => {
      const first = ok(
        await graphql<{ recordTruancy: { truantHours: number; limitReached: boolean; semester: string } }>(
          d.service.url,
          RECORD_TRUANCY,
          { input: { studentId: truant, on: '2026-10-20', hours: 60, reason: '考勤表' } },
          registrar,
        ),
      ).recordTruancy;
      expect(first).toMatchObject({ semester: '2026-2027-1', truantHours: 60, limitReached: false });
      const second = ok(
        await graphql<{ recordTruancy: { truantHours: number; limitReached: boolean } }>(
          d.service.url,
          RECORD_TRUANCY,
          { input: { studentId: truant, on: '2026-11-20', hours: 30 } },
          registrar,
        ),
      ).recordTruancy;
      expect(second).toMatchObject({ truantHours: 90, limitReached: true });
      const events = await outboxEvents<{ studentId: string; truantHours: number }>(
        d,
        'xueji.assessment.truancy.recorded.v1',
      );
      expect(events.filter((e) => e.studentId === truant).map((e) => e.truantHours)).toEqual([60, 90]);
    });

    it('refuses hours that are no whole positive number, and another school’s student', async () => {
      const zero = await graphql(d.service.url, RECORD_TRUANCY, { input: { studentId: truant, hours: 0 } }, registrar);
      expect(refusal(zero)).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: expect.objectContaining({ field: 'input.hours' }),
      });
      const foreign = await graphql(
        d.service.url,
        RECORD_TRUANCY,
        { input: { studentId: stranger, hours: 2 } },
        registrar,
      );
      expect(refusal(foreign)).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('AS-8 / SC-17: absence without leave', () => {
    it('two weeks in a row publish the threshold fact once per run', async () => {
      const ten = ok(
        await graphql<{ recordAbsence: { absentDays: number; limitReached: boolean } }>(
          d.service.url,
          RECORD_ABSENCE,
          { input: { studentId: absent, from: '2026-11-02', to: '2026-11-11' } },
          registrar,
        ),
      ).recordAbsence;
      expect(ten).toMatchObject({ absentDays: 10, limitReached: false });
      expect(await outboxEvents(d, 'xueji.assessment.absence.threshold-crossed.v1')).toEqual([]);

      const fourteen = ok(
        await graphql<{
          recordAbsence: { absentFrom: string; absentTo: string; absentDays: number; limitReached: boolean };
        }>(
          d.service.url,
          RECORD_ABSENCE,
          { input: { studentId: absent, from: '2026-11-12', to: '2026-11-15' } },
          registrar,
        ),
      ).recordAbsence;
      expect(fourteen).toEqual({
        studentId: absent,
        absentFrom: '2026-11-02',
        absentTo: '2026-11-15',
        absentDays: 14,
        limitReached: true,
      });
      await graphql(d.service.url, RECORD_ABSENCE, { input: { studentId: absent, from: '2026-11-16' } }, registrar);
      const events = await outboxEvents(d, 'xueji.assessment.absence.threshold-crossed.v1');
      expect(events).toEqual([
        expect.objectContaining({
          studentId: absent,
          schoolId: school.schoolId,
          absentFrom: '2026-11-02',
          absentTo: '2026-11-15',
          absentDays: 14,
          semester: '2026-2027-1',
        }),
      ]);
    });

    it('shows the semester’s attendance on the student', async () => {
      const response = await graphql<{ _entities: { attendance: { truantHours: number; absentDays: number } }[] }>(
        d.service.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Student {
                attendance {
                  semester
                  truantHours
                  absentDays
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id: absent }] },
        registrar,
      );
      expect(ok(response)._entities[0]!.attendance).toEqual({
        semester: '2026-2027-1',
        truantHours: 0,
        absentDays: 15,
      });
    });

    it('a malformed semester or a forged cursor is BAD_USER_INPUT, never an internal error', async () => {
      const semester = await graphql(
        d.service.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Student {
                attendance(semester: "2026-x") {
                  truantHours
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id: absent }] },
        registrar,
      );
      expect(semester.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      const forged = Buffer.from(JSON.stringify(['not-a-day', randomUUID()])).toString('base64url');
      const queue = await graphql(
        d.service.url,
        `
          query ($after: String) {
            expulsionQueue(first: 5, after: $after) {
              edges {
                cursor
              }
            }
          }
        `,
        { after: forged },
        reviewer,
      );
      expect(queue.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('refuses a period running backwards or longer than 31 days, and a future day', async () => {
      const backwards = await graphql(
        d.service.url,
        RECORD_ABSENCE,
        { input: { studentId: absent, from: '2026-11-10', to: '2026-11-01' } },
        registrar,
      );
      expect(refusal(backwards)).toMatchObject({ code: 'BAD_USER_INPUT' });
      const future = await graphql(
        d.service.url,
        RECORD_ABSENCE,
        { input: { studentId: absent, from: '2026-12-02' } },
        registrar,
      );
      expect(refusal(future)).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: expect.objectContaining({ field: 'input.from' }),
      });
    });
  });

  describe('AS-10 … AS-13: sanctions', () => {
    it('a warning is in effect at once and joins the archive', async () => {
      const s = ok(
        await decide(d, registrar, { studentId: warned, kind: 'WARNING', decidedOn: '2026-03-01' }),
      ).decideSanction;
      expect(s).toMatchObject({ state: 'EFFECTIVE', effectiveOn: '2026-03-01', authorityStep: null });
      const archive = await graphql<{ _entities: { sanctions: { edges: { node: { id: string } }[] } }[] }>(
        d.service.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Student {
                sanctions {
                  edges {
                    node {
                      id
                      kind
                    }
                  }
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id: warned }] },
        registrar,
      );
      expect(ok(archive)._entities[0]!.sanctions.edges.map((e) => e.node.id)).toEqual([s.id]);
      expect(await outboxEvents(d, 'xueji.assessment.sanction.decided.v1')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sanctionId: s.id, kind: 'WARNING', awaitsAuthority: false }),
        ]),
      );
    });

    it('AS-11: an expulsion needs the principal’s office meeting', async () => {
      const response = await decide(d, registrar, { studentId: expelled, kind: 'EXPULSION', decidedOn: '2026-11-20' });
      expect(refusal(response)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-11' });
    });

    it('AS-11: a minor on the decision date is not expelled (minors protected)', async () => {
      const response = await decide(d, registrar, {
        studentId: minor,
        kind: 'EXPULSION',
        decidingBody: 'PRINCIPAL_OFFICE_MEETING',
        decidedOn: '2026-11-20',
      });
      expect(refusal(response)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-11' });
    });

    it('AS-11 / SC-21: a corrected date of birth counts (the student is of age after all)', async () => {
      const corrected = randomUUID();
      await register(d, school, [{ id: corrected, birthDate: MINOR }]);
      const input = {
        studentId: corrected,
        kind: 'EXPULSION',
        decidingBody: 'PRINCIPAL_OFFICE_MEETING',
        decidedOn: '2026-11-20',
      };
      expect(refusal(await decide(d, registrar, input))).toMatchObject({ rule: 'AS-11' });
      await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, [
        createEvent('xueji.enrolment.personal-data.corrected.v1', corrected, {
          studentId: corrected,
          requestId: null,
          effectiveDate: '2026-11-25',
          corrections: [{ field: 'birthDate', newValue: ADULT }],
          correctedAt: '2026-11-25T02:00:00.000Z',
        }),
      ]);
      expect(ok(await decide(d, registrar, input)).decideSanction.state).toBe('PENDING_AUTHORITY');
    });

    it('AS-11: an expulsion waits in the reviewer’s queue, is filed (not rejected), then takes effect', async () => {
      const s = ok(
        await decide(d, registrar, {
          studentId: expelled,
          kind: 'EXPULSION',
          decidingBody: 'PRINCIPAL_OFFICE_MEETING',
          decidedOn: '2026-11-20',
        }),
      ).decideSanction;
      expect(s).toMatchObject({ state: 'PENDING_AUTHORITY', authorityStep: 'FILING', effectiveOn: null });
      const queue = await graphql<{ expulsionQueue: { edges: { node: { id: string } }[] } }>(
        d.service.url,
        `
          {
            expulsionQueue(first: 10) {
              edges {
                cursor
                node {
                  id
                  state
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        `,
        {},
        reviewer,
      );
      expect(ok(queue).expulsionQueue.edges.map((e) => e.node.id)).toContain(s.id);
      const elsewhere = await graphql<{ expulsionQueue: { edges: unknown[] } }>(
        d.service.url,
        `
          {
            expulsionQueue(first: 10) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
        {},
        reviewerOf('110000'),
      );
      expect(ok(elsewhere).expulsionQueue.edges).toEqual([]);

      expect(refusal(await graphql(d.service.url, REJECT, { id: s.id }, reviewer))).toMatchObject({
        code: 'POLICY_VIOLATION',
        rule: 'AS-11',
      });
      expect(refusal(await graphql(d.service.url, APPROVE, { id: s.id }, registrar))).toMatchObject({
        code: 'FORBIDDEN',
      });
      const filed = ok(
        await graphql<{ approveExpulsion: SanctionView }>(d.service.url, APPROVE, { id: s.id }, reviewer),
      ).approveExpulsion;
      expect(filed).toMatchObject({ state: 'EFFECTIVE', effectiveOn: '2026-12-01', authorityDecidedOn: '2026-12-01' });
      // AS-11 (issue 10's rule): the same reviewer approving again (a retry) is answered as success and
      // writes nothing twice — one audit row, one expulsion.effective; another reviewer still gets CONFLICT.
      const repeated = ok(
        await graphql<{ approveExpulsion: SanctionView }>(d.service.url, APPROVE, { id: s.id }, reviewer),
      ).approveExpulsion;
      expect(repeated).toEqual(filed);
      const approvals = await selectRows<{ n: number }>(
        d.service.dataSource,
        `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'APPROVE_EXPULSION' AND entity_id = $1`,
        [s.id],
      );
      expect(approvals).toEqual([{ n: 1 }]);
      expect(await outboxEvents(d, 'xueji.assessment.expulsion.effective.v1')).toHaveLength(1);
      const colleague = tokenFor({ subject: 'reviewer-colleague', role: 'AUTHORITY_REVIEWER', regionCode: '220100' });
      expect(refusal(await graphql(d.service.url, APPROVE, { id: s.id }, colleague))).toMatchObject({
        code: 'CONFLICT',
      });
      expect(await outboxEvents(d, 'xueji.assessment.expulsion.effective.v1')).toEqual([
        expect.objectContaining({
          sanctionId: s.id,
          studentId: expelled,
          effectiveDate: '2026-12-01',
          authorityStep: 'FILING',
        }),
      ]);
      // AS-10: nothing further for an expelled student.
      const again = await decide(d, registrar, { studentId: expelled, kind: 'WARNING', decidedOn: '2026-12-01' });
      expect(refusal(again)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-10' });
    });

    it('AS-13: the notice is recorded with its delivery date, not before the decision', async () => {
      const s = ok(
        await decide(d, registrar, { studentId: demerit, kind: 'DEMERIT', decidedOn: '2026-06-01' }),
      ).decideSanction;
      const early = await graphql(
        d.service.url,
        NOTICE,
        { input: { id: s.id, deliveredOn: '2026-05-30', noticeRef: 'N-1' } },
        registrar,
      );
      expect(refusal(early)).toMatchObject({ code: 'BAD_USER_INPUT' });
      const notice = ok(
        await graphql<{ recordSanctionNotice: SanctionView }>(
          d.service.url,
          NOTICE,
          { input: { id: s.id, deliveredOn: '2026-06-03', noticeRef: 'N-1' } },
          registrar,
        ),
      ).recordSanctionNotice;
      expect(notice.notifiedOn).toBe('2026-06-03');
    });

    it('AS-12: revoked after the period (not before it, never an expulsion); it leaves the archive', async () => {
      const [warning] = ok(
        await graphql<{ _entities: { sanctions: { edges: { node: { id: string } }[] } }[] }>(
          d.service.url,
          `
            query ($r: [_Any!]!) {
              _entities(representations: $r) {
                ... on Student {
                  sanctions {
                    edges {
                      node {
                        id
                      }
                    }
                  }
                }
              }
            }
          `,
          { r: [{ __typename: 'Student', id: warned }] },
          registrar,
        ),
      )._entities[0]!.sanctions.edges.map((e) => e.node.id);
      const demerits = await graphql<{ _entities: { sanctions: { edges: { node: { id: string } }[] } }[] }>(
        d.service.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Student {
                sanctions {
                  edges {
                    node {
                      id
                    }
                  }
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id: demerit }] },
        registrar,
      );
      const demeritId = ok(demerits)._entities[0]!.sanctions.edges[0]!.node.id;
      // A demerit decided 2026-06-01 is revocable from 2027-06-01 (12 months).
      expect(
        refusal(await graphql(d.service.url, REVOKE, { input: { id: demeritId, reason: '表现良好' } }, registrar)),
      ).toMatchObject({
        code: 'POLICY_VIOLATION',
        rule: 'AS-12',
      });
      const [expulsion] = (
        await outboxEvents<{ sanctionId: string }>(d, 'xueji.assessment.expulsion.effective.v1')
      ).map((e) => e.sanctionId);
      expect(
        refusal(await graphql(d.service.url, REVOKE, { input: { id: expulsion, reason: '表现良好' } }, registrar)),
      ).toMatchObject({
        code: 'POLICY_VIOLATION',
        rule: 'AS-12',
      });
      // A warning of 2026-03-01 is revocable from 2026-09-01 (6 months).
      const revoked = ok(
        await graphql<{ revokeSanction: SanctionView }>(
          d.service.url,
          REVOKE,
          { input: { id: warning, reason: '确有改正进步' } },
          registrar,
        ),
      ).revokeSanction;
      expect(revoked).toMatchObject({ state: 'REVOKED', revokedOn: '2026-12-01' });
      const archive = await graphql<{ _entities: { sanctions: { edges: unknown[] } }[] }>(
        d.service.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Student {
                sanctions {
                  edges {
                    node {
                      id
                    }
                  }
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id: warned }] },
        registrar,
      );
      expect(ok(archive)._entities[0]!.sanctions.edges).toEqual([]);
      // Kept for audit: the sanction itself is still there.
      const kept = await graphql<{ sanction: { state: string } }>(
        d.service.url,
        `
          query ($id: ID!) {
            sanction(id: $id) {
              state
            }
          }
        `,
        { id: warning },
        registrar,
      );
      expect(ok(kept).sanction.state).toBe('REVOKED');
      expect(await outboxEvents(d, 'xueji.assessment.sanction.revoked.v1')).toEqual([
        expect.objectContaining({ sanctionId: warning, kind: 'WARNING', revokedOn: '2026-12-01' }),
      ]);
    });
  });

  describe('AS-14: appeals on working days', () => {
    /** A sanction with its school review decided and delivered on `deliveredOn`. */
    async function reviewed(studentId: string, kind: string, deliveredOn: string): Promise<string> {
      const body = kind === 'EXPULSION' ? 'PRINCIPAL_OFFICE_MEETING' : 'SCHOOL_OFFICE';
      const s = ok(
        await decide(d, registrar, { studentId, kind, decidingBody: body, decidedOn: '2026-08-20' }),
      ).decideSanction;
      const appeal = ok(
        await graphql<{ lodgeSchoolAppeal: AppealView }>(
          d.service.url,
          LODGE_SCHOOL,
          { input: { sanctionId: s.id, receivedOn: '2026-08-25', statementRef: 'A-1' } },
          registrar,
        ),
      ).lodgeSchoolAppeal;
      ok(
        await graphql(
          d.service.url,
          DECIDE_SCHOOL,
          {
            input: {
              id: appeal.id,
              outcome: 'UPHOLD',
              decidedOn: deliveredOn,
              deliveredOn,
              decisionRef: 'R-1',
              reason: '事实清楚',
            },
          },
          registrar,
        ),
      );
      return s.id;
    }

    it('an appeal to the authority on the 15th working day (across National Day) is received; answer due in 30', async () => {
      const sanctionId = await reviewed(appealer, 'DEMERIT', '2026-09-15');
      const appeal = ok(
        await graphql<{ lodgeAuthorityAppeal: AppealView }>(
          d.service.url,
          LODGE_AUTHORITY,
          { input: { sanctionId, receivedOn: '2026-10-12', statementRef: 'W-1' } },
          reviewer,
        ),
      ).lodgeAuthorityAppeal;
      expect(appeal).toMatchObject({
        stage: 'AUTHORITY',
        state: 'PENDING',
        appealDeadline: '2026-10-12',
        answerDue: '2026-11-23',
        workingDaysLeft: 0,
        dueSoon: true,
      });
      const queue = await graphql<{ appealQueue: { edges: { node: AppealView }[] } }>(
        d.service.url,
        `
          {
            appealQueue(first: 10) {
              edges {
                node {
                  id
                  answerDue
                  dueSoon
                }
              }
            }
          }
        `,
        {},
        reviewer,
      );
      expect(ok(queue).appealQueue.edges.map((e) => e.node)).toEqual([
        { id: appeal.id, answerDue: '2026-11-23', dueSoon: true },
      ]);
      const changed = ok(
        await graphql<{ decideAuthorityAppeal: AppealView }>(
          d.service.url,
          DECIDE_AUTHORITY,
          {
            input: {
              id: appeal.id,
              outcome: 'CHANGE',
              newKind: 'WARNING',
              decidedOn: '2026-11-20',
              decisionRef: 'D-1',
              reason: '处分过重',
            },
          },
          reviewer,
        ),
      ).decideAuthorityAppeal;
      expect(changed).toMatchObject({
        state: 'DECIDED',
        outcome: 'CHANGE',
        sanction: { kind: 'WARNING', state: 'EFFECTIVE' },
      });
    });

    it('a day late is refused naming AS-14', async () => {
      const sanctionId = await reviewed(late, 'DEMERIT', '2026-09-15');
      const response = await graphql(
        d.service.url,
        LODGE_AUTHORITY,
        { input: { sanctionId, receivedOn: '2026-10-13', statementRef: 'W-2' } },
        reviewer,
      );
      expect(refusal(response)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-14' });
    });

    it('an answer due past the calendar’s last year is refused until an administrator adds the year', async () => {
      const sanctionId = await reviewed(beyond, 'SERIOUS_WARNING', '2026-11-25');
      const input = { sanctionId, receivedOn: '2026-11-30', statementRef: 'W-3' };
      const refused = await graphql(d.service.url, LODGE_AUTHORITY, { input }, reviewer);
      expect(refusal(refused)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-14' });
      expect(refused.errors![0]!.message).toMatch(/2027/);

      const year2027 = {
        year: 2027,
        // The State Council's 2027 arrangement as an administrator types it (New Year and Spring Festival).
        holidays: [
          '2027-01-01',
          '2027-02-06',
          '2027-02-07',
          '2027-02-08',
          '2027-02-09',
          '2027-02-10',
          '2027-02-11',
          '2027-02-12',
        ],
        workdays: ['2027-02-14', '2027-02-20'],
        source: '国办发明电〔2026〕X号',
      };
      expect(refusal(await graphql(d.service.url, RECORD_CALENDAR, { input: year2027 }, registrar))).toMatchObject({
        code: 'FORBIDDEN',
      });
      const weekday = await graphql(
        d.service.url,
        RECORD_CALENDAR,
        { input: { ...year2027, workdays: ['2027-02-15'] } },
        administrator,
      );
      expect(refusal(weekday)).toMatchObject({ code: 'BAD_USER_INPUT' });
      ok(await graphql(d.service.url, RECORD_CALENDAR, { input: year2027 }, administrator));
      const accepted = ok(
        await graphql<{ lodgeAuthorityAppeal: AppealView }>(d.service.url, LODGE_AUTHORITY, { input }, reviewer),
      ).lodgeAuthorityAppeal;
      // 23 working days in December 2026, then 2027-01-04 … 01-12 (01-01 a holiday of the year added).
      expect(accepted.answerDue).toBe('2027-01-12');
      // A year already begun is not changed.
      const past = await graphql(
        d.service.url,
        RECORD_CALENDAR,
        { input: { ...year2027, year: 2026, holidays: [], workdays: [] } },
        administrator,
      );
      expect(refusal(past)).toMatchObject({ code: 'CONFLICT' });
    });

    it('an expulsion annulled on appeal is published with expulsionLifted', async () => {
      const s = ok(
        await decide(d, registrar, {
          studentId: annulled,
          kind: 'EXPULSION',
          decidingBody: 'PRINCIPAL_OFFICE_MEETING',
          decidedOn: '2026-11-02',
        }),
      ).decideSanction;
      ok(await graphql(d.service.url, APPROVE, { id: s.id }, reviewer));
      const appeal = ok(
        await graphql<{ lodgeSchoolAppeal: AppealView }>(
          d.service.url,
          LODGE_SCHOOL,
          { input: { sanctionId: s.id, receivedOn: '2026-12-01', statementRef: 'A-9' } },
          registrar,
        ),
      ).lodgeSchoolAppeal;
      const heavier = await graphql(
        d.service.url,
        DECIDE_SCHOOL,
        {
          input: {
            id: appeal.id,
            outcome: 'CHANGE',
            newKind: 'EXPULSION',
            decidedOn: '2026-12-01',
            decisionRef: 'R',
            reason: 'x',
          },
        },
        registrar,
      );
      expect(refusal(heavier)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-14' });
      const decided = ok(
        await graphql<{ decideSchoolAppeal: AppealView }>(
          d.service.url,
          DECIDE_SCHOOL,
          {
            input: { id: appeal.id, outcome: 'ANNUL', decidedOn: '2026-12-01', decisionRef: 'R-9', reason: '程序不当' },
          },
          registrar,
        ),
      ).decideSchoolAppeal;
      expect(decided.sanction).toEqual({ id: s.id, kind: 'EXPULSION', state: 'ANNULLED' });
      expect(await outboxEvents(d, 'xueji.assessment.appeal.decided.v1')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            sanctionId: s.id,
            outcome: 'ANNUL',
            previousKind: 'EXPULSION',
            newKind: null,
            expulsionLifted: true,
          }),
        ]),
      );
      expect(await outboxEvents(d, 'xueji.assessment.sanction.annulled.v1')).toEqual([
        expect.objectContaining({ sanctionId: s.id, appealId: appeal.id }),
      ]);
    });
  });
});

describe('beijing', () => {
  let d: Deployment;
  const school = newSchool('110105');
  const registrar = registrarOf(school.schoolId);
  const reviewer = reviewerOf('110000');
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    d = await deploy('beijing', '2026-12-01');
    await register(d, school, [
      { id: a, birthDate: ADULT },
      { id: b, birthDate: ADULT },
      { id: c, birthDate: MINOR },
    ]);
  });
  afterAll(() => d?.stop());

  it('AS-13: every sanction is decided by the school affairs meeting, and posted publicly', async () => {
    expect(
      refusal(await decide(d, registrar, { studentId: a, kind: 'WARNING', decidedOn: '2026-11-02' })),
    ).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'AS-13',
    });
    const s = ok(
      await decide(d, registrar, {
        studentId: a,
        kind: 'WARNING',
        decidingBody: 'SCHOOL_AFFAIRS_MEETING',
        decidedOn: '2026-11-02',
      }),
    ).decideSanction;
    const unposted = await graphql(
      d.service.url,
      NOTICE,
      { input: { id: s.id, deliveredOn: '2026-11-03', noticeRef: 'N' } },
      registrar,
    );
    expect(refusal(unposted)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-13' });
    const posted = ok(
      await graphql<{ recordSanctionNotice: SanctionView }>(
        d.service.url,
        NOTICE,
        { input: { id: s.id, deliveredOn: '2026-11-03', noticeRef: 'N', postingRef: '公示-2026-11' } },
        registrar,
      ),
    ).recordSanctionNotice;
    expect(posted.postingRef).toBe('公示-2026-11');
  });

  it('AS-11: the authority approves (or rejects) an expulsion; minors protected', async () => {
    const input = { kind: 'EXPULSION', decidingBody: 'SCHOOL_AFFAIRS_MEETING', decidedOn: '2026-11-02' };
    expect(refusal(await decide(d, registrar, { ...input, studentId: c }))).toMatchObject({ rule: 'AS-11' });
    const s = ok(await decide(d, registrar, { ...input, studentId: b })).decideSanction;
    expect(s.authorityStep).toBe('APPROVAL');
    const rejected = ok(
      await graphql<{ rejectExpulsion: SanctionView }>(d.service.url, REJECT, { id: s.id }, reviewer),
    ).rejectExpulsion;
    expect(rejected).toMatchObject({ state: 'REJECTED', effectiveOn: null });
    expect(await outboxEvents(d, 'xueji.assessment.expulsion.effective.v1')).toEqual([]);
  });
});

describe('jilin', () => {
  let d: Deployment;
  const school = newSchool('220102');
  const registrar = registrarOf(school.schoolId);
  const student = randomUUID();

  beforeAll(async () => {
    d = await deploy('jilin', '2026-12-01');
    await register(d, school, [{ id: student, birthDate: MINOR }]);
  });
  afterAll(() => d?.stop());

  it('AS-11: no exception for minors in 001 §36–37: the office meeting decides, the authority files', async () => {
    const s = ok(
      await decide(d, registrar, {
        studentId: student,
        kind: 'EXPULSION',
        decidingBody: 'PRINCIPAL_OFFICE_MEETING',
        decidedOn: '2026-11-02',
      }),
    ).decideSanction;
    expect(s).toMatchObject({ state: 'PENDING_AUTHORITY', authorityStep: 'FILING' });
  });
});

describe('fujian', () => {
  let d: Deployment;
  const school = newSchool('350102');
  const registrar = registrarOf(school.schoolId);
  const reviewer = reviewerOf('350100');
  const [a, b] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    d = await deploy('fujian', '2026-12-01');
    await register(d, school, [
      { id: a, birthDate: ADULT },
      { id: b, birthDate: ADULT },
    ]);
  });
  afterAll(() => d?.stop());

  it('AS-12: a sanction is revoked only on the student’s application', async () => {
    const s = ok(await decide(d, registrar, { studentId: a, kind: 'WARNING', decidedOn: '2026-01-10' })).decideSanction;
    expect(
      refusal(await graphql(d.service.url, REVOKE, { input: { id: s.id, reason: '进步' } }, registrar)),
    ).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'AS-12',
    });
    const revoked = ok(
      await graphql<{ revokeSanction: SanctionView }>(
        d.service.url,
        REVOKE,
        { input: { id: s.id, reason: '进步', applicationRef: '申请书-1' } },
        registrar,
      ),
    ).revokeSanction;
    expect(revoked.state).toBe('REVOKED');
  });

  it('AS-14: the school reviews; there is no appeal to the authority', async () => {
    const s = ok(await decide(d, registrar, { studentId: b, kind: 'DEMERIT', decidedOn: '2026-09-01' })).decideSanction;
    const appeal = ok(
      await graphql<{ lodgeSchoolAppeal: AppealView }>(
        d.service.url,
        LODGE_SCHOOL,
        { input: { sanctionId: s.id, receivedOn: '2026-09-03', statementRef: 'A' } },
        registrar,
      ),
    ).lodgeSchoolAppeal;
    ok(
      await graphql(
        d.service.url,
        DECIDE_SCHOOL,
        {
          input: {
            id: appeal.id,
            outcome: 'UPHOLD',
            decidedOn: '2026-09-10',
            deliveredOn: '2026-09-11',
            decisionRef: 'R',
            reason: '维持',
          },
        },
        registrar,
      ),
    );
    const response = await graphql(
      d.service.url,
      LODGE_AUTHORITY,
      { input: { sanctionId: s.id, receivedOn: '2026-09-15', statementRef: 'W' } },
      reviewer,
    );
    expect(refusal(response)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-14' });
  });
});
