import { randomUUID } from 'node:crypto';
import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';

const STUDENT_EVERYWHERE = /* GraphQL */ `
  query Student($id: ID!) {
    student(id: $id) {
      id
      name
      idNumber
      registrationStatus
      school {
        name
        regionCode
      }
      status {
        code
      }
      statusHistory {
        kind
        newStatus
      }
      assessment {
        resultsRecorded
        truantHoursThisSemester
      }
      graduation {
        stage
      }
      subsidyEligibility {
        grant {
          eligible
          reasons {
            rule
            met
            messageEn
          }
        }
        tuitionWaiver {
          eligible
        }
        profile
      }
    }
  }
`;

describe('the federated system end to end (real PostgreSQL, Kafka, five subgraphs, gateway)', () => {
  let stack: Stack;
  let schoolA: string;
  let schoolB: string;

  beforeAll(async () => {
    stack = await startStack({ today: TEST_TODAY });
    [schoolA, schoolB] = (await seedSchools(stack.services.enrolment, [
      school('E2E-A01', '220102', { name: '长春市第一职业中专' }),
      school('E2E-B01', '220202', { name: '吉林市职业技术学校' }),
    ])) as [string, string];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const registrarA = () => tokenFor({ subject: 'registrar-a', role: 'SCHOOL_REGISTRAR', schoolId: schoolA });

  it('registers a student through the gateway and shows fields from all five subgraphs', async () => {
    const input = registration(schoolA, '220102', 1, { name: '张三' });
    const registered = await graphql<{ submitRegistration: { id: string; registrationStatus: string } }>(
      stack.gatewayUrl,
      SUBMIT,
      { input },
      registrarA(),
    );
    expect(registered.errors).toBeUndefined();
    const id = registered.data!.submitRegistration.id;
    expect(registered.data!.submitRegistration.registrationStatus).toBe('SUBMITTED');

    // enrolment → outbox → Kafka → status-change, assessment, graduation, subsidy read models.
    const answer = await waitFor(
      async () => {
        const r = await graphql<{ student: Record<string, unknown> }>(
          stack.gatewayUrl,
          STUDENT_EVERYWHERE,
          { id },
          registrarA(),
        );
        const s = r.data?.student;
        return s && s.status && s.assessment && s.graduation && s.subsidyEligibility ? r : null;
      },
      { what: 'every subgraph to know the student', timeoutMs: 30_000 },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({
      id,
      name: '张三',
      idNumber: input.idNumber,
      registrationStatus: 'SUBMITTED',
      school: { name: '长春市第一职业中专', regionCode: '220102' },
      status: { code: 'REGISTRATION_PENDING' },
      statusHistory: [{ kind: 'REGISTRATION', newStatus: 'REGISTRATION_PENDING' }],
      assessment: { resultsRecorded: 0, truantHoursThisSemester: 0 },
      graduation: { stage: 'NOT_STARTED' },
      subsidyEligibility: {
        grant: {
          eligible: false,
          reasons: expect.arrayContaining([
            { rule: 'SB-1', met: false, messageEn: 'The status is not formal (registration SUBMITTED)' },
          ]),
        },
        tuitionWaiver: { eligible: false },
        profile: 'national',
      },
    });
  });

  it('approval by the competent authority makes the status formal in every subgraph (ENR-5)', async () => {
    const input = registration(schoolA, '220102', 5, { name: '赵敏' });
    const submitted = await graphql<{ submitRegistration: { id: string } }>(
      stack.gatewayUrl,
      SUBMIT,
      { input },
      registrarA(),
    );
    const id = submitted.data!.submitRegistration.id;
    const reviewer = tokenFor({ subject: 'reviewer-nanguan', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });
    const approved = await graphql<{
      approveRegistrations: { decided: { isFormal: boolean; studentNumber: string }[] };
    }>(stack.gatewayUrl, APPROVE, { ids: [id] }, reviewer);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveRegistrations.decided).toEqual([
      expect.objectContaining({ isFormal: true, studentNumber: `G${input.idNumber}` }),
    ]);
    const after = await waitFor(
      async () => {
        const r = await graphql<{
          student: { status: { code: string }; subsidyEligibility: { grant: { eligible: boolean } } };
        }>(
          stack.gatewayUrl,
          `
            query ($id: ID!) {
              student(id: $id) {
                isFormal
                status {
                  code
                }
                subsidyEligibility {
                  grant {
                    eligible
                  }
                  tuitionWaiver {
                    eligible
                  }
                }
              }
            }
          `,
          { id },
          reviewer,
        );
        return r.data?.student?.status?.code === 'ACTIVE' && r.data.student.subsidyEligibility.grant.eligible
          ? r
          : null;
      },
      { what: 'status-change and subsidy to apply the approval' },
    );
    expect(after.data!.student).toMatchObject({
      isFormal: true,
      subsidyEligibility: { tuitionWaiver: { eligible: true } },
    });
    // Subsidy offices find a student's eligibility by student number or ID number through the gateway.
    const officer = tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
    const byNumber = await graphql<{
      studentByNumber: { idNumber: string; subsidyEligibility: { grant: { eligible: boolean } } };
    }>(
      stack.gatewayUrl,
      `
        query ($n: String!) {
          studentByNumber(studentNumber: $n) {
            idNumber
            subsidyEligibility {
              grant {
                eligible
              }
            }
          }
        }
      `,
      { n: `G${input.idNumber}` },
      officer,
    );
    expect(byNumber.data!.studentByNumber.subsidyEligibility.grant.eligible).toBe(true);
    expect(byNumber.data!.studentByNumber.idNumber).not.toBe(input.idNumber); // masked for officers
    const byIdNumber = await graphql<{ studentByIdNumber: { subsidyEligibility: { grant: { eligible: boolean } } } }>(
      stack.gatewayUrl,
      `
        query ($n: String!) {
          studentByIdNumber(idNumber: $n) {
            subsidyEligibility {
              grant {
                eligible
              }
            }
          }
        }
      `,
      { n: input.idNumber },
      officer,
    );
    expect(byIdNumber.data!.studentByIdNumber.subsidyEligibility.grant.eligible).toBe(true);
  });

  it('answers health and readiness on the gateway and every subgraph', async () => {
    const gatewayHealth = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(await gatewayHealth.json()).toEqual({ status: 'ok', service: 'gateway' });
    for (const service of Object.values(stack.services)) {
      const ready = await fetch(service.url.replace('/graphql', '/ready'));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: true, kafka: true, consumer: true });
    }
  });

  it('refuses a protected query without a token, and a forged token', async () => {
    const anonymous = await graphql(stack.gatewayUrl, STUDENT_EVERYWHERE, { id: randomUUID() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data?.student ?? null).toBeNull();

    const forged = await graphql(stack.gatewayUrl, STUDENT_EVERYWHERE, { id: randomUUID() }, `${registrarA()}x`);
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("keeps a school's students from another school's registrar and from reviewers of other regions", async () => {
    const input = registration(schoolA, '220102', 2, { name: '李四' });
    const registered = await graphql<{ submitRegistration: { id: string } }>(
      stack.gatewayUrl,
      SUBMIT,
      { input },
      registrarA(),
    );
    const id = registered.data!.submitRegistration.id;
    const registrarB = tokenFor({ subject: 'registrar-b', role: 'SCHOOL_REGISTRAR', schoolId: schoolB });
    const other = await graphql(stack.gatewayUrl, STUDENT_EVERYWHERE, { id }, registrarB);
    expect(other.data?.student ?? null).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const jilinCityReviewer = tokenFor({ subject: 'reviewer-jl', role: 'AUTHORITY_REVIEWER', regionCode: '220200' });
    const outside = await graphql(stack.gatewayUrl, STUDENT_EVERYWHERE, { id }, jilinCityReviewer);
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const provinceReviewer = tokenFor({ subject: 'reviewer-prov', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
    const inside = await graphql<{ student: { name: string; idNumber: string } }>(
      stack.gatewayUrl,
      `
        query ($id: ID!) {
          student(id: $id) {
            name
            idNumber
          }
        }
      `,
      { id },
      provinceReviewer,
    );
    expect(inside.errors).toBeUndefined();
    expect(inside.data!.student.name).toBe('李四');

    const officer = tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
    const masked = await graphql<{ student: { idNumber: string } }>(
      stack.gatewayUrl,
      `
        query ($id: ID!) {
          student(id: $id) {
            idNumber
          }
        }
      `,
      { id },
      officer,
    );
    expect(masked.data!.student.idNumber).toBe(`${input.idNumber.slice(0, 4)}**********${input.idNumber.slice(-4)}`);
  });

  it('refuses registering at another school, and bad ID numbers, with coded bilingual errors', async () => {
    const elsewhere = await graphql(
      stack.gatewayUrl,
      SUBMIT,
      { input: registration(schoolB, '220202', 3) },
      registrarA(),
    );
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const valid = registration(schoolA, '220102', 4, { name: '王五' });
    const wrongDigit = valid.idNumber.slice(0, 17) + (valid.idNumber.endsWith('1') ? '2' : '1');
    const badCheckDigit = await graphql(
      stack.gatewayUrl,
      SUBMIT,
      { input: { ...valid, idNumber: wrongDigit } },
      registrarA(),
    );
    const error = badCheckDigit.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.messageZh).toBe('身份证号码校验位错误');
    expect(error?.extensions?.messageEn).toMatch(/check digit/);
    const count = await stack.services.enrolment.dataSource.query(
      'SELECT count(*)::int AS n FROM student WHERE name = $1',
      ['王五'],
    );
    expect(count).toEqual([{ n: 0 }]);
  });
});
