/**
 * Scope, not only identity: a registrar's token names a school, a reviewer's a region, and every
 * command and report keeps to it (issue 10, "Access and privacy").
 */
import { randomUUID } from 'node:crypto';
import { graphql, tokenFor } from '@xueji/testkit';
import {
  APPROVE_CHANGE,
  correctionApplied,
  formalStudent,
  schoolRegistered,
  startStatusChange,
  SUBMIT_CHANGE,
  type Running,
  type TestSchool,
} from './support';

/** Two schools under one county authority, and a third in another city of the province. */
const zhangwan: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030201',
  name: '十堰市张湾区职业技术学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const zhangwanSecond: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42030202',
  name: '十堰市张湾区第二职业学校',
  regionCode: '420302',
  authorityRegionCode: '420302',
};
const wuhan: TestSchool = {
  schoolId: randomUUID(),
  code: 'S42010201',
  name: '武汉市江岸区职业技术学校',
  regionCode: '420102',
  authorityRegionCode: '420102',
};

const registrarOf = (school: TestSchool, subject = 'registrar') =>
  tokenFor({ subject, role: 'SCHOOL_REGISTRAR', schoolId: school.schoolId });
const countyReviewer = tokenFor({ subject: 'reviewer-zhangwan', role: 'AUTHORITY_REVIEWER', regionCode: '420302' });
const cityReviewer = tokenFor({ subject: 'reviewer-shiyan', role: 'AUTHORITY_REVIEWER', regionCode: '420300' });

const WITHDRAW = /* GraphQL */ `
  mutation ($id: ID!) {
    withdrawChangeRequest(id: $id, reason: "家长改变主意") {
      state
    }
  }
`;
const REQUEST = /* GraphQL */ `
  query ($id: ID!) {
    changeRequest(id: $id) {
      state
    }
  }
`;
const HISTORY = /* GraphQL */ `
  query ($id: ID!) {
    changeRequest(id: $id) {
      history {
        action
        actor
        actorSchoolId
        actorRegionCode
      }
    }
  }
`;
const REPORT = /* GraphQL */ `
  query ($schoolId: ID, $regionCode: String) {
    monthlyReport(kind: PERSONAL_DATA, month: "2026-08", schoolId: $schoolId, regionCode: $regionCode) {
      scope
      rows {
        studentId
        fromSchoolId
      }
    }
  }
`;
type Report = { monthlyReport: { scope: string; rows: { studentId: string; fromSchoolId: string }[] } };

let s: Running;
beforeAll(async () => {
  s = await startStatusChange('hubei-shiyan', '2026-09-15');
  await s.publish('enrolment', schoolRegistered(zhangwan), schoolRegistered(zhangwanSecond), schoolRegistered(wuhan));
});
afterAll(() => s?.stop());

/** A formal student of the school, and a name correction for it submitted by its registrar (subject `registrar`). */
async function correction(school: TestSchool): Promise<{ studentId: string; id: string }> {
  const studentId = randomUUID();
  await s.publish('enrolment', ...formalStudent(school, studentId, '2026-03-01'));
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
    registrarOf(school),
  );
  expect(submitted.errors).toBeUndefined();
  return { studentId, id: submitted.data!.submitChangeRequest.id };
}

describe('withdrawChangeRequest checks the school as well as the submitter (ADM-2)', () => {
  it('a token of another school carrying the submitter’s subject is refused; the request stays PENDING', async () => {
    const { id } = await correction(zhangwan);
    const impostor = registrarOf(zhangwanSecond); // same subject `registrar`, another school
    const refused = await graphql(s.service.url, WITHDRAW, { id }, impostor);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' }); // out of scope (issue 10)
    expect(refused.errors?.[0]?.message).toMatch(/submitted/);
    const still = await graphql<{ changeRequest: { state: string } }>(
      s.service.url,
      REQUEST,
      { id },
      registrarOf(zhangwan),
    );
    expect(still.data!.changeRequest.state).toBe('PENDING');

    const withdrawn = await graphql<{ withdrawChangeRequest: { state: string } }>(
      s.service.url,
      WITHDRAW,
      { id },
      registrarOf(zhangwan),
    );
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.withdrawChangeRequest.state).toBe('WITHDRAWN');

    // The history says which school each registrar acted for, so one subject at two schools is told apart.
    const history = await graphql<{ changeRequest: { history: Record<string, unknown>[] } }>(
      s.service.url,
      HISTORY,
      { id },
      countyReviewer,
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!.changeRequest.history).toEqual([
      { action: 'SUBMIT', actor: 'registrar', actorSchoolId: zhangwan.schoolId, actorRegionCode: null },
      { action: 'WITHDRAW', actor: 'registrar', actorSchoolId: zhangwan.schoolId, actorRegionCode: null },
    ]);
  });
});

describe('a reviewer’s monthlyReport(schoolId) reports that school only (ADM-4)', () => {
  let own: string;
  let neighbour: string;
  beforeAll(async () => {
    const made: string[] = [];
    for (const school of [zhangwan, zhangwanSecond]) {
      const { studentId, id } = await correction(school);
      for (const token of [registrarOf(school), countyReviewer]) {
        const r = await graphql(s.service.url, APPROVE_CHANGE, { id }, token);
        expect(r.errors).toBeUndefined();
      }
      // Effective once enrolment, which owns personal data, applied it (SC-21).
      await s.publish('enrolment', correctionApplied(studentId, id, '学生甲', '2026-08-31'));
      made.push(studentId);
    }
    [own, neighbour] = made as [string, string];
  });

  it('schoolId: A gives A’s changes and not the other school’s of the same region', async () => {
    for (const reviewer of [countyReviewer, cityReviewer]) {
      const region = await graphql<Report>(s.service.url, REPORT, {}, reviewer);
      expect(region.data!.monthlyReport.rows.map((r) => r.studentId).sort()).toEqual([own, neighbour].sort());

      const a = await graphql<Report>(s.service.url, REPORT, { schoolId: zhangwan.schoolId }, reviewer);
      expect(a.errors).toBeUndefined();
      expect(a.data!.monthlyReport).toEqual({
        scope: zhangwan.schoolId,
        rows: [{ studentId: own, fromSchoolId: zhangwan.schoolId }],
      });
    }
    // The same rows the school's own registrar gets.
    const registrar = await graphql<Report>(s.service.url, REPORT, {}, registrarOf(zhangwan));
    expect(registrar.data!.monthlyReport.rows).toEqual([{ studentId: own, fromSchoolId: zhangwan.schoolId }]);
  });

  it('regionCode narrows further: the school must lie within it', async () => {
    const within = await graphql<Report>(
      s.service.url,
      REPORT,
      { schoolId: zhangwanSecond.schoolId, regionCode: '420302' },
      cityReviewer,
    );
    expect(within.data!.monthlyReport.rows).toEqual([{ studentId: neighbour, fromSchoolId: zhangwanSecond.schoolId }]);
    const outside = await graphql(
      s.service.url,
      REPORT,
      { schoolId: zhangwanSecond.schoolId, regionCode: '420303' },
      cityReviewer,
    );
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'regionCode' } });
  });

  it('a school outside the reviewer’s region, or unknown, is FORBIDDEN alike; a malformed id is BAD_USER_INPUT', async () => {
    for (const schoolId of [wuhan.schoolId, randomUUID()]) {
      const r = await graphql(s.service.url, REPORT, { schoolId }, countyReviewer);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const malformed = await graphql(s.service.url, REPORT, { schoolId: 'not-a-uuid' }, countyReviewer);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'schoolId' } });
  });
});
