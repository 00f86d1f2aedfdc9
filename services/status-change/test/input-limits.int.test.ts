/**
 * Issue 10, "bad input that is stored today": a change request keeps the limits of `@xueji/rules`
 * (comment and reference lengths and characters, at most 20 evidence references and 10 corrected
 * fields, effective dates in range), refused with BAD_USER_INPUT naming the field, nothing stored.
 */
import { randomUUID } from 'node:crypto';
import { graphql, tokenFor } from '@xueji/testkit';
import {
  formalStudent,
  schoolRegistered,
  startStatusChange,
  SUBMIT_CHANGE,
  type Running,
  type TestSchool,
} from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030209',
  name: '十堰市张湾区职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectChangeRequest(id: $id, reason: $reason) { id } }`;
const NOTICE = `mutation ($id: ID!, $ref: String!) { recordGuardianNotice(id: $id, reached: true, ref: $ref) { id } }`;

let s: Running;
let studentId: string;
beforeAll(async () => {
  s = await startStatusChange('hubei-shiyan', '2026-09-15');
  studentId = randomUUID();
  await s.publish('enrolment', schoolRegistered(school), ...formalStudent(school, studentId, '2026-03-01'));
});
afterAll(() => s?.stop());

const count = async (sql: string) => ((await s.service.dataSource.query(sql)) as { n: number }[])[0]!.n;
const requests = () => count('SELECT count(*)::int AS n FROM change_request');
const submissions = () => count(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'SUBMIT_CHANGE_REQUEST'`);

describe('submitChangeRequest input limits (real PostgreSQL and Kafka)', () => {
  const correction = (overrides: Record<string, unknown> = {}) => ({
    studentId,
    kind: 'DATA_CORRECTION',
    effectiveDate: '2026-08-31',
    evidenceRefs: ['identity/hukou-page'],
    correction: { fields: [{ field: 'name', oldValue: '学生', newValue: '学生甲' }] },
    ...overrides,
  });

  it('refuses each field over its limit, naming it, and stores no request and no audit row', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ comment: '说'.repeat(100_000) }, 'input.comment'],
      [{ comment: '说明\u0000' }, 'input.comment'],
      [{ comment: '说明\u202E' }, 'input.comment'],
      [{ evidenceRefs: Array.from({ length: 10_000 }, (_, i) => `ref-${i}`) }, 'input.evidenceRefs'],
      [{ evidenceRefs: ['ok', 'x'.repeat(100_000)] }, 'input.evidenceRefs[1]'],
      [
        { correction: { fields: Array.from({ length: 10_000 }, () => ({ field: 'name', newValue: '甲' })) } },
        'input.correction.fields',
      ],
      [
        { correction: { fields: [{ field: 'name', newValue: '学生\u0000甲' }] } },
        'input.correction.fields[0].newValue',
      ],
      [
        { correction: { fields: [{ field: 'name', newValue: '甲'.repeat(100_000) }] } },
        'input.correction.fields[0].newValue',
      ],
      [
        { correction: { fields: [{ field: 'name', newValue: '学生\u200B甲' }] } },
        'input.correction.fields[0].newValue',
      ],
      [
        { correction: { fields: [{ field: 'birthDate', newValue: '9999-12-31' }] } },
        'input.correction.fields[0].newValue',
      ],
      [{ effectiveDate: '9999-12-31' }, 'input.effectiveDate'],
      [{ effectiveDate: '1000-01-01' }, 'input.effectiveDate'],
    ];
    for (const [overrides, field] of cases) {
      const answer = await graphql(s.service.url, SUBMIT_CHANGE, { input: correction(overrides) }, registrar);
      expect({ field, extensions: answer.errors?.[0]?.extensions }).toMatchObject({
        field,
        extensions: { code: 'BAD_USER_INPUT', details: { field } },
      });
    }
    for (const bad of ['2025-02-30', '0000-01-01', '+12026-01-01']) {
      const answer = await graphql(
        s.service.url,
        SUBMIT_CHANGE,
        { input: correction({ effectiveDate: bad }) },
        registrar,
      );
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(/effectiveDate/);
    }
    expect(await requests()).toBe(0);
    expect(await submissions()).toBe(0);

    const ok = await graphql(
      s.service.url,
      SUBMIT_CHANGE,
      { input: correction({ comment: '第一行\n第二行' }) },
      registrar,
    );
    expect(ok.errors).toBeUndefined();
    expect(await requests()).toBe(1);
    expect(await submissions()).toBe(1);
  });

  it('refuses a reason and a notice reference over their limits before looking the request up', async () => {
    const id = randomUUID();
    const reason = await graphql(s.service.url, REJECT, { id, reason: 'r'.repeat(100_000) }, registrar);
    expect(reason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'reason' } });
    const ref = await graphql(s.service.url, NOTICE, { id, ref: 'notice\u0000' }, registrar);
    expect(ref.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'ref' } });
  });
});
