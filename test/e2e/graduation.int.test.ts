/**
 * Graduation end to end through the gateway, with nothing but Kafka between the services: a formal
 * student with passing results, conduct and internship (published as assessment publishes them) is
 * audited GRADUATE → the school submits its graduate list → the authority approves it with the
 * verification sheet → the diploma number is in the profile's format (national: YYYY + the authority's
 * region + a sequence) → status-change has the student GRADUATED → subsidy ends eligibility (SB-3).
 * Concurrent approvals never share a number. A withdrawal gives a factual study record (GR-7); a student
 * short of credits gets a certificate of completion, exchanged for a diploma after make-ups (GR-6).
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { createEvent, type EventEnvelope } from '@xueji/events';
import {
  deliverEvents,
  graphql,
  launchBrowser,
  passedEverything as passedEverythingAt,
  tokenFor,
  waitFor,
} from '@xueji/testkit';
import { registration, school, seedSchools, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, grantOf, SUBMIT_CHANGE, type Change } from '../support/students';

const REGION = '220102';
const GRADUATION_DAY = '2029-06-20';
const PRINCIPAL = '王建国';
const HELD = {
  kind: 'SKILL_CERTIFICATE',
  title: '计算机程序员（四级）',
  number: 'SK-2029-0007',
  issuedOn: '2028-12-20',
} as const;

const AUDIT = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      status {
        code
      }
      graduation {
        stage
        diplomaNumber
        audit {
          outcome
          lacking
        }
      }
    }
  }
`;
type View = {
  student: {
    status: { code: string } | null;
    graduation: {
      stage: string;
      diplomaNumber: string | null;
      audit: { outcome: string; lacking: string[] } | null;
    } | null;
  };
};

const SUBMIT = /* GraphQL */ `
  mutation ($input: GraduateListInput!) {
    submitGraduateList(input: $input) {
      id
      state
    }
  }
`;
const APPROVE = /* GraphQL */ `
  mutation ($id: ID!, $sheet: String!) {
    approveGraduateList(id: $id, verificationSheetRef: $sheet) {
      state
      entries {
        studentId
        diplomaNumber
      }
    }
  }
`;

/** Assessment's totals of a student's results and credits. */
const results = (
  studentId: string,
  schoolId: string,
  r: { coursesFailed: number; creditsEarned: number; at: string },
) =>
  createEvent('xueji.assessment.results.changed.v1', studentId, {
    studentId,
    schoolId,
    coursesPassed: 32 - r.coursesFailed,
    coursesFailed: r.coursesFailed,
    coursesOutstanding: 0,
    creditsEarned: r.creditsEarned,
    creditsRequired: 170,
    pePassed: true,
    changedAt: r.at,
  });

/** What assessment publishes of a student who passed every course, conduct and the internship. */
const passedEverything = (studentId: string, schoolId: string): EventEnvelope[] =>
  passedEverythingAt(studentId, schoolId, { at: '2029-05-30T08:00:00.000Z', conductGrade: 'EXCELLENT' });

