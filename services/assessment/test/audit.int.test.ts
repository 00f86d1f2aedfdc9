/**
 * Every write is one audited unit of work: each mutation of the schema, called over HTTP once with
 * success and once refused, leaves exactly one new audit row (who, role, what, which record) or
 * none; so does a consumed event. The table of cases must cover every Mutation field of the schema
 * (part A: plans, results, conduct; part B adds its own rows).
 */
import { randomUUID } from 'node:crypto';
import {
  approvedRegistration,
  type AuditRow,
  auditRows,
  deliverEvents,
  graphql,
  minimalMutation,
  mutationNamesOf,
  ok,
  refusedOutOfScope,
  refusedWith,
  tokenFor,
  type GraphQLResponse,
} from '@xueji/testkit';
import { writeSheet } from '@xueji/spreadsheet';
import { SCHEMA_PATH } from '../src/service';
import {
  course,
  CREATE_PLAN,
  createPlan,
  deploy,
  enrol,
  newSchool,
  newStudents,
  RECORD_CONDUCT,
  RECOGNIZE,
  RECORD_RESULTS,
  registrarOf,
  SET_CONVERSION,
  EXEMPT_PE,
  type Deployment,
} from './results-support';
import {
  administrator,
  APPROVE,
  decide,
  DECIDE_AUTHORITY,
  DECIDE_SCHOOL,
  LODGE_AUTHORITY,
  LODGE_SCHOOL,
  NOTICE,
  RECORD_ABSENCE,
  RECORD_CALENDAR,
  RECORD_TRUANCY,
  register,
  REJECT,
  REVOKE,
  reviewerOf,
  RECORD_REWARD,
  PLACE_INTERNSHIP,
  ASSESS_INTERNSHIP,
  RECORD_GRADUATION_INPUT,
} from './discipline-support';

const PROFILE = 'beijing';
const IMPORT_RESULTS = `mutation ($input: ResultsImportInput!) { importResults(input: $input) { recorded rejected } }`;

/** What one call is expected to audit: its action, actor, role and record. */
interface Expected {
  action: string;
  actor: string;
  role: string;
  entity: string;
  entityId: string;
  reason?: string | null;
}

interface Case {
  /** The service the case writes to, when not this file's (a rule of another profile, AS-17). */
  on?(): Deployment;
  /** A successful call, and the audit row it must write. */
  success(): Promise<Expected>;
  /** A refused call: it writes no audit row. */
  refusal(): Promise<void>;
  /**
   * Issue 10: the call with a token of the same `sub` but another school or region (on `on()`'s
   * service when set): refused, nothing written. `'none'`: the mutation has no school or region
   * scope (the administrator's reference data).
   */
  outOfScope: (() => Promise<GraphQLResponse>) | 'none';
}

const mutationNames = mutationNamesOf(SCHEMA_PATH);

