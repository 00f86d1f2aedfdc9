import { selectOne } from '@xueji/db';
import { graphql, kafkaBrokers, readTopic, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools, TEST_TODAY } from '../support/enrolment';
import { formalStudent as formalStudentAt, SUBMIT_CHANGE, type Change } from '../support/students';
import { startStack, type Stack } from '../support/stack';

type Breach = { rule: string; field: string | null; messageZh: string; messageEn: string };

/** 现代农艺技术: category 61 (农林牧渔大类), flagged agriculture-related in the catalogue. */
const FARMING = '610103';
/** 计算机应用 (category 71) and 会计事务 (category 73): neither agriculture-related nor waiver-excluded. */
const COMPUTING = '710201';
const ACCOUNTING = '730301';

describe('SB-5 / SC-10: the tuition waiver locks an agriculture-related major against a change of major (jilin, real PostgreSQL and Kafka)', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-wv', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-nanguan', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });

  /** A formal student of A, approved by its county's reviewer. */
  const formalStudent = (n: number, overrides: Record<string, unknown>) =>
    formalStudentAt(stack, { schoolId: A, regionCode: '220102', registrar: registrar(), reviewer }, n, overrides);

  /** What status-change holds for SC-10: the major's flag from enrolment, the waiver from subsidy. */
  const recordOf = (id: string) =>
    selectOne<{ majorCode: string; agricultureRelated: boolean; hadTuitionWaiver: boolean }>(
      stack.services['status-change'].dataSource,
      `SELECT major_code AS "majorCode", agriculture_related AS "agricultureRelated",
              had_tuition_waiver AS "hadTuitionWaiver"
         FROM student_record WHERE student_id = $1`,
      [id],
    );

  /** Wait until status-change has consumed subsidy's xueji.subsidy.waiver.granted.v1 for the student. */
  const waiverRecorded = (id: string) =>
    waitFor(async () => (await recordOf(id))?.hadTuitionWaiver === true, {
      what: 'status-change to record the tuition waiver subsidy granted',
      timeoutMs: 30_000,
    });

  const changeMajor = (studentId: string, toMajorCode: string, extra: Record<string, unknown> = {}) =>
    graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId,
          kind: 'MAJOR_CHANGE',
          effectiveDate: TEST_TODAY,
          evidenceRefs: ['application/student-and-guardian'],
          majorChange: { toMajorCode, ground: 'APTITUDE_OR_INTEREST', ...extra },
        },
      },
      registrar(),
    );

  const requestsOf = async (id: string) =>
    (await selectOne<{ n: number }>(
      stack.services['status-change'].dataSource,
      `SELECT count(*)::int AS n FROM change_request WHERE student_id = $1`,
      [id],
    ))!.n;

  beforeAll(async () => {
    // Autumn 2026 intake under the jilin profile (SC-10 applies, unless the provincial authority approves).
    stack = await startStack({ profile: 'jilin', today: TEST_TODAY });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('WV-A01', '220102', { name: '南关区农业职业学校', approvedMajorCodes: [FARMING, COMPUTING, ACCOUNTING] }),
    ])) as [string];
    await waitFor(
      async () =>
        (
          await selectOne<{ n: number }>(
            stack.services['status-change'].dataSource,
            'SELECT count(*)::int AS n FROM school_directory',
          )
        )?.n === 1,
      { what: 'status-change to learn the school' },
    );
  });

  afterAll(() => stack?.stop());

  let farmer: string;

  it('SB-5: subsidy grants the waiver to a full-time year-1 agriculture student and status-change learns of it from Kafka', async () => {
    farmer = await formalStudent(1, { majorCode: FARMING, className: '2026级现代农艺1班' });
    await waiverRecorded(farmer);
    expect(await recordOf(farmer)).toEqual({ majorCode: FARMING, agricultureRelated: true, hadTuitionWaiver: true });

    // The waiver event as a plain Kafka consumer reads it off subsidy's topic (SB-6: the entry period, year 1).
    const topic = `${stack.topicPrefix}xueji.subsidy.events`;
    const isGrant = (m: { key: string | null; headers: Record<string, string> }) =>
      m.key === farmer && m.headers.ce_type === 'xueji.subsidy.waiver.granted.v1';
    const events = await readTopic(kafkaBrokers(), topic, (ms) => ms.some(isGrant));
    expect(events.filter(isGrant).map((m) => JSON.parse(m.value!) as unknown)).toContainEqual(
      expect.objectContaining({ studentId: farmer, period: '2026-autumn' }),
    );
  });

  it('SC-10: the school registrar’s change of major for that student is refused with POLICY_VIOLATION naming SC-10, and nothing is filed', async () => {
    const refused = await changeMajor(farmer, COMPUTING);
    expect(refused.data?.submitChangeRequest ?? null).toBeNull();
    expect(refused.errors).toHaveLength(1);
    const extensions = refused.errors![0]!.extensions!;
    expect(extensions).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'SC-10',
      messageZh: '已享受免学费政策的涉农专业学生不得转专业，特殊情况须经省级教育行政部门批准',
      messageEn:
        'Students of an agriculture-related major who had the tuition waiver may not change major without the provincial authority’s approval',
    });
    // SC-10 is the only rule broken: grounds (SC-8), deadline (SC-9) and status are all in order.
    expect((extensions.details as { breaches: Breach[] }).breaches.map((b) => [b.rule, b.field])).toEqual([
      ['SC-10', 'majorChange'],
    ]);
    expect(await requestsOf(farmer)).toBe(0);
  });

  it('SC-10 (jilin): the same change, marked as approved by the provincial authority (provincialApproval), is accepted for submission', async () => {
    const submitted = await changeMajor(farmer, COMPUTING, { provincialApproval: true });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitChangeRequest).toMatchObject({ state: 'PENDING', nextStep: 'SENDING_SCHOOL' });
    expect(await requestsOf(farmer)).toBe(1);
  });

  it('SC-10 does not reach a major that is not agriculture-related: a computing student who had the waiver may change major', async () => {
    const coder = await formalStudent(2, { majorCode: COMPUTING });
    await waiverRecorded(coder);
    expect(await recordOf(coder)).toEqual({ majorCode: COMPUTING, agricultureRelated: false, hadTuitionWaiver: true });
    const submitted = await changeMajor(coder, ACCOUNTING);
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitChangeRequest).toMatchObject({ state: 'PENDING', nextStep: 'SENDING_SCHOOL' });
  });

  it('SC-10 needs the waiver: a part-time agriculture student, refused the waiver (SB-6), may change major', async () => {
    const partTimer = await formalStudent(3, {
      majorCode: FARMING,
      className: '2026级现代农艺2班',
      studyForm: 'PART_TIME',
    });
    // Subsidy has decided the periods of the approved registration: no waiver, for the study form (SB-6).
    const timeline = await waitFor(
      async () => {
        const r = await graphql<{
          student: {
            subsidyTimeline: {
              period: string;
              tuitionWaiver: { eligible: boolean; reasons: { rule: string; met: boolean; messageEn: string }[] };
            }[];
          } | null;
        }>(
          stack.gatewayUrl,
          `
            query ($id: ID!) {
              student(id: $id) {
                subsidyTimeline {
                  period
                  tuitionWaiver {
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
          { id: partTimer },
          reviewer,
        );
        const periods = r.data?.student?.subsidyTimeline;
        return periods && periods.length > 0 ? periods : null;
      },
      { what: 'subsidy to decide the periods of the approved part-time student' },
    );
    expect(timeline[0]!.period).toBe('2026-autumn');
    for (const p of timeline) {
      expect(p.tuitionWaiver.eligible).toBe(false);
      expect(p.tuitionWaiver.reasons).toContainEqual({
        rule: 'SB-6',
        met: false,
        messageEn: expect.stringMatching(/study form is PART_TIME/),
      });
    }
    const grants = await stack.services.subsidy.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_message
        WHERE message_key = $1 AND event_type = 'xueji.subsidy.waiver.granted.v1'`,
      [partTimer],
    );
    expect(grants).toEqual([{ n: 0 }]);
    expect(await recordOf(partTimer)).toEqual({
      majorCode: FARMING,
      agricultureRelated: true,
      hadTuitionWaiver: false,
    });

    const submitted = await changeMajor(partTimer, COMPUTING);
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitChangeRequest).toMatchObject({ state: 'PENDING', nextStep: 'SENDING_SCHOOL' });
  });
});
