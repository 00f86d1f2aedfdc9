/**
 * GR-1 … GR-6 by id, per profile where their values differ: the pure audit and issuing rules, no I/O.
 */
import { randomUUID } from 'node:crypto';
import { loadPolicyProfile } from '@xueji/policy';
import {
  auditGraduation,
  certificateNumber,
  checkVerificationWindow,
  DIPLOMA_NUMBER_PATTERNS,
  graduationWindow,
  leavingCertificates,
  parseBatch,
  sequenceCapacity,
  sequenceScope,
  statedDuration,
  type GraduationFacts,
  type NumberingFacts,
} from '../src/domain';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');

/** A regular full-time student of a 3-year plan entered 2026-09-01, passing everything the baseline asks. */
function student(overrides: Partial<GraduationFacts> = {}): GraduationFacts {
  return {
    studentId: randomUUID(),
    schoolId: randomUUID(),
    status: 'ACTIVE',
    registrationApproved: true,
    entryDate: '2026-09-01',
    studyForm: 'FULL_TIME',
    programme: 'REGULAR',
    expectedYears: 3,
    majorCode: '710201',
    results: {
      coursesPassed: 30,
      coursesFailed: 0,
      coursesOutstanding: 0,
      creditsEarned: 170,
      creditsRequired: 170,
      pePassed: true,
    },
    conduct: [
      { period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' },
      { period: 'GRADUATION', term: null, grade: 'EXCELLENT' },
    ],
    internships: [{ passed: true, assessedOn: '2029-05-20' }],
    extraInputs: [],
    heldCertificates: [],
    sanctionsInForce: [],
    completionIssuedOn: null,
    approvedRecords: [],
    ...overrides,
  };
}

const ON_TIME = '2029-06-20';
const lacking = (facts: GraduationFacts, profile = national, today = ON_TIME) =>
  auditGraduation(facts, profile, today).lacking;
const outcome = (facts: GraduationFacts, profile = national, today = ON_TIME) =>
  auditGraduation(facts, profile, today).outcome;

describe('GR-1: graduation conditions, per profile as data', () => {
  it('baseline: conduct, results or credits, internship — met: GRADUATE, each condition with its rule and facts', () => {
    const audit = auditGraduation(student(), national, ON_TIME);
    expect(audit.outcome).toBe('GRADUATE');
    expect(audit.conditions.map((c) => [c.condition, c.rule, c.met])).toEqual([
      ['STATUS', 'GR-1', true],
      ['CONDUCT', 'GR-1', true],
      ['RESULTS', 'GR-1', true],
      ['INTERNSHIP', 'GR-1', true],
      ['DURATION', 'GR-2', true],
    ]);
    expect(audit.conditions.find((c) => c.condition === 'RESULTS')!.facts).toMatchObject({
      coursesFailed: 0,
      allPassed: true,
      creditsMet: true,
    });
  });

  it('all courses passed OR credits met: either suffices; neither does not', () => {
    const credits = {
      coursesPassed: 28,
      coursesFailed: 2,
      coursesOutstanding: 0,
      creditsEarned: 170,
      creditsRequired: 170,
      pePassed: true,
    };
    expect(lacking(student({ results: credits }))).toEqual([]);
    const courses = { ...credits, coursesFailed: 0, creditsEarned: 100 };
    expect(lacking(student({ results: courses }))).toEqual([]);
    expect(lacking(student({ results: { ...credits, creditsEarned: 150 } }))).toEqual(['RESULTS']);
    expect(lacking(student({ results: null }))).toEqual(['RESULTS']);
  });

  it('sanctions in force are shown with conduct, not judged', () => {
    const audit = auditGraduation(student({ sanctionsInForce: ['DEMERIT'] }), national, ON_TIME);
    expect(audit.outcome).toBe('GRADUATE');
    expect(audit.conditions.find((c) => c.condition === 'CONDUCT')!.facts).toMatchObject({
      sanctionsInForce: ['DEMERIT'],
    });
  });

  it('conduct: a failed evaluation, or none at all, is unmet', () => {
    expect(lacking(student({ conduct: [{ period: 'SEMESTER', term: '2027-2028-2', grade: 'FAIL' }] }))).toEqual([
      'CONDUCT',
    ]);
    expect(lacking(student({ conduct: [] }))).toEqual(['CONDUCT']);
  });

  it('internship (AS-7): the latest assessment must have passed; a failed or missing one bars the diploma', () => {
    expect(lacking(student({ internships: [{ passed: false, assessedOn: '2029-05-20' }] }))).toEqual(['INTERNSHIP']);
    expect(lacking(student({ internships: [] }))).toEqual(['INTERNSHIP']);
    expect(
      lacking(
        student({
          internships: [
            { passed: true, assessedOn: '2029-05-20' },
            { passed: false, assessedOn: '2029-01-10' },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('status: a withdrawn student does not graduate', () => {
    expect(lacking(student({ status: 'WITHDRAWN' }))).toEqual(['STATUS']);
    expect(outcome(student({ status: 'WITHDRAWN' }))).toBe('NOT_YET');
  });

  it('jilin: the registration must be approved (the baseline does not ask)', () => {
    const unapproved = student({ registrationApproved: false });
    expect(lacking(unapproved, jilin)).toEqual(['REGISTRATION']);
    expect(lacking(unapproved, national)).toEqual([]);
  });

  it('jilin: every registration, transfer-in, resumption, major-change and data-change record approved in time (GR-1; ADM-3, SC-22)', () => {
    const registration = {
      kind: 'REGISTRATION' as const,
      submittedOn: '2026-09-05',
      approvedOn: '2026-09-28',
      inTime: true,
    };
    const lateResumption = {
      kind: 'RESUMPTION' as const,
      submittedOn: '2027-03-20',
      approvedOn: '2027-04-02',
      inTime: false,
    };
    const inTime = student({
      approvedRecords: [registration, { ...lateResumption, approvedOn: '2027-03-30', inTime: true }],
    });
    expect(lacking(inTime, jilin)).toEqual([]);
    const check = auditGraduation(inTime, jilin, ON_TIME).conditions.find((c) => c.condition === 'RECORDS_IN_TIME')!;
    expect(check).toMatchObject({ rule: 'GR-1', met: true, facts: { records: 2, late: [], notKnown: 0 } });

    const late = student({ approvedRecords: [registration, lateResumption] });
    const audit = auditGraduation(late, jilin, ON_TIME);
    expect(audit.lacking).toEqual(['RECORDS_IN_TIME']);
    // Not results, credits or conduct: not a completion either.
    expect(audit.outcome).toBe('NOT_YET');
    expect(audit.conditions.find((c) => c.condition === 'RECORDS_IN_TIME')).toMatchObject({
      rule: 'GR-1',
      met: false,
      facts: { late: [{ kind: 'RESUMPTION', submittedOn: '2027-03-20', approvedOn: '2027-04-02' }] },
    });

    // Published before the producers said: not known late, counted apart.
    const unknown = student({
      approvedRecords: [{ kind: 'TRANSFER', submittedOn: null, approvedOn: null, inTime: null }],
    });
    expect(lacking(unknown, jilin)).toEqual([]);
    expect(
      auditGraduation(unknown, jilin, ON_TIME).conditions.find((c) => c.condition === 'RECORDS_IN_TIME')!.facts,
    ).toMatchObject({ notKnown: 1, late: [] });

    // The other profiles do not ask.
    for (const profile of [national, beijing, fujian, shiyan]) {
      const conditions = auditGraduation(late, profile, ON_TIME).conditions.map((c) => c.condition);
      expect(conditions).not.toContain('RECORDS_IN_TIME');
    }
    expect(outcome(late, national)).toBe('GRADUATE');
  });

  it('fujian: PE passed and a vocational qualification or skill certificate held (not asked elsewhere)', () => {
    const noPeNoCert = student({
      results: {
        coursesPassed: 30,
        coursesFailed: 0,
        coursesOutstanding: 0,
        creditsEarned: 170,
        creditsRequired: 170,
        pePassed: false,
      },
    });
    expect(lacking(noPeNoCert, fujian)).toEqual(['PE', 'CERTIFICATE']);
    expect(lacking(noPeNoCert, national)).toEqual([]);
    const ok = student({ heldCertificates: [{ kind: 'SKILL_CERTIFICATE', number: 'S-1' }] });
    expect(lacking(ok, fujian)).toEqual([]);
  });

  it('hubei-shiyan: the roster, the culture sample test and the skills competition (AS-17)', () => {
    expect(lacking(student(), shiyan)).toEqual(['SAMPLE_TEST', 'SKILLS_COMPETITION']);
    const inputs = student({
      extraInputs: [
        { kind: 'CULTURE_SAMPLE_TEST', passed: true },
        { kind: 'SKILLS_COMPETITION', passed: false },
      ],
    });
    expect(lacking(inputs, shiyan)).toEqual(['SKILLS_COMPETITION']);
    expect(lacking({ ...inputs, registrationApproved: false }, shiyan)).toEqual(['REGISTRATION', 'SKILLS_COMPETITION']);
    expect(lacking(student(), national)).toEqual([]);
  });

  it('beijing: the appraisal at graduation is required (AS-2), and integrated students graduate after the vocational stage', () => {
    const noAppraisal = student({ conduct: [{ period: 'YEAR', term: '2026-2027', grade: null }] });
    expect(lacking(noAppraisal, beijing)).toEqual(['CONDUCT']);
    expect(lacking(noAppraisal, national)).toEqual([]);
    const integrated = student({ programme: 'INTEGRATED', expectedYears: 5 });
    // Three years in: beijing's vocational stage is over; elsewhere the five-year plan is not.
    expect(lacking(integrated, beijing)).toEqual([]);
    expect(lacking(integrated, national)).toEqual(['DURATION']);
  });
});

describe('GR-2: early graduation at most one year, late graduation within the cap', () => {
  it('one year early: allowed in jilin and fujian, not in the baseline', () => {
    const early = '2028-06-20';
    expect(auditGraduation(student(), jilin, early)).toMatchObject({ outcome: 'GRADUATE', early: true });
    expect(lacking(student(), fujian, early)).toEqual(['CERTIFICATE']);
    expect(lacking(student(), national, early)).toEqual(['DURATION']);
    // More than a year early: refused everywhere.
    expect(lacking(student(), jilin, '2027-12-20')).toEqual(['DURATION']);
  });

  it('late: jilin 3 years, fujian 4 years after the plan ends; the baseline sets no cap', () => {
    const threeAndAHalfLate = '2033-03-01';
    expect(lacking(student(), jilin, threeAndAHalfLate)).toEqual(['DURATION']);
    const fujianStudent = student({ heldCertificates: [{ kind: 'VOCATIONAL_QUALIFICATION', number: 'V-1' }] });
    expect(auditGraduation(fujianStudent, fujian, threeAndAHalfLate)).toMatchObject({
      outcome: 'GRADUATE',
      late: true,
    });
    expect(lacking(fujianStudent, fujian, '2033-09-02')).toEqual(['DURATION']);
    expect(lacking(student(), national, '2040-01-01')).toEqual([]);
    expect(graduationWindow(student(), jilin)).toEqual({
      planEnd: '2029-09-01',
      onTimeFrom: '2029-03-01',
      earliest: '2028-03-01',
      latest: '2032-09-01',
    });
  });

  it('flexible study: between ENR-13’s shortest and longest length (fujian 2–7 years)', () => {
    const flexible = student({
      studyForm: 'FLEXIBLE',
      heldCertificates: [{ kind: 'SKILL_CERTIFICATE', number: 'S-2' }],
    });
    expect(graduationWindow(flexible, fujian)).toMatchObject({ earliest: '2028-03-01', latest: '2033-09-01' });
    expect(lacking(flexible, fujian, '2028-06-20')).toEqual([]);
    expect(lacking(flexible, national, '2028-06-20')).toEqual(['DURATION']); // national: at least 3 years
  });
});

describe('GR-5: flexible-study diplomas state the study form and duration (jilin)', () => {
  it('jilin states it; the baseline does not; a full-time diploma never does', () => {
    const flexible = student({ studyForm: 'FLEXIBLE', entryDate: '2026-09-01' });
    expect(statedDuration(flexible, jilin, '2029-03-01')).toBe('弹性学习 2年6个月 / flexible study, 2 years 6 months');
    expect(statedDuration(flexible, national, '2029-03-01')).toBeNull();
    expect(statedDuration(student(), jilin, '2029-03-01')).toBeNull();
  });
});

describe('GR-6: completion (结业) and its exchange', () => {
  it('short of results or conduct at the end: COMPLETION; short of anything else, or before the end: NOT_YET', () => {
    const shortOfCredits = student({
      results: {
        coursesPassed: 25,
        coursesFailed: 5,
        coursesOutstanding: 0,
        creditsEarned: 140,
        creditsRequired: 170,
        pePassed: true,
      },
    });
    expect(outcome(shortOfCredits)).toBe('COMPLETION');
    expect(outcome(shortOfCredits, national, '2028-12-01')).toBe('NOT_YET'); // not at the end of the plan
    expect(outcome({ ...shortOfCredits, internships: [] })).toBe('NOT_YET');
    expect(outcome({ ...shortOfCredits, status: 'SUSPENDED' })).toBe('NOT_YET');
  });

  it('the exchange: a completed student with the make-ups passed graduates; beijing only within 3 years', () => {
    const completed = student({ status: 'COMPLETED', completionIssuedOn: '2029-07-01' });
    expect(auditGraduation(completed, national, '2035-01-01')).toMatchObject({ outcome: 'GRADUATE', exchange: true });
    expect(auditGraduation(completed, beijing, '2032-06-30')).toMatchObject({ outcome: 'GRADUATE', exchange: true });
    const late = auditGraduation(completed, beijing, '2032-07-02');
    expect(late.outcome).toBe('NOT_YET');
    expect(late.conditions.find((c) => c.condition === 'DURATION')).toMatchObject({ rule: 'GR-6', met: false });
    // Without a completion certificate a COMPLETED status is no status to graduate from.
    expect(lacking(student({ status: 'COMPLETED' }))).toEqual(['STATUS']);
  });
});

describe('GR-7 / SC-18: leaving early', () => {
  const passing = {
    coursesPassed: 12,
    coursesFailed: 0,
    coursesOutstanding: 0,
    creditsEarned: 60,
    creditsRequired: 170,
    pePassed: true,
  };
  it('every profile: a factual study record stating the period and what was passed', () => {
    for (const profile of [national, jilin, beijing, fujian, shiyan]) {
      const certificates = leavingCertificates(student({ results: passing }), profile, '2027-12-01');
      expect(certificates[0]).toEqual({
        kind: 'STUDY_RECORD',
        stated: expect.stringContaining('2026-09-01 至 2027-12-01 在校学习 1年3个月，合格课程 12 门，学分 60'),
      });
    }
  });
  it('fujian: a partial-study certificate after at least a year with passing results, stating the years; not elsewhere', () => {
    expect(leavingCertificates(student({ results: passing }), fujian, '2027-12-01').map((c) => c.kind)).toEqual([
      'STUDY_RECORD',
      'PARTIAL_STUDY',
    ]);
    expect(leavingCertificates(student({ results: passing }), fujian, '2027-12-01')[1]!.stated).toBe(
      '肄业 1年3个月 / partial study, 1 year 3 months',
    );
    // Less than a year, or a failed course: the study record only.
    expect(leavingCertificates(student({ results: passing }), fujian, '2027-06-30').map((c) => c.kind)).toEqual([
      'STUDY_RECORD',
    ]);
    expect(
      leavingCertificates(student({ results: { ...passing, coursesFailed: 1 } }), fujian, '2027-12-01').map(
        (c) => c.kind,
      ),
    ).toEqual(['STUDY_RECORD']);
    expect(leavingCertificates(student({ results: passing }), national, '2027-12-01').map((c) => c.kind)).toEqual([
      'STUDY_RECORD',
    ]);
  });
  it('nothing for a student whose registration was never approved', () => {
    expect(leavingCertificates(student({ registrationApproved: false }), fujian, '2027-12-01')).toEqual([]);
  });
});

describe('GR-3: verification windows', () => {
  const spring = parseBatch('2029-spring')!;
  const autumn = parseBatch('2029-autumn')!;
  it('fujian: spring by mid-May, autumn by mid-August', () => {
    expect(checkVerificationWindow(fujian, spring, '2029-05-15', false)).toEqual([]);
    expect(checkVerificationWindow(fujian, spring, '2029-05-16', false)).toEqual([
      expect.objectContaining({ rule: 'GR-3', field: 'term' }),
    ]);
    expect(checkVerificationWindow(fujian, autumn, '2029-08-15', false)).toEqual([]);
    expect(checkVerificationWindow(fujian, autumn, '2029-08-16', true)).toHaveLength(1);
  });
  it('hubei-shiyan: June–July only; a school may submit before June', () => {
    expect(checkVerificationWindow(shiyan, spring, '2029-05-31', false)).toHaveLength(1);
    expect(checkVerificationWindow(shiyan, spring, '2029-05-31', true)).toEqual([]);
    expect(checkVerificationWindow(shiyan, spring, '2029-06-01', false)).toEqual([]);
    expect(checkVerificationWindow(shiyan, spring, '2029-08-01', false)).toHaveLength(1);
  });
  it('the baseline, jilin and beijing: any time', () => {
    for (const profile of [national, jilin, beijing])
      expect(checkVerificationWindow(profile, spring, '2029-12-31', false)).toEqual([]);
  });
  it('a batch is YYYY-spring or YYYY-autumn', () => {
    expect(parseBatch('2029-summer')).toBeNull();
    expect(parseBatch('29-spring')).toBeNull();
  });
});

describe('GR-4: diploma numbers per profile', () => {
  const facts: NumberingFacts = {
    kind: 'DIPLOMA',
    year: 2029,
    schoolId: '6f1e3b2a-0000-4000-8000-000000000001',
    schoolCode: '3501234567',
    authorityRegionCode: '350102',
  };
  it('fujian: 12 digits, YYYY + the last four digits of the school’s provincial code + a school sequence', () => {
    const number = certificateNumber('FUJIAN_12_DIGIT', facts, 7);
    expect(number).toBe('202945670007');
    expect(number).toMatch(DIPLOMA_NUMBER_PATTERNS.FUJIAN_12_DIGIT);
    expect(sequenceScope('FUJIAN_12_DIGIT', facts)).toBe(`DIPLOMA:FUJIAN_12_DIGIT:2029:school:${facts.schoolId}`);
    expect(sequenceCapacity('FUJIAN_12_DIGIT')).toBe(9999);
  });
  it('beijing: one city-wide sequence a year', () => {
    expect(certificateNumber('CITY_WIDE', facts, 123)).toBe('202900000123');
    expect(sequenceScope('CITY_WIDE', facts)).toBe('DIPLOMA:CITY_WIDE:2029:city');
    expect(sequenceScope('CITY_WIDE', { ...facts, schoolId: randomUUID() })).toBe(sequenceScope('CITY_WIDE', facts));
  });
  it('national: YYYY + the authority’s region + its sequence: unique in the country', () => {
    expect(certificateNumber('NATIONAL', facts, 42)).toBe('2029350102000042');
    expect(certificateNumber('NATIONAL', facts, 42)).toMatch(DIPLOMA_NUMBER_PATTERNS.NATIONAL);
    expect(sequenceScope('NATIONAL', facts)).toBe('DIPLOMA:NATIONAL:2029:350102');
  });
  it('other certificates: their own sequences and prefixes (结业 JY, 写实性学习证明 XS, 肄业 YY)', () => {
    const completion = { ...facts, kind: 'COMPLETION' as const };
    expect(certificateNumber('FUJIAN_12_DIGIT', completion, 1)).toBe('JY202945670001');
    expect(sequenceScope('FUJIAN_12_DIGIT', completion)).not.toBe(sequenceScope('FUJIAN_12_DIGIT', facts));
    expect(certificateNumber('NATIONAL', { ...facts, kind: 'STUDY_RECORD' }, 3)).toBe('XS2029350102000003');
    expect(certificateNumber('FUJIAN_12_DIGIT', { ...facts, kind: 'PARTIAL_STUDY' }, 2)).toBe('YY202945670002');
  });
});