describe('the audit of every write (real PostgreSQL and Kafka)', () => {
  let d: Deployment;
  const school = newSchool('110105');
  const students = newStudents(2);
  /** Students a successful PE exemption uses, one each (an exemption is recorded once). */
  const peStudents = newStudents(3);
  const registrar = registrarOf(school.schoolId);
  const registrarSubject = `registrar-${school.schoolId.slice(0, 8)}`;
  let courseId: string;
  let peCourseId: string;
  let planId: string;
  let plans = 0;

  const newRows = async (before: number): Promise<AuditRow[]> => (await auditRows(d.service.dataSource)).slice(before);

  beforeAll(async () => {
    d = await deploy(PROFILE);
    await register(d, school, [{ id: students[1]! }]); // the name the results sheet checks (学号 + 姓名)
    await enrol(d, school, students);
    const plan = await createPlan(d, school.schoolId, [{ code: 'A1' }, { code: 'PE1', physicalEducation: true }]);
    const courseIds = plan.courseIds;
    planId = plan.planId;
    await enrol(d, school, peStudents);
    ok(
      await graphql(
        d.service.url,
        SET_CONVERSION,
        { input: { schoolId: school.schoolId, kind: 'SKILL_CERTIFICATE', certificateCode: 'CERT-1', credits: 2 } },
        registrar,
      ),
    );
    courseId = courseIds.A1!;
    peCourseId = courseIds.PE1!;
  });

  afterAll(async () => {
    await d?.stop();
  });

  const planInput = (patch: Record<string, unknown> = {}) => ({
    input: {
      schoolId: school.schoolId,
      majorCode: '710201',
      cohortYear: 2000 + plans++,
      name: '教学计划',
      makeUpsPerCourse: 1,
      courses: [course({ code: 'X1' })],
      ...patch,
    },
  });

  // ── part B's fixtures: a registered adult (AS-11), sanctions and appeals at each stage ──
  const reviewer = reviewerOf('110000');
  const reviewerSubject = 'reviewer-110000';
  const b: Record<string, string> = { student: randomUUID() };
  // One expulsion may stand per student (AS-10): each expulsion is of a student of its own.
  const expellable = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  /** Issue 10: the registrar's and the reviewer's own `sub`, in tokens of another school and region. */
  const registrarElsewhere = tokenFor({ subject: registrarSubject, role: 'SCHOOL_REGISTRAR', schoolId: randomUUID() });
  const reviewerElsewhere = tokenFor({ subject: reviewerSubject, role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
  const byRegistrar = (action: string, entity: string, entityId: string): Expected => ({
    action,
    actor: registrarSubject,
    role: 'SCHOOL_REGISTRAR',
    entity,
    entityId,
  });
  const byReviewer = (action: string, entity: string, entityId: string): Expected => ({
    action,
    actor: reviewerSubject,
    role: 'AUTHORITY_REVIEWER',
    entity,
    entityId,
  });
  const sanctionOf = async (kind: string, decidedOn: string, studentId = b.student) =>
    ok(await decide(d, registrar, { studentId, kind, decidedOn, decidingBody: 'SCHOOL_AFFAIRS_MEETING' }))
      .decideSanction.id;
  const schoolAppeal = async (sanctionId: string) =>
    ok(
      await graphql<{ lodgeSchoolAppeal: { id: string } }>(
        d.service.url,
        LODGE_SCHOOL,
        { input: { sanctionId, receivedOn: '2026-09-01', statementRef: 'A' } },
        registrar,
      ),
    ).lodgeSchoolAppeal.id;
  const reviewedOn = async (sanctionId: string, deliveredOn: string) => {
    const id = await schoolAppeal(sanctionId);
    const input = { id, outcome: 'UPHOLD', decidedOn: deliveredOn, deliveredOn, decisionRef: 'R', reason: '维持' };
    ok(await graphql(d.service.url, DECIDE_SCHOOL, { input }, registrar));
  };

  // AS-17 is hubei-shiyan's alone: a second deployment for its success.
  let shiyan: Deployment;
  const shiyanSchool = newSchool('420302');
  const placement = (patch: Record<string, unknown> = {}) => ({
    input: {
      studentId: b.student,
      employer: '北京汽车股份有限公司',
      post: '装配工',
      startsOn: '2026-10-12',
      endsOn: '2027-01-15',
      agreementRef: '三方协议-1',
      ...patch,
    },
  });
  const assessment = (id: string) => ({
    input: { id, passed: true, assessedOn: '2026-10-10', employerAssessmentRef: 'E-1', schoolAssessmentRef: 'S-1' },
  });
  const graduationInput = () => ({
    kind: 'SKILLS_COMPETITION',
    passed: true,
    score: 88,
    heldOn: '2026-05-20',
    ref: '大赛-2026',
  });

  afterAll(async () => {
    await shiyan?.stop();
  });

  beforeAll(async () => {
    shiyan = await deploy('hubei-shiyan');
    b.shiyanStudent = randomUUID();
    await register(shiyan, shiyanSchool, [{ id: b.shiyanStudent, birthDate: '2009-10-01' }]);
    await register(
      d,
      school,
      [b.student!, ...expellable].map((id) => ({ id, birthDate: '2007-06-01' })),
    );
    b.pendingApprove = await sanctionOf('EXPULSION', '2026-09-20', expellable[0]);
    b.pendingReject = await sanctionOf('EXPULSION', '2026-09-21', expellable[1]);
    b.rejected = await sanctionOf('EXPULSION', '2026-09-22', expellable[2]);
    ok(await graphql(d.service.url, REJECT, { id: b.rejected }, reviewer));
    b.notice = await sanctionOf('WARNING', '2026-09-01');
    b.revocable = await sanctionOf('WARNING', '2026-01-05');
    b.recent = await sanctionOf('DEMERIT', '2026-09-01');
    b.toAppeal = await sanctionOf('WARNING', '2026-08-20');
    b.schoolAppeal = await schoolAppeal(await sanctionOf('DEMERIT', '2026-08-21'));
    b.schoolAppeal2 = await schoolAppeal(await sanctionOf('DEMERIT', '2026-08-22'));
    b.reviewed = await sanctionOf('DEMERIT', '2026-08-23');
    await reviewedOn(b.reviewed, '2026-09-15');
    b.reviewedLong = await sanctionOf('DEMERIT', '2026-08-24');
    await reviewedOn(b.reviewedLong, '2026-09-01');
    const toDecide = await sanctionOf('PROBATION', '2026-08-25');
    await reviewedOn(toDecide, '2026-09-15');
    b.authorityAppeal = ok(
      await graphql<{ lodgeAuthorityAppeal: { id: string } }>(
        d.service.url,
        LODGE_AUTHORITY,
        { input: { sanctionId: toDecide, receivedOn: '2026-10-09', statementRef: 'W' } },
        reviewer,
      ),
    ).lodgeAuthorityAppeal.id;
    // Issue 10: what the out-of-scope calls act on, left as an in-scope call would find it.
    b.pendingOutOfScope = await sanctionOf('EXPULSION', '2026-09-23', expellable[3]);
    b.revocable2 = await sanctionOf('WARNING', '2026-01-06');
    b.toAppeal2 = await sanctionOf('WARNING', '2026-08-20');
    b.reviewed2 = await sanctionOf('DEMERIT', '2026-08-26');
    await reviewedOn(b.reviewed2, '2026-09-15');
    const toDecide2 = await sanctionOf('PROBATION', '2026-08-27');
    await reviewedOn(toDecide2, '2026-09-15');
    b.authorityAppeal2 = ok(
      await graphql<{ lodgeAuthorityAppeal: { id: string } }>(
        d.service.url,
        LODGE_AUTHORITY,
        { input: { sanctionId: toDecide2, receivedOn: '2026-10-09', statementRef: 'W' } },
        reviewer,
      ),
    ).lodgeAuthorityAppeal.id;
    b.internship = ok(
      await graphql<{ placeInternship: { id: string } }>(
        d.service.url,
        PLACE_INTERNSHIP,
        placement({ startsOn: '2026-09-01', endsOn: '2026-09-30' }),
        registrar,
      ),
    ).placeInternship.id;
  });

  const cases: Record<string, Case> = {
    // ── part A: plans, results, conduct ──
    createTeachingPlan: {
      async success() {
        const { createTeachingPlan } = ok(
          await graphql<{ createTeachingPlan: { id: string } }>(d.service.url, CREATE_PLAN, planInput(), registrar),
        );
        return {
          action: 'CREATE_TEACHING_PLAN',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'teaching_plan',
          entityId: createTeachingPlan.id,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(d.service.url, CREATE_PLAN, planInput({ makeUpsPerCourse: 9 }), registrar),
          'POLICY_VIOLATION',
          'AS-3',
        );
      },
      outOfScope: async () => graphql(d.service.url, CREATE_PLAN, planInput(), registrarElsewhere),
    },
    recordResults: {
      async success() {
        ok(
          await graphql(
            d.service.url,
            RECORD_RESULTS,
            {
              input: { courseId, attempt: 'REGULAR', entries: [{ studentId: students[0], score: 80 + plans++ / 10 }] },
            },
            registrar,
          ),
        );
        return {
          action: 'RECORD_RESULTS',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'course',
          entityId: courseId,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(
            d.service.url,
            RECORD_RESULTS,
            { input: { courseId, attempt: 'MAKE_UP', entries: [{ studentId: students[0], score: 70 }] } },
            registrar,
          ),
          'POLICY_VIOLATION',
          'AS-3',
        );
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          RECORD_RESULTS,
          { input: { courseId, attempt: 'REGULAR', entries: [{ studentId: students[0], score: 81 }] } },
          registrarElsewhere,
        ),
    },
    recordConduct: {
      async success() {
        const { recordConduct } = ok(
          await graphql<{ recordConduct: { id: string } }>(
            d.service.url,
            RECORD_CONDUCT,
            { input: { studentId: students[1], period: 'YEAR', term: '2026-2027', comment: '认真负责' } },
            registrar,
          ),
        );
        return {
          action: 'RECORD_CONDUCT',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'conduct_evaluation',
          entityId: recordConduct.id,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(
            d.service.url,
            RECORD_CONDUCT,
            { input: { studentId: students[1], period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' } },
            registrar,
          ),
          'POLICY_VIOLATION',
          'AS-2',
        );
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          RECORD_CONDUCT,
          { input: { studentId: students[1], period: 'YEAR', term: '2027-2028', comment: '认真负责' } },
          registrarElsewhere,
        ),
    },
    importResults: {
      async success() {
        const content = await writeSheet({
          sheetName: '成绩',
          headers: ['学号', '姓名', 'A1 课程'],
          rows: [[`G${students[1]!}`, '学生', 60 + plans++ / 10]],
        });
        const input = { planId, attempt: 'REGULAR', fileName: 'a.xlsx', contentBase64: content.toString('base64') };
        const imported = ok(
          await graphql<{ importResults: { recorded: number; rejected: number } }>(
            d.service.url,
            IMPORT_RESULTS,
            { input },
            registrar,
          ),
        );
        expect(imported.importResults).toEqual({ recorded: 1, rejected: 0 });
        return {
          action: 'IMPORT_RESULTS',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'teaching_plan',
          entityId: planId,
          reason: 'a.xlsx',
        };
      },
      async refusal() {
        const input = { planId, attempt: 'REGULAR', fileName: 'a.xlsx', contentBase64: 'bm90IGEgd29ya2Jvb2s=' };
        refusedWith(await graphql(d.service.url, IMPORT_RESULTS, { input }, registrar), 'BAD_USER_INPUT');
      },
      async outOfScope() {
        const content = await writeSheet({
          sheetName: '成绩',
          headers: ['学号', '姓名', 'A1 课程'],
          rows: [[`G${students[1]!}`, '学生', 61]],
        });
        const input = { planId, attempt: 'REGULAR', fileName: 'a.xlsx', contentBase64: content.toString('base64') };
        return graphql(d.service.url, IMPORT_RESULTS, { input }, registrarElsewhere);
      },
    },
    setMakeUpPeriod: {
      async success() {
        const input = { planId, studyYear: 1, semester: 2, startsOn: '2027-02-20', endsOn: '2027-02-28' };
        ok(
          await graphql(
            d.service.url,
            `
              mutation ($input: MakeUpPeriodInput!) {
                setMakeUpPeriod(input: $input) {
                  id
                }
              }
            `,
            { input },
            registrar,
          ),
        );
        return {
          action: 'SET_MAKE_UP_PERIOD',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'teaching_plan',
          entityId: planId,
        };
      },
      async refusal() {
        // AS-3: a period cannot end before it starts.
        const input = { planId, studyYear: 1, semester: 2, startsOn: '2027-02-20', endsOn: '2027-02-19' };
        refusedWith(
          await graphql(
            d.service.url,
            `
              mutation ($input: MakeUpPeriodInput!) {
                setMakeUpPeriod(input: $input) {
                  id
                }
              }
            `,
            { input },
            registrar,
          ),
          'BAD_USER_INPUT',
        );
      },
      async outOfScope() {
        const input = { planId, studyYear: 1, semester: 2, startsOn: '2027-02-21', endsOn: '2027-02-28' };
        const SET = `mutation ($input: MakeUpPeriodInput!) { setMakeUpPeriod(input: $input) { id } }`;
        return graphql(d.service.url, SET, { input }, registrarElsewhere);
      },
    },
    setCreditConversion: {
      async success() {
        const { setCreditConversion } = ok(
          await graphql<{ setCreditConversion: { id: string } }>(
            d.service.url,
            SET_CONVERSION,
            { input: { schoolId: school.schoolId, kind: 'SKILL_CERTIFICATE', certificateCode: 'CERT-1', credits: 2 } },
            registrar,
          ),
        );
        return {
          action: 'SET_CREDIT_CONVERSION',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'credit_conversion',
          entityId: setCreditConversion.id,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(
            d.service.url,
            SET_CONVERSION,
            { input: { schoolId: school.schoolId, kind: 'MEDICAL_EXEMPTION', certificateCode: 'X', credits: 2 } },
            registrar,
          ),
          'POLICY_VIOLATION',
          'AS-6',
        );
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          SET_CONVERSION,
          { input: { schoolId: school.schoolId, kind: 'SKILL_CERTIFICATE', certificateCode: 'CERT-2', credits: 2 } },
          registrarElsewhere,
        ),
    },
    recognizeCredits: {
      async success() {
        const { recognizeCredits } = ok(
          await graphql<{ recognizeCredits: { id: string } }>(
            d.service.url,
            RECOGNIZE,
            {
              input: {
                studentId: students[0],
                kind: 'SKILL_CERTIFICATE',
                certificateCode: 'CERT-1',
                certificateTitle: '焊工（四级）',
                certificateNumber: `S-${plans}`,
                issuedOn: '2026-06-30',
                evidenceRef: `certs/${plans++}.pdf`,
              },
            },
            registrar,
          ),
        );
        // The same certificate is recognised once: the next success needs another student.
        students.push(students.shift()!);
        return {
          action: 'RECOGNIZE_CREDITS',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'credit_recognition',
          entityId: recognizeCredits.id,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(
            d.service.url,
            RECOGNIZE,
            { input: { studentId: students[0], kind: 'PRIOR_WORK', certificateCode: 'NONE', evidenceRef: 'x.pdf' } },
            registrar,
          ),
          'BAD_USER_INPUT',
        );
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          RECOGNIZE,
          {
            input: {
              studentId: students[0],
              kind: 'SKILL_CERTIFICATE',
              certificateCode: 'CERT-1',
              certificateTitle: '焊工（四级）',
              certificateNumber: 'S-OUT',
              issuedOn: '2026-06-30',
              evidenceRef: 'certs/out.pdf',
            },
          },
          registrarElsewhere,
        ),
    },
    exemptFromPhysicalEducation: {
      async success() {
        const studentId = peStudents.shift()!;
        const { exemptFromPhysicalEducation } = ok(
          await graphql<{ exemptFromPhysicalEducation: { id: string } }>(
            d.service.url,
            EXEMPT_PE,
            {
              input: { studentId, courseId: peCourseId, hospitalLevel: 'GRADE_2A_OR_ABOVE', certificateRef: 'med.pdf' },
            },
            registrar,
          ),
        );
        return {
          action: 'EXEMPT_FROM_PE',
          actor: registrarSubject,
          role: 'SCHOOL_REGISTRAR',
          entity: 'credit_recognition',
          entityId: exemptFromPhysicalEducation.id,
        };
      },
      async refusal() {
        refusedWith(
          await graphql(
            d.service.url,
            EXEMPT_PE,
            {
              input: {
                studentId: students[1],
                courseId: peCourseId,
                hospitalLevel: 'COUNTY_OR_ABOVE',
                certificateRef: 'med.pdf',
              },
            },
            registrar,
          ),
          'POLICY_VIOLATION',
          'AS-6',
        );
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          EXEMPT_PE,
          {
            input: {
              studentId: peStudents[0],
              courseId: peCourseId,
              hospitalLevel: 'GRADE_2A_OR_ABOVE',
              certificateRef: 'med.pdf',
            },
          },
          registrarElsewhere,
        ),
    },
    // ── part B: attendance, sanctions, appeals, the working-day calendar ──
    recordTruancy: {
      async success() {
        ok(await graphql(d.service.url, RECORD_TRUANCY, { input: { studentId: b.student, hours: 4 } }, registrar));
        return byRegistrar('RECORD_TRUANCY', 'attendance_record', b.student!);
      },
      async refusal() {
        const input = { studentId: b.student, hours: 0 };
        refusedWith(await graphql(d.service.url, RECORD_TRUANCY, { input }, registrar), 'BAD_USER_INPUT');
      },
      outOfScope: async () =>
        graphql(d.service.url, RECORD_TRUANCY, { input: { studentId: b.student, hours: 4 } }, registrarElsewhere),
    },
    recordAbsence: {
      async success() {
        const input = { studentId: b.student, from: '2026-10-09' };
        ok(await graphql(d.service.url, RECORD_ABSENCE, { input }, registrar));
        return byRegistrar('RECORD_ABSENCE', 'absence_day', b.student!);
      },
      async refusal() {
        const input = { studentId: b.student, from: '2026-10-09', to: '2026-10-01' };
        refusedWith(await graphql(d.service.url, RECORD_ABSENCE, { input }, registrar), 'BAD_USER_INPUT');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          RECORD_ABSENCE,
          { input: { studentId: b.student, from: '2026-10-08' } },
          registrarElsewhere,
        ),
    },
    decideSanction: {
      async success() {
        return byRegistrar('DECIDE_SANCTION', 'sanction', await sanctionOf('WARNING', '2026-10-01'));
      },
      async refusal() {
        const input = { studentId: b.student, kind: 'WARNING', decidedOn: '2026-10-01', decidingBody: 'SCHOOL_OFFICE' };
        refusedWith(await decide(d, registrar, input), 'POLICY_VIOLATION', 'AS-13');
      },
      outOfScope: async () =>
        decide(d, registrarElsewhere, {
          studentId: b.student,
          kind: 'WARNING',
          decidedOn: '2026-10-01',
          decidingBody: 'SCHOOL_AFFAIRS_MEETING',
        }),
    },
    approveExpulsion: {
      async success() {
        ok(await graphql(d.service.url, APPROVE, { id: b.pendingApprove }, reviewer));
        return byReviewer('APPROVE_EXPULSION', 'sanction', b.pendingApprove!);
      },
      async refusal() {
        refusedWith(await graphql(d.service.url, APPROVE, { id: b.pendingReject }, registrar), 'FORBIDDEN');
      },
      outOfScope: async () => graphql(d.service.url, APPROVE, { id: b.pendingOutOfScope }, reviewerElsewhere),
    },
    rejectExpulsion: {
      async success() {
        ok(await graphql(d.service.url, REJECT, { id: b.pendingReject }, reviewer));
        return { ...byReviewer('REJECT_EXPULSION', 'sanction', b.pendingReject!), reason: '事实不清' };
      },
      async refusal() {
        refusedWith(await graphql(d.service.url, REJECT, { id: b.pendingReject }, reviewer), 'CONFLICT');
      },
      outOfScope: async () => graphql(d.service.url, REJECT, { id: b.pendingOutOfScope }, reviewerElsewhere),
    },
    recordSanctionNotice: {
      async success() {
        const input = { id: b.notice, deliveredOn: '2026-09-02', noticeRef: 'N-1', postingRef: '公示' };
        ok(await graphql(d.service.url, NOTICE, { input }, registrar));
        return byRegistrar('RECORD_SANCTION_NOTICE', 'sanction', b.notice!);
      },
      async refusal() {
        const input = { id: b.notice, deliveredOn: '2026-09-02', noticeRef: 'N-1' };
        refusedWith(await graphql(d.service.url, NOTICE, { input }, registrar), 'POLICY_VIOLATION', 'AS-13');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          NOTICE,
          { input: { id: b.recent, deliveredOn: '2026-09-02', noticeRef: 'N-2', postingRef: '公示' } },
          registrarElsewhere,
        ),
    },
    revokeSanction: {
      async success() {
        const input = { id: b.revocable, reason: '确有改正进步' };
        ok(await graphql(d.service.url, REVOKE, { input }, registrar));
        return { ...byRegistrar('REVOKE_SANCTION', 'sanction', b.revocable!), reason: '确有改正进步' };
      },
      async refusal() {
        const input = { id: b.recent, reason: '进步' };
        refusedWith(await graphql(d.service.url, REVOKE, { input }, registrar), 'POLICY_VIOLATION', 'AS-12');
      },
      outOfScope: async () =>
        graphql(d.service.url, REVOKE, { input: { id: b.revocable2, reason: '确有改正进步' } }, registrarElsewhere),
    },
    lodgeSchoolAppeal: {
      async success() {
        return byRegistrar('LODGE_SCHOOL_APPEAL', 'appeal', await schoolAppeal(b.toAppeal!));
      },
      async refusal() {
        const input = { sanctionId: b.rejected, receivedOn: '2026-09-30', statementRef: 'A' };
        refusedWith(await graphql(d.service.url, LODGE_SCHOOL, { input }, registrar), 'POLICY_VIOLATION', 'AS-14');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          LODGE_SCHOOL,
          { input: { sanctionId: b.toAppeal2, receivedOn: '2026-09-01', statementRef: 'A' } },
          registrarElsewhere,
        ),
    },
    decideSchoolAppeal: {
      async success() {
        const input = {
          id: b.schoolAppeal,
          outcome: 'UPHOLD',
          decidedOn: '2026-09-10',
          decisionRef: 'R',
          reason: '维持',
        };
        ok(await graphql(d.service.url, DECIDE_SCHOOL, { input }, registrar));
        return { ...byRegistrar('DECIDE_SCHOOL_APPEAL', 'appeal', b.schoolAppeal!), reason: '维持' };
      },
      async refusal() {
        // AS-14: an appeal never makes the sanction heavier.
        const input = {
          id: b.schoolAppeal2,
          outcome: 'CHANGE',
          newKind: 'EXPULSION',
          decidedOn: '2026-09-10',
          decisionRef: 'R',
          reason: '加重',
        };
        refusedWith(await graphql(d.service.url, DECIDE_SCHOOL, { input }, registrar), 'POLICY_VIOLATION', 'AS-14');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          DECIDE_SCHOOL,
          {
            input: {
              id: b.schoolAppeal2,
              outcome: 'UPHOLD',
              decidedOn: '2026-09-10',
              decisionRef: 'R',
              reason: '维持',
            },
          },
          registrarElsewhere,
        ),
    },
    lodgeAuthorityAppeal: {
      async success() {
        const input = { sanctionId: b.reviewed, receivedOn: '2026-10-09', statementRef: 'W' };
        const { lodgeAuthorityAppeal } = ok(
          await graphql<{ lodgeAuthorityAppeal: { id: string } }>(d.service.url, LODGE_AUTHORITY, { input }, reviewer),
        );
        return byReviewer('LODGE_AUTHORITY_APPEAL', 'appeal', lodgeAuthorityAppeal.id);
      },
      async refusal() {
        // 15 working days after 2026-09-01 end on 2026-09-22: late.
        const input = { sanctionId: b.reviewedLong, receivedOn: '2026-10-09', statementRef: 'W' };
        refusedWith(await graphql(d.service.url, LODGE_AUTHORITY, { input }, reviewer), 'POLICY_VIOLATION', 'AS-14');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          LODGE_AUTHORITY,
          { input: { sanctionId: b.reviewed2, receivedOn: '2026-10-09', statementRef: 'W' } },
          reviewerElsewhere,
        ),
    },
    decideAuthorityAppeal: {
      async success() {
        const input = {
          id: b.authorityAppeal,
          outcome: 'UPHOLD',
          decidedOn: '2026-10-10',
          decisionRef: 'D',
          reason: '维持',
        };
        ok(await graphql(d.service.url, DECIDE_AUTHORITY, { input }, reviewer));
        return { ...byReviewer('DECIDE_AUTHORITY_APPEAL', 'appeal', b.authorityAppeal!), reason: '维持' };
      },
      async refusal() {
        const input = {
          id: b.authorityAppeal,
          outcome: 'UPHOLD',
          decidedOn: '2026-10-10',
          decisionRef: 'D',
          reason: '维持',
        };
        refusedWith(await graphql(d.service.url, DECIDE_AUTHORITY, { input }, reviewer), 'CONFLICT');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          DECIDE_AUTHORITY,
          {
            input: {
              id: b.authorityAppeal2,
              outcome: 'UPHOLD',
              decidedOn: '2026-10-10',
              decisionRef: 'D',
              reason: '维持',
            },
          },
          reviewerElsewhere,
        ),
    },
    recordReward: {
      async success() {
        const input = {
          studentId: b.student,
          level: 'INDUSTRY',
          scope: 'SINGLE',
          form: 'TITLE',
          title: '技能标兵',
          awardedBy: '行业协会',
          awardedOn: '2026-06-01',
          postingRef: '公示-2026-06',
        };
        const { recordReward } = ok(
          await graphql<{ recordReward: { id: string } }>(d.service.url, RECORD_REWARD, { input }, registrar),
        );
        return byRegistrar('RECORD_REWARD', 'reward', recordReward.id);
      },
      async refusal() {
        const input = {
          studentId: b.student,
          level: 'CITY',
          scope: 'SINGLE',
          form: 'TITLE',
          title: '三好学生',
          awardedBy: '市教委',
          awardedOn: '2026-06-01',
          postingRef: '公示',
        };
        refusedWith(await graphql(d.service.url, RECORD_REWARD, { input }, registrar), 'POLICY_VIOLATION', 'AS-9');
      },
      outOfScope: async () =>
        graphql(
          d.service.url,
          RECORD_REWARD,
          {
            input: {
              studentId: b.student,
              level: 'INDUSTRY',
              scope: 'SINGLE',
              form: 'TITLE',
              title: '技能标兵',
              awardedBy: '行业协会',
              awardedOn: '2026-06-02',
              postingRef: '公示-2026-06',
            },
          },
          registrarElsewhere,
        ),
    },
    placeInternship: {
      async success() {
        const { placeInternship } = ok(
          await graphql<{ placeInternship: { id: string } }>(d.service.url, PLACE_INTERNSHIP, placement(), registrar),
        );
        return byRegistrar('PLACE_INTERNSHIP', 'internship', placeInternship.id);
      },
      async refusal() {
        const input = placement({ endsOn: '2026-10-01' });
        refusedWith(await graphql(d.service.url, PLACE_INTERNSHIP, input, registrar), 'BAD_USER_INPUT');
      },
      outOfScope: async () =>
        graphql(d.service.url, PLACE_INTERNSHIP, placement({ agreementRef: '三方协议-2' }), registrarElsewhere),
    },
    assessInternship: {
      async success() {
        ok(await graphql(d.service.url, ASSESS_INTERNSHIP, assessment(b.internship!), registrar));
        return byRegistrar('ASSESS_INTERNSHIP', 'internship', b.internship!);
      },
      async refusal() {
        const response = await graphql(d.service.url, ASSESS_INTERNSHIP, assessment(b.internship!), registrar);
        refusedWith(response, 'POLICY_VIOLATION', 'AS-7');
      },
      outOfScope: async () => graphql(d.service.url, ASSESS_INTERNSHIP, assessment(b.internship!), registrarElsewhere),
    },
    recordGraduationInput: {
      // AS-17 is hubei-shiyan's: the success is shown there, the refusal under this file's profile.
      on: () => shiyan,
      async success() {
        const input = { ...graduationInput(), studentId: b.shiyanStudent };
        ok(await graphql(shiyan.service.url, RECORD_GRADUATION_INPUT, { input }, registrarOf(shiyanSchool.schoolId)));
        return {
          action: 'RECORD_GRADUATION_INPUT',
          actor: `registrar-${shiyanSchool.schoolId.slice(0, 8)}`,
          role: 'SCHOOL_REGISTRAR',
          entity: 'graduation_input',
          entityId: b.shiyanStudent!,
        };
      },
      async refusal() {
        const input = { ...graduationInput(), studentId: b.student };
        refusedWith(
          await graphql(d.service.url, RECORD_GRADUATION_INPUT, { input }, registrar),
          'POLICY_VIOLATION',
          'AS-17',
        );
      },
      // On hubei-shiyan, where AS-17 applies: the same registrar's subject, another school's token.
      outOfScope: async () =>
        graphql(
          shiyan.service.url,
          RECORD_GRADUATION_INPUT,
          { input: { ...graduationInput(), studentId: b.shiyanStudent } },
          tokenFor({
            subject: `registrar-${shiyanSchool.schoolId.slice(0, 8)}`,
            role: 'SCHOOL_REGISTRAR',
            schoolId: randomUUID(),
          }),
        ),
    },
    recordWorkingDayCalendar: {
      async success() {
        const input = { year: 2027, holidays: ['2027-01-01'], workdays: [], source: '国务院办公厅通知' };
        ok(await graphql(d.service.url, RECORD_CALENDAR, { input }, administrator));
        return {
          action: 'RECORD_WORKING_DAY_CALENDAR',
          actor: 'calendar-admin',
          role: 'ADMINISTRATOR',
          entity: 'working_day_calendar',
          entityId: '2027',
        };
      },
      async refusal() {
        const input = { year: 2027, holidays: [], workdays: [], source: '通知' };
        refusedWith(await graphql(d.service.url, RECORD_CALENDAR, { input }, registrar), 'FORBIDDEN');
      },
      // The administrator's reference data (AS-14's working days): national, no school or region.
      outOfScope: 'none',
    },
  };

  it('has a case for every mutation of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(mutationNames);
  });

  describe.each(mutationNames)('%s', (mutation) => {
    it('writes exactly one audit row when it succeeds: who, role, what, which record', async () => {
      const target = cases[mutation]!.on?.() ?? d;
      const before = (await auditRows(target.service.dataSource)).length;
      const expected = await cases[mutation]!.success();
      expect((await auditRows(target.service.dataSource)).slice(before)).toEqual([expect.objectContaining(expected)]);
    });

    it('writes none when it is refused', async () => {
      const before = (await auditRows(d.service.dataSource)).length;
      await cases[mutation]!.refusal();
      expect(await newRows(before)).toEqual([]);
    });

    const outOfScope = cases[mutation]!.outOfScope;
    if (outOfScope !== 'none') {
      it('is refused to a token of the same subject and another school or region, and writes nothing (issue 10)', async () => {
        const target = cases[mutation]!.on?.() ?? d;
        const outbox = async () =>
          (
            (await target.service.dataSource.query('SELECT count(*)::int AS n FROM outbox_message')) as { n: number }[]
          )[0]!.n;
        const [before, events] = [(await auditRows(target.service.dataSource)).length, await outbox()];
        refusedOutOfScope(await outOfScope());
        expect((await auditRows(target.service.dataSource)).slice(before)).toEqual([]);
        expect(await outbox()).toBe(events);
      });
    }
  });

  // Issue 11: subsidy officers read only; partners see the partner events only, never a command.
  it.each(mutationNames)('%s is refused to a subsidy officer and a partner, and writes nothing', async (mutation) => {
    const { query, variables } = minimalMutation(SCHEMA_PATH, mutation);
    const before = (await auditRows(d.service.dataSource)).length;
    for (const token of [
      tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '110000' }),
      tokenFor({ subject: 'partner-1', role: 'PARTNER' }),
    ])
      refusedWith(await graphql(d.service.url, query, variables, token), 'FORBIDDEN');
    expect(await newRows(before)).toEqual([]);
  });

  it('a consumed event is one unit of work: one audit row naming the event', async () => {
    const studentId = randomUUID();
    const before = (await auditRows(d.service.dataSource)).length;
    const event = approvedRegistration({
      studentId,
      ...school,
      entryDate: '2026-09-01',
      approvedAt: '2026-09-20T02:00:00.000Z',
    });
    await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, [event]);
    expect(await newRows(before)).toEqual([
      expect.objectContaining({
        action: 'RECORD_STUDY_RECORD',
        role: 'SYSTEM',
        actor: `xueji.enrolment.registration.approved.v1#${event.id}`,
        entityId: studentId,
      }),
    ]);
  });
});