describe('graduation on the real stack (GR-1, GR-3, GR-4; SB-3 downstream)', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-gr', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-gr', role: 'AUTHORITY_REVIEWER', regionCode: REGION });
  const officer = tokenFor({ subject: 'officer-gr', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
  const students: string[] = [];
  /** The diploma the first test issues; the lookup tests check it. */
  let firstDiploma = '';

  beforeAll(async () => {
    stack = await startStack({ profile: 'national', today: TEST_TODAY });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('GR-A01', REGION, { name: '南关区职业教育中心', principalName: PRINCIPAL }),
    ])) as [string];
    await waitFor(
      async () =>
        (
          await selectRows<{ n: number }>(
            stack.services.graduation.dataSource,
            'SELECT count(*)::int AS n FROM graduation_school',
          )
        )[0]!.n === 1,
      { what: 'graduation to learn the school' },
    );
    for (let n = 0; n < 7; n++)
      students.push(
        await formalStudent(stack, { schoolId: A, regionCode: REGION, registrar: registrar(), reviewer }, 601 + n),
      );
    // Assessment's facts, published on its topic as assessment publishes them.
    // The seventh is short of credits at the end (GR-6).
    await deliverEvents(
      stack.services.graduation,
      `${stack.topicPrefix}xueji.assessment.events`,
      passedEverything(students[6]!, A).map((e, i) =>
        i === 0
          ? results(students[6]!, A, { coursesFailed: 4, creditsEarned: 150, at: '2029-05-30T08:00:00.000Z' })
          : e,
      ),
      'graduation to apply assessment’s facts',
    );
    await deliverEvents(
      stack.services.graduation,
      `${stack.topicPrefix}xueji.assessment.events`,
      [
        ...students.slice(0, 6).flatMap((id) => passedEverything(id, A)),
        // GR-11: a certificate the first student holds, recognised for credits (AS-4).
        createEvent('xueji.assessment.certificate.recorded.v1', students[0]!, {
          recognitionId: randomUUID(),
          studentId: students[0]!,
          schoolId: A,
          ...HELD,
          recordedAt: '2029-01-05T08:00:00.000Z',
        }),
      ],
      'graduation to apply assessment’s facts',
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('audited GRADUATE → list submitted → approved → national diploma number → GRADUATED in status-change → subsidy eligibility ended', async () => {
    const id = students[0]!;
    const view = async (token = reviewer) =>
      (await graphql<View>(stack.gatewayUrl, AUDIT, { id }, token)).data?.student;
    // Eligible for the grant while at school.
    await waitFor(async () => (await grantOf(stack, id, officer))?.eligible, {
      what: 'subsidy to decide the student eligible',
    });
    // Too early in 2026: the plan runs to 2029.
    expect((await view())!.graduation!.audit).toEqual({ outcome: 'NOT_YET', lacking: ['DURATION'] });

    stack.setToday(GRADUATION_DAY);
    expect((await view(registrar()))!.graduation!.audit).toEqual({ outcome: 'GRADUATE', lacking: [] });

    const submitted = await graphql<{ submitGraduateList: { id: string; state: string } }>(
      stack.gatewayUrl,
      SUBMIT,
      { input: { schoolId: A, term: '2029-spring', studentIds: [id] } },
      registrar(),
    );
    expect(submitted.errors).toBeUndefined();
    const approved = await graphql<{ approveGraduateList: { state: string; entries: { diplomaNumber: string }[] } }>(
      stack.gatewayUrl,
      APPROVE,
      { id: submitted.data!.submitGraduateList.id, sheet: '验印单 2029-001' },
      reviewer,
    );
    expect(approved.errors).toBeUndefined();
    const number = approved.data!.approveGraduateList.entries[0]!.diplomaNumber;
    firstDiploma = number;
    // GR-4 (national): 2029 · the authority's region 220102 · its sequence.
    expect(number).toMatch(/^2029220102\d{6}$/);

    const graduated = await waitFor(
      async () => {
        const s = await view();
        return s?.status?.code === 'GRADUATED' ? s : null;
      },
      { what: 'status-change to record the graduation' },
    );
    expect(graduated.graduation).toMatchObject({ stage: 'DIPLOMA_ISSUED', diplomaNumber: number });

    const ended = await waitFor(
      async () => {
        const grant = await grantOf(stack, id, officer);
        return grant?.reasons.find((r) => r.rule === 'SB-3' && !r.met && r.messageEn.includes('GRADUATED'))
          ? grant
          : null;
      },
      { what: 'subsidy to end eligibility on the graduation' },
    );
    expect(ended.eligible).toBe(false);
  });

  it('concurrent approvals through the gateway never share a number', async () => {
    stack.setToday(GRADUATION_DAY);
    const lists: string[] = [];
    for (const id of students.slice(1, 5)) {
      const s = await graphql<{ submitGraduateList: { id: string } }>(
        stack.gatewayUrl,
        SUBMIT,
        { input: { schoolId: A, term: '2029-spring', studentIds: [id] } },
        registrar(),
      );
      expect(s.errors).toBeUndefined();
      lists.push(s.data!.submitGraduateList.id);
    }
    const results = await Promise.all(
      lists.map((id) =>
        graphql<{ approveGraduateList: { entries: { diplomaNumber: string }[] } }>(
          stack.gatewayUrl,
          APPROVE,
          { id, sheet: `验印单-${id.slice(0, 6)}` },
          reviewer,
        ),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.map((r) => r.data!.approveGraduateList.entries[0]!.diplomaNumber);
    expect(new Set(numbers).size).toBe(4);
    for (const n of numbers) expect(n).toMatch(/^2029220102\d{6}$/);
    const all = await selectRows<{ number: string }>(
      stack.services.graduation.dataSource,
      `SELECT number FROM certificate ORDER BY number`,
    );
    expect(all.map((r) => Number(r.number.slice(-6)))).toEqual([1, 2, 3, 4, 5]);
  });

  it('GR-7: a withdrawal approved in status-change gives the leaver a factual study record, dated the day of leaving', async () => {
    stack.setToday(GRADUATION_DAY);
    const id = students[5]!;
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'WITHDRAWAL',
          effectiveDate: '2029-06-18',
          evidenceRefs: ['application/student-and-guardian'],
          withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: 'consent/606' },
        },
      },
      registrar(),
    );
    expect(submitted.errors).toBeUndefined();
    let state = submitted.data!.submitChangeRequest.state;
    for (const token of [registrar(), reviewer]) {
      if (state === 'EFFECTIVE') break;
      const approved = await graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: submitted.data!.submitChangeRequest.id },
        token,
      );
      expect(approved.errors).toBeUndefined();
      state = approved.data!.approveChangeRequest.state;
    }
    expect(state).toBe('EFFECTIVE');
    const CERTIFICATES = `query ($id: ID!) { student(id: $id) { graduation { certificates { kind number issuedOn } } } }`;
    const certificates = await waitFor(
      async () => {
        const r = await graphql<{
          student: { graduation: { certificates: { kind: string; number: string; issuedOn: string }[] } };
        }>(stack.gatewayUrl, CERTIFICATES, { id }, registrar());
        const list = r.data?.student?.graduation?.certificates ?? [];
        return list.length > 0 ? list : null;
      },
      { what: 'graduation to issue the study record' },
    );
    // National: the study record only (the partial-study certificate is fujian's).
    expect(certificates).toEqual([
      { kind: 'STUDY_RECORD', number: expect.stringMatching(/^XS2029220102\d{6}$/), issuedOn: '2029-06-18' },
    ]);
  });

  it('GR-6: short of credits → a certificate of completion (COMPLETED) → make-ups → exchanged for a diploma dated that day (GRADUATED)', async () => {
    stack.setToday(GRADUATION_DAY);
    const id = students[6]!;
    const status = async () =>
      (await graphql<View>(stack.gatewayUrl, AUDIT, { id }, reviewer)).data?.student?.status?.code ?? null;
    const audited = await graphql<View>(stack.gatewayUrl, AUDIT, { id }, registrar());
    expect(audited.data!.student.graduation!.audit).toEqual({ outcome: 'COMPLETION', lacking: ['RESULTS'] });
    const issued = await graphql<{ issueCompletionCertificate: { number: string } }>(
      stack.gatewayUrl,
      `
        mutation ($id: ID!) {
          issueCompletionCertificate(studentId: $id) {
            number
          }
        }
      `,
      { id },
      registrar(),
    );
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.issueCompletionCertificate.number).toMatch(/^JY2029220102\d{6}$/);
    await waitFor(async () => (await status()) === 'COMPLETED', { what: 'status-change to record the completion' });

    stack.setToday('2030-01-15');
    await deliverEvents(
      stack.services.graduation,
      `${stack.topicPrefix}xueji.assessment.events`,
      [results(id, A, { coursesFailed: 0, creditsEarned: 172, at: '2030-01-10T08:00:00.000Z' })],
      'graduation to apply the make-ups',
    );
    const exchanged = await graphql<{ exchangeCompletionCertificate: { number: string; issuedOn: string } }>(
      stack.gatewayUrl,
      `
        mutation ($id: ID!) {
          exchangeCompletionCertificate(studentId: $id, verificationSheetRef: "验印单-换发") {
            number
            issuedOn
          }
        }
      `,
      { id },
      reviewer,
    );
    expect(exchanged.errors).toBeUndefined();
    expect(exchanged.data!.exchangeCompletionCertificate).toEqual({
      number: expect.stringMatching(/^2030220102\d{6}$/),
      issuedOn: '2030-01-15',
    });
    await waitFor(async () => (await status()) === 'GRADUATED', { what: 'status-change to record the exchange' });
  });

  it('GR-10 / GR-11: anyone checks the diploma by number and name without an account; a wrong name looks like an unknown number', async () => {
    expect(firstDiploma).not.toBe('');
    const name = registration(A, REGION, 601).name;
    const LOOKUP = `query ($number: String!, $name: String!) {
      certificateLookup(number: $number, name: $name) {
        number kind state name schoolName studyForm issuedOn
        sex principalName results { coursesPassed creditsEarned } heldCertificates { kind title number issuedOn }
      }
    }`;
    const found = await graphql<{ certificateLookup: Record<string, unknown> | null }>(stack.gatewayUrl, LOOKUP, {
      number: firstDiploma,
      name,
    });
    expect(found.errors).toBeUndefined();
    expect(found.data!.certificateLookup).toEqual({
      number: firstDiploma,
      kind: 'DIPLOMA',
      state: 'VALID',
      name,
      schoolName: '南关区职业教育中心',
      studyForm: 'FULL_TIME',
      issuedOn: GRADUATION_DAY,
      // GR-11: from enrolment's and assessment's events.
      sex: registration(A, REGION, 601).sex,
      principalName: PRINCIPAL,
      results: { coursesPassed: 32, creditsEarned: 172 }, // as passedEverything publishes them
      heldCertificates: [HELD],
    });
    const wrongName = await graphql(stack.gatewayUrl, LOOKUP, { number: firstDiploma, name: '张冒名' });
    const unknown = await graphql(stack.gatewayUrl, LOOKUP, { number: '2029220102999999', name });
    expect(wrongName).toEqual(unknown);
    expect(wrongName.data).toEqual({ certificateLookup: null });
    // Never an ID number: the answer's type has no such field.
    expect(JSON.stringify(found.data)).not.toContain(registration(A, REGION, 601).idNumber);
  });

  it('GR-10: the lookup page in a real headless Chromium finds the diploma and refuses a wrong name', async () => {
    const name = registration(A, REGION, 601).name;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 390, height: 844, isMobile: true }); // a phone
      const lookupUrl = stack.gatewayUrl.replace(/\/graphql$/, '/lookup');
      const check = async (number: string, holder: string) => {
        await page.goto(lookupUrl);
        await page.type('#number', number);
        await page.type('#name', holder);
        await page.click('button[type=submit]');
        await page.waitForSelector('#result [data-outcome]');
        // Read in the page: the outcome the page marked, and the text a person sees.
        const outcome = await page.$eval('#result [data-outcome]', (el: { getAttribute(n: string): string | null }) =>
          el.getAttribute('data-outcome'),
        );
        const text = await page.$eval('#result', (el: { textContent: string | null }) => el.textContent ?? '');
        return { outcome, text };
      };
      const valid = await check(firstDiploma, name);
      expect(valid.outcome).toBe('valid');
      expect(valid.text).toContain('有效');
      expect(valid.text).toContain(firstDiploma);
      expect(valid.text).toContain('南关区职业教育中心');
      // GR-11: sex, principal, results and the certificates held, in Chinese and English.
      expect(valid.text).toContain(registration(A, REGION, 601).sex === 'MALE' ? '男' : '女');
      expect(valid.text).toContain(`校长 Principal${PRINCIPAL}`);
      expect(valid.text).toContain('合格课程');
      expect(valid.text).toContain('credits');
      expect(valid.text).toContain(`${HELD.title}（${HELD.number}，${HELD.issuedOn}）`);
      expect(valid.text).toContain('Skill certificate');
      const refused = await check(firstDiploma, '张冒名');
      expect(refused.outcome).toBe('not-found');
      expect(refused.text).toContain('未查到该证书');
    } finally {
      await browser.close();
    }
  });
});
