/**
 * Rewards (AS-9), placement internships (AS-7) and hubei-shiyan's graduation inputs (AS-17) through the
 * running service (real PostgreSQL and Kafka), refusing and allowing per profile where values differ.
 */
import { randomUUID } from 'node:crypto';
import { graphql } from '@xueji/testkit';
import { ok, refusal, register } from './discipline-support';
import { deploy, newSchool, outboxEvents, registrarOf, type Deployment } from './results-support';

const RECORD_REWARD = `mutation ($input: RewardInput!) {
  recordReward(input: $input) { id level scope form title amountCny postingRef awardedOn } }`;
const PLACE = `mutation ($input: InternshipInput!) {
  placeInternship(input: $input) { id state employer post startsOn endsOn agreementRef } }`;
const ASSESS = `mutation ($input: InternshipAssessmentInput!) {
  assessInternship(input: $input) { id state assessedOn employerAssessmentRef schoolAssessmentRef } }`;
const INPUT = `mutation ($input: GraduationInputInput!) {
  recordGraduationInput(input: $input) { kind passed score heldOn ref } }`;
const ARCHIVE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Student {
  rewards { edges { node { title level } } }
  internships { edges { node { employer state } } }
  graduationInputs { kind passed score } } } }`;

const reward = (studentId: string, patch: Record<string, unknown> = {}) => ({
  input: {
    studentId,
    level: 'CITY',
    scope: 'OVERALL',
    form: 'TITLE',
    title: '三好学生',
    awardedBy: '市教育局',
    awardedOn: '2026-06-01',
    ...patch,
  },
});

const placement = (studentId: string, patch: Record<string, unknown> = {}) => ({
  input: {
    studentId,
    employer: '十堰东风汽车零部件有限公司',
    post: '装配工',
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    agreementRef: '三方协议-2027-001',
    appliedOn: '2026-12-01',
    planCompletedPercent: 70,
    ...patch,
  },
});

describe('national (today 2026-12-01)', () => {
  let d: Deployment;
  const school = newSchool('220102');
  const registrar = registrarOf(school.schoolId);
  const student = randomUUID();

  beforeAll(async () => {
    d = await deploy('national', '2026-12-01');
    await register(d, school, [{ id: student, birthDate: '2009-10-01' }]);
  });
  afterAll(() => d?.stop());

  it('AS-9: a city reward and a scholarship join the archive; an industry level is not national’s', async () => {
    ok(await graphql(d.service.url, RECORD_REWARD, reward(student), registrar));
    const scholarship = ok(
      await graphql<{ recordReward: { amountCny: number } }>(
        d.service.url,
        RECORD_REWARD,
        reward(student, {
          form: 'SCHOLARSHIP',
          title: '校长奖学金',
          level: 'SCHOOL',
          scope: 'SINGLE',
          amountCny: 1500,
          awardedOn: '2026-07-01',
        }),
        registrar,
      ),
    ).recordReward;
    expect(scholarship.amountCny).toBe(1500);
    expect(
      refusal(await graphql(d.service.url, RECORD_REWARD, reward(student, { level: 'INDUSTRY' }), registrar)),
    ).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'AS-9',
    });
  });

  it('AS-7: a placement without hubei-shiyan’s conditions; the joint assessment, a failure published', async () => {
    const placed = ok(
      await graphql<{ placeInternship: { id: string; state: string } }>(
        d.service.url,
        PLACE,
        placement(student, {
          appliedOn: null,
          planCompletedPercent: null,
          startsOn: '2026-09-01',
          endsOn: '2026-11-30',
        }),
        registrar,
      ),
    ).placeInternship;
    expect(placed.state).toBe('PLACED');
    const failed = ok(
      await graphql<{ assessInternship: { state: string } }>(
        d.service.url,
        ASSESS,
        {
          input: {
            id: placed.id,
            passed: false,
            assessedOn: '2026-12-01',
            employerAssessmentRef: 'E-1',
            schoolAssessmentRef: 'S-1',
          },
        },
        registrar,
      ),
    ).assessInternship;
    expect(failed.state).toBe('FAILED');
    expect(await outboxEvents(d, 'xueji.assessment.internship.assessed.v1')).toEqual([
      expect.objectContaining({ internshipId: placed.id, studentId: student, passed: false, assessedOn: '2026-12-01' }),
    ]);
    const again = await graphql(
      d.service.url,
      ASSESS,
      {
        input: {
          id: placed.id,
          passed: true,
          assessedOn: '2026-12-01',
          employerAssessmentRef: 'E',
          schoolAssessmentRef: 'S',
        },
      },
      registrar,
    );
    expect(refusal(again)).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'AS-7' });
  });

  it('AS-17: no graduation inputs outside hubei-shiyan', async () => {
    const input = {
      studentId: student,
      kind: 'CULTURE_SAMPLE_TEST',
      passed: true,
      score: 75,
      heldOn: '2026-06-10',
      ref: 'R',
    };
    expect(refusal(await graphql(d.service.url, INPUT, { input }, registrar))).toMatchObject({
      code: 'POLICY_VIOLATION',
      rule: 'AS-17',
    });
  });

  it('the archive shows rewards and internships', async () => {
    const response = await graphql<{
      _entities: {
        rewards: { edges: { node: { title: string } }[] };
        internships: { edges: { node: { state: string } }[] };
      }[];
    }>(d.service.url, ARCHIVE, { r: [{ __typename: 'Student', id: student }] }, registrar);
    const [archive] = ok(response)._entities;
    expect(archive!.rewards.edges.map((e) => e.node.title)).toEqual(['三好学生', '校长奖学金']);
    expect(archive!.internships.edges.map((e) => e.node.state)).toEqual(['FAILED']);
  });
});

describe('beijing (today 2026-12-01)', () => {
  let d: Deployment;
  const school = newSchool('110105');
  const registrar = registrarOf(school.schoolId);
  const student = randomUUID();

  beforeAll(async () => {
    d = await deploy('beijing', '2026-12-01');
    await register(d, school, [{ id: student, birthDate: '2009-10-01' }]);
  });
  afterAll(() => d?.stop());

  it('AS-9: an industry reward counts, a city one does not; every reward is posted publicly', async () => {
    const industry = reward(student, { level: 'INDUSTRY', title: '行业技能标兵' });
    expect(refusal(await graphql(d.service.url, RECORD_REWARD, industry, registrar))).toMatchObject({ rule: 'AS-9' });
    ok(
      await graphql(
        d.service.url,
        RECORD_REWARD,
        { input: { ...industry.input, postingRef: '公示-2026-06' } },
        registrar,
      ),
    );
    const city = reward(student, { postingRef: '公示' });
    expect(refusal(await graphql(d.service.url, RECORD_REWARD, city, registrar))).toMatchObject({ rule: 'AS-9' });
  });
});

describe('hubei-shiyan (today 2026-12-01)', () => {
  let d: Deployment;
  const school = newSchool('420302');
  const registrar = registrarOf(school.schoolId);
  const student = randomUUID();

  beforeAll(async () => {
    d = await deploy('hubei-shiyan', '2026-12-01');
    await register(d, school, [{ id: student, birthDate: '2009-10-01' }]);
  });
  afterAll(() => d?.stop());

  it('AS-7: 2/3 of the plan, applied 15 days ahead, at most a school year off campus', async () => {
    const early = placement(student, { planCompletedPercent: 60 });
    expect(refusal(await graphql(d.service.url, PLACE, early, registrar))).toMatchObject({ rule: 'AS-7' });
    const late = placement(student, { startsOn: '2026-12-10', endsOn: '2027-03-31', appliedOn: '2026-12-01' });
    expect(refusal(await graphql(d.service.url, PLACE, late, registrar))).toMatchObject({ rule: 'AS-7' });
    ok(await graphql(d.service.url, PLACE, placement(student, { endsOn: '2027-08-31' }), registrar));
    // Six months placed: another seven would pass a school year.
    const more = placement(student, { startsOn: '2027-09-01', endsOn: '2028-03-31' });
    expect(refusal(await graphql(d.service.url, PLACE, more, registrar))).toMatchObject({ rule: 'AS-7' });
  });

  it('AS-17: the culture sample test and the skills competition are recorded and published', async () => {
    const input = {
      studentId: student,
      kind: 'CULTURE_SAMPLE_TEST',
      passed: true,
      score: 78,
      heldOn: '2026-06-10',
      ref: '抽考-2026',
    };
    ok(await graphql(d.service.url, INPUT, { input }, registrar));
    ok(
      await graphql(
        d.service.url,
        INPUT,
        { input: { ...input, kind: 'SKILLS_COMPETITION', score: null, passed: false } },
        registrar,
      ),
    );
    const response = await graphql<{
      _entities: { graduationInputs: { kind: string; passed: boolean; score: number | null }[] }[];
    }>(d.service.url, ARCHIVE, { r: [{ __typename: 'Student', id: student }] }, registrar);
    expect(ok(response)._entities[0]!.graduationInputs).toEqual([
      { kind: 'CULTURE_SAMPLE_TEST', passed: true, score: 78 },
      { kind: 'SKILLS_COMPETITION', passed: false, score: null },
    ]);
    expect(await outboxEvents(d, 'xueji.assessment.graduation-input.recorded.v1')).toEqual([
      expect.objectContaining({ studentId: student, kind: 'CULTURE_SAMPLE_TEST', passed: true, score: 78 }),
      expect.objectContaining({ studentId: student, kind: 'SKILLS_COMPETITION', passed: false, score: null }),
    ]);
    const bad = await graphql(d.service.url, INPUT, { input: { ...input, score: 120 } }, registrar);
    expect(refusal(bad)).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
