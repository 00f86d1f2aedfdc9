import { loadPolicyProfile, PROFILE_IDS, type PolicyProfile } from '@xueji/policy';
import { checkChange, type ChangeRequestFacts, type StudentFacts } from '../src/domain';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');
const every = PROFILE_IDS.map((id) => loadPolicyProfile(id));

// Entered autumn 2025 (semesters start 09-01 and 03-01): year 1 until 2026-09-01, graduating year from 2027-09-01.
const student: StudentFacts = {
  status: 'ACTIVE',
  entryDate: '2025-09-01',
  expectedYears: 3,
  studyForm: 'FULL_TIME',
  programme: 'REGULAR',
  majorCode: '710201',
  majorCategoryCode: '71',
  agricultureRelated: false,
  hadTuitionWaiver: false,
  suspensions: [],
  age: 16,
};
const base: Pick<ChangeRequestFacts, 'today' | 'stage' | 'effectiveDate' | 'evidenceRefs'> = {
  today: '2026-02-20',
  stage: 'SUBMISSION',
  effectiveDate: '2026-03-01',
  evidenceRefs: [],
};

type Req = Partial<ChangeRequestFacts>;
const rules = (r: ChangeRequestFacts, profile: PolicyProfile = national, s: Partial<StudentFacts> = {}) =>
  checkChange(r, { ...student, ...s }, profile).map((v) => v.rule);

const transfer = (t: Partial<NonNullable<ChangeRequestFacts['transfer']>> = {}, r: Req = {}): ChangeRequestFacts => ({
  ...base,
  kind: 'TRANSFER',
  transfer: { ground: 'HOUSEHOLD_MOVE', direction: 'OUT_AND_IN', toSameProvince: true, toSameCity: true, ...t },
  ...r,
});
const majorChange = (
  m: Partial<NonNullable<ChangeRequestFacts['majorChange']>> = {},
  r: Req = {},
): ChangeRequestFacts => ({
  ...base,
  kind: 'MAJOR_CHANGE',
  majorChange: { ground: 'APTITUDE_OR_INTEREST', toMajorCode: '710202', toMajorCategoryCode: '71', ...m },
  ...r,
});
const suspension = (
  s: Partial<NonNullable<ChangeRequestFacts['suspension']>> = {},
  r: Req = {},
): ChangeRequestFacts => ({
  ...base,
  kind: 'SUSPENSION',
  suspension: { ground: 'PERSONAL_LEAVE', months: 12, ...s },
  ...r,
});
const resumption = (r: Req = {}): ChangeRequestFacts => ({
  ...base,
  kind: 'RESUMPTION',
  today: '2026-08-20',
  effectiveDate: '2026-09-01',
  resumption: {},
  ...r,
});
const withdrawal = (
  w: Partial<NonNullable<ChangeRequestFacts['withdrawal']>> = {},
  r: Req = {},
): ChangeRequestFacts => ({
  ...base,
  kind: 'WITHDRAWAL',
  withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: 'docs/application.pdf', ...w },
  ...r,
});
/** A REPEAT judged by assessment's fact (SC-11): failed of total courses after make-ups, or no fact (null). */
const repeat = (failedCourses: number | null, totalCourses = 12, creditSystemSchool = false): ChangeRequestFacts => ({
  ...base,
  kind: 'REPEAT',
  effectiveDate: '2026-09-01',
  repeat: {
    creditSystemSchool,
    fact: failedCourses === null ? null : { studyYear: 1, failedCourses, totalCourses },
  },
});
const suspended = (months: number, ground: 'ILLNESS' | 'PERSONAL_LEAVE' | 'MILITARY_SERVICE' = 'PERSONAL_LEAVE') => ({
  status: 'SUSPENDED' as const,
  suspensions: [{ from: '2026-03-01', to: addMonthsIso('2026-03-01', months), ground }],
});
function addMonthsIso(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

describe('status-change rules', () => {
  it('allows ordinary, timely requests under every profile', () => {
    for (const profile of every) {
      expect(rules(majorChange(), profile)).toEqual([]);
      expect(rules(suspension(), profile)).toEqual([]);
      expect(rules(withdrawal(), profile)).toEqual([]);
      // jilin wants the application a month ahead, beijing within the two weeks before: no one day suits both
      const today = profile.id === 'jilin' ? '2026-08-01' : '2026-08-20';
      expect(rules(resumption({ today }), profile, suspended(6))).toEqual([]);
    }
    expect(rules(transfer())).toEqual([]);
    expect(rules(transfer(), jilin)).toEqual([]);
    expect(rules(transfer(), beijing)).toEqual([]);
    expect(rules(transfer({}, { today: '2026-03-10' }), fujian)).toEqual([]);
    expect(rules(transfer(), shiyan)).toEqual([]);
  });

  it('SC-1: jilin refuses transfer, change of major and suspension to flexible-study students; other profiles allow them', () => {
    const flexible = { studyForm: 'FLEXIBLE' as const };
    expect(rules(transfer(), jilin, flexible)).toEqual(['SC-1']);
    expect(rules(majorChange(), jilin, flexible)).toEqual(['SC-1']);
    expect(rules(suspension(), jilin, flexible)).toEqual(['SC-1']);
    expect(rules(withdrawal(), jilin, flexible)).toEqual([]);
    expect(rules(transfer(), national, flexible)).toEqual([]);
    expect(rules(suspension(), fujian, flexible)).toEqual([]);
  });

  it('SC-2: transfer grounds — jilin household/family/personal wish; beijing and fujian a proper reason, evidenced', () => {
    expect(rules(transfer({ ground: 'PERSONAL_WISH' }), jilin)).toEqual([]);
    expect(rules(transfer({ ground: 'NO_FOLLOW_ON_CLASS' }), jilin)).toEqual(['SC-2']);
    expect(rules(transfer({ ground: 'PERSONAL_WISH' }), beijing)).toEqual(['SC-2']);
    expect(rules(transfer({ ground: 'NO_FOLLOW_ON_CLASS' }), beijing)).toEqual([]);
    expect(rules(transfer({ ground: 'OTHER' }), beijing)).toEqual(['SC-2']);
    expect(rules(transfer({ ground: 'OTHER' }, { evidenceRefs: ['docs/reason.pdf'] }), beijing)).toEqual([]);
    expect(rules(transfer({ ground: 'PERSONAL_WISH' }, { today: '2026-03-10' }), fujian)).toEqual(['SC-2']);
    expect(rules(transfer({ ground: 'PERSONAL_WISH' }))).toEqual([]);
    const refused = checkChange(transfer({ ground: 'NO_FOLLOW_ON_CLASS' }), student, jilin)[0];
    expect(refused?.field).toBe('transfer.ground');
    expect(refused?.message.zh).toContain('户籍迁移');
  });

  it('SC-4: no transfer in the first semester, in the graduating year or while suspended (fujian too)', () => {
    expect(rules(transfer({}, { effectiveDate: '2025-12-01' }))).toEqual(['SC-4']);
    expect(rules(transfer({}, { effectiveDate: '2027-09-01', today: '2027-08-20' }))).toEqual(['SC-4']);
    expect(rules(transfer({}, { effectiveDate: '2027-03-01', today: '2027-02-20' }))).toEqual([]);
    expect(rules(transfer(), national, { status: 'SUSPENDED' })).toEqual(['SC-4']);
    const first = transfer({}, { today: '2025-09-20', effectiveDate: '2025-09-20' });
    expect(rules(first, fujian)).toEqual(['SC-4']);
    expect(rules(transfer({}, { today: '2027-09-10', effectiveDate: '2027-09-10' }), fujian)).toEqual(['SC-4']);
    expect(rules(transfer({}, { today: '2026-03-10', effectiveDate: '2026-03-10' }), fujian)).toEqual([]);
  });

  it('SC-5: jilin only at semester start; beijing applied before the start; fujian within its first month', () => {
    expect(rules(transfer({}, { effectiveDate: '2026-03-15' }), jilin)).toEqual(['SC-5']);
    expect(rules(transfer({}, { effectiveDate: '2026-03-01' }), jilin)).toEqual([]);
    expect(rules(transfer({}, { effectiveDate: '2026-03-15' }))).toEqual([]);
    expect(rules(transfer({}, { today: '2026-03-01' }), beijing)).toEqual(['SC-5']);
    expect(rules(transfer({}, { today: '2026-03-01', stage: 'APPROVAL' }), beijing)).toEqual([]);
    expect(rules(transfer({}, { effectiveDate: '2026-03-10' }), beijing)).toEqual(['SC-5']);
    expect(rules(transfer({}, { today: '2026-02-20' }), fujian)).toEqual(['SC-5']);
    expect(rules(transfer({}, { today: '2026-03-31' }), fujian)).toEqual([]);
    expect(rules(transfer({}, { today: '2026-04-01' }), fujian)).toEqual(['SC-5']);
    // beijing holds changes of major to the same timing (002 §18)
    expect(rules(majorChange({}, { effectiveDate: '2026-02-25' }), beijing)).toEqual(['SC-5']);
    expect(rules(majorChange({}, { effectiveDate: '2026-02-25' }), jilin)).toEqual([]);
  });

  it('SC-6: general high-school students study at least 1.5 years here; beijing not into the graduating year; shiyan diverts after 1.5 years', () => {
    const hs = (months = 6) => ({ fromGeneralHighSchool: true, highSchoolMonthsStudied: months });
    const pending = { status: 'REGISTRATION_PENDING' as const };
    expect(rules(transfer(hs(), { today: '2027-02-20', effectiveDate: '2027-03-01' }), national, pending)).toEqual([]);
    expect(rules(transfer(hs(), { today: '2027-08-20', effectiveDate: '2027-09-01' }), national, pending)).toEqual([
      'SC-6',
    ]);
    const late = checkChange(transfer(hs(), { today: '2027-08-20', effectiveDate: '2027-09-01' }), student, beijing);
    expect(late.map((v) => v.rule)).toEqual(['SC-6', 'SC-6']);
    expect(late[1].message.en).toMatch(/graduating year/);
    expect(rules(transfer(hs(18)), shiyan)).toEqual(['SC-6']);
    expect(rules(transfer(hs(12)), shiyan)).toEqual([]);
    expect(rules(transfer(hs(18)), national)).toEqual([]);
  });

  it('SC-7: beijing integrated-programme (贯通) students may not transfer; elsewhere and 3+2 students may', () => {
    expect(rules(transfer(), beijing, { programme: 'INTEGRATED' })).toEqual(['SC-7']);
    expect(rules(transfer(), beijing, { programme: 'THREE_PLUS_TWO' })).toEqual([]);
    expect(rules(transfer(), national, { programme: 'INTEGRATED' })).toEqual([]);
  });

  it('SC-8: change-of-major grounds; illness or disability needs a hospital certificate (beijing grade 2A)', () => {
    expect(rules(majorChange({ ground: 'OTHER' }))).toEqual(['SC-8']);
    expect(rules(majorChange({ ground: 'OTHER' }, { evidenceRefs: ['docs/reason.pdf'] }), fujian)).toEqual([]);
    expect(rules(majorChange({ ground: 'MAJOR_DISCONTINUED' }), jilin)).toEqual([]);
    expect(rules(majorChange({ ground: 'ILLNESS_OR_DISABILITY' }), jilin)).toEqual(['SC-8']);
    const illness = checkChange(majorChange({ ground: 'ILLNESS_OR_DISABILITY' }), student, beijing);
    expect(illness).toEqual([expect.objectContaining({ rule: 'SC-8', field: 'evidenceRefs' })]);
    expect(illness[0].message.zh).toContain('二级甲等');
    const certified = majorChange({ ground: 'ILLNESS_OR_DISABILITY' }, { evidenceRefs: ['docs/hospital.pdf'] });
    expect(rules(certified, beijing)).toEqual([]);
    expect(rules(majorChange({ toMajorCode: '710201' }))).toEqual(['SC-8']);
  });

  it('SC-9: across categories by the end of year 1 semester 1, within by the end of year 2 semester 1, never in the graduating year; fujian year 1 only', () => {
    const across = (effectiveDate: string) =>
      majorChange({ toMajorCode: '720101', toMajorCategoryCode: '72' }, { effectiveDate, today: effectiveDate });
    const within = (effectiveDate: string) => majorChange({}, { effectiveDate, today: effectiveDate });
    expect(rules(across('2026-03-01'))).toEqual([]);
    expect(rules(across('2026-03-02'))).toEqual(['SC-9']);
    expect(rules(within('2027-03-01'))).toEqual([]);
    expect(rules(within('2027-04-01'))).toEqual(['SC-9']);
    expect(rules(within('2027-10-01'))).toEqual(['SC-9']);
    expect(checkChange(within('2027-10-01'), student, national)[0].message.en).toMatch(/graduating year/);
    expect(rules(within('2026-09-01'), fujian)).toEqual([]);
    expect(rules(within('2026-10-01'), fujian)).toEqual(['SC-9']);
    expect(rules(across('2026-06-01'), fujian)).toEqual([]);
    expect(rules(across('2026-06-01'), jilin)).toEqual(['SC-9']);
  });

  it('SC-10: agriculture-related majors that had the waiver: jilin only with provincial approval, beijing never, national no rule', () => {
    const farm = { agricultureRelated: true, hadTuitionWaiver: true };
    expect(rules(majorChange(), jilin, farm)).toEqual(['SC-10']);
    expect(rules(majorChange({ provincialApproval: true }), jilin, farm)).toEqual([]);
    expect(rules(majorChange({ provincialApproval: true }), beijing, farm)).toEqual(['SC-10']);
    expect(rules(majorChange(), beijing, { agricultureRelated: true, hadTuitionWaiver: false })).toEqual([]);
    expect(rules(majorChange(), national, farm)).toEqual([]);
  });

  it('SC-11: beijing repeats at ≥ 1/3 failed courses; credit-system schools do not repeat; fujian never (credit system)', () => {
    expect(rules(repeat(4, 12), beijing)).toEqual([]);
    expect(rules(repeat(3, 12), beijing)).toEqual(['SC-11']);
    expect(rules(repeat(1, 12), jilin)).toEqual([]); // the school's own rule
    expect(rules(repeat(6, 12, true), national)).toEqual(['SC-11']);
    expect(rules(repeat(6, 12), fujian)).toEqual(['SC-11']);
    // No fact from assessment yet: refused, whatever the profile.
    expect(rules(repeat(null), beijing)).toEqual(['SC-11']);
    expect(rules(repeat(null), jilin)).toEqual(['SC-11']);
  });

  it('SC-12: suspension grounds per profile; illness needs a hospital certificate; fujian work after a year and aged 16', () => {
    expect(rules(suspension({ ground: 'ABROAD' }), beijing)).toEqual([]);
    expect(rules(suspension({ ground: 'ABROAD' }), jilin)).toEqual(['SC-12']);
    expect(rules(suspension({ ground: 'ABROAD' }), fujian)).toEqual(['SC-12']);
    expect(rules(suspension({ ground: 'ILLNESS' }))).toEqual(['SC-12']);
    expect(rules(suspension({ ground: 'ILLNESS' }, { evidenceRefs: ['docs/diagnosis.pdf'] }))).toEqual([]);
    const work = (effectiveDate: string) => suspension({ ground: 'WORK' }, { effectiveDate, today: effectiveDate });
    expect(rules(work('2026-09-01'), fujian)).toEqual([]);
    expect(rules(work('2026-03-01'), fujian)).toEqual(['SC-12']);
    expect(rules(work('2026-09-01'), fujian, { age: 15 })).toEqual(['SC-12']);
    expect(rules(work('2026-09-01'), fujian, { age: null })).toEqual(['SC-12']);
    expect(rules(work('2026-09-01'), jilin)).toEqual(['SC-12']);
  });

  it('SC-13: a year per period; cumulative cap 2 years in jilin, 4 in fujian; beijing whole semesters; military service outside the cap', () => {
    expect(rules(suspension({ months: 12 }), jilin, suspended(12))).toEqual([]);
    expect(rules(suspension({ months: 12 }), jilin, suspended(24))).toEqual(['SC-13']);
    expect(rules(suspension({ months: 13 }), jilin)).toEqual(['SC-13']);
    expect(rules(suspension({ months: 12 }), fujian, suspended(36))).toEqual([]);
    expect(rules(suspension({ months: 12 }), fujian, suspended(48))).toEqual(['SC-13']);
    expect(rules(suspension({ months: 6 }), beijing, suspended(18))).toEqual([]);
    expect(rules(suspension({ months: 9 }), beijing)).toEqual(['SC-13']);
    expect(rules(suspension({ months: 12 }), beijing, suspended(18))).toEqual(['SC-13']);
    // military service: as long as the service, and never counted
    expect(rules(suspension({ ground: 'MILITARY_SERVICE', months: 24 }), jilin, suspended(24))).toEqual([]);
    expect(rules(suspension({ months: 12 }), jilin, suspended(24, 'MILITARY_SERVICE'))).toEqual([]);
  });

  it('SC-13: suspensions approved but not yet in effect count to the cap (12 in effect + 12 approved + 6 is 30 months)', () => {
    const approved = (
      from: string,
      months: number,
      ground: 'PERSONAL_LEAVE' | 'MILITARY_SERVICE' = 'PERSONAL_LEAVE',
    ) => ({
      from,
      to: addMonthsIso(from, months),
      ground,
    });
    const twelvePlusTwelve = { ...suspended(12), scheduledSuspensions: [approved('2027-03-01', 12)] };
    for (const p of [national, jilin, beijing]) {
      expect(rules(suspension({ months: 6 }), p, twelvePlusTwelve)).toEqual(['SC-13']);
    }
    expect(rules(suspension({ months: 6 }), fujian, twelvePlusTwelve)).toEqual([]);
    expect(
      rules(suspension({ months: 6 }), fujian, {
        ...twelvePlusTwelve,
        scheduledSuspensions: [approved('2027-03-01', 12), approved('2028-03-01', 12), approved('2029-03-01', 12)],
      }),
    ).toEqual(['SC-13']);
    // an approved military service stays outside the cap
    const military = { ...suspended(12), scheduledSuspensions: [approved('2027-03-01', 24, 'MILITARY_SERVICE')] };
    expect(rules(suspension({ months: 12 }), national, military)).toEqual([]);
  });

  it('SC-15: resumption only from suspension; jilin applies a month ahead; beijing within two weeks before term; illness needs a health certificate', () => {
    const s = suspended(6);
    expect(rules(resumption(), national, { status: 'ACTIVE' })).toEqual(['SC-15']);
    expect(rules(resumption({ today: '2026-08-01' }), jilin, s)).toEqual([]);
    expect(rules(resumption({ today: '2026-08-15' }), jilin, s)).toEqual(['SC-15']);
    expect(rules(resumption({ today: '2026-08-20' }), beijing, s)).toEqual([]);
    expect(rules(resumption({ today: '2026-08-01' }), beijing, s)).toEqual(['SC-15']);
    expect(rules(resumption({ today: '2026-09-01' }), national, s)).toEqual(['SC-15']);
    expect(rules(resumption({ today: '2026-09-01', stage: 'APPROVAL' }), national, s)).toEqual([]);
    const ill = suspended(6, 'ILLNESS');
    expect(rules(resumption(), national, ill)).toEqual(['SC-15']);
    expect(rules(resumption({ resumption: { healthCertificateRef: 'docs/health.pdf' } }), national, ill)).toEqual([]);
  });

  it('SC-16: voluntary withdrawal needs the written application of student and guardian (fujian: the student’s)', () => {
    const unsigned = withdrawal({ guardianConsentRef: null });
    expect(rules(unsigned)).toEqual(['SC-16']);
    expect(rules(unsigned, beijing)).toEqual(['SC-16']);
    expect(rules(unsigned, fujian)).toEqual(['SC-16']);
    expect(rules(withdrawal({ guardianConsentRef: null }, { evidenceRefs: ['docs/application.pdf'] }), fujian)).toEqual(
      [],
    );
    expect(rules(withdrawal({ guardianConsentRef: null }, { evidenceRefs: ['docs/application.pdf'] }))).toEqual([
      'SC-16',
    ]);
  });

  it('SC-17: imposed-withdrawal grounds per profile — fujian beyond the maximum length, lapsed term registration where ENR-17 applies', () => {
    const old = { entryDate: '2018-09-01' };
    expect(rules(withdrawal({ ground: 'BEYOND_MAXIMUM_LENGTH' }), fujian, old)).toEqual([]);
    expect(rules(withdrawal({ ground: 'BEYOND_MAXIMUM_LENGTH' }), fujian)).toEqual(['SC-17']);
    expect(rules(withdrawal({ ground: 'BEYOND_MAXIMUM_LENGTH' }), national, old)).toEqual(['SC-17']);
    expect(rules(withdrawal({ ground: 'TERM_REGISTRATION_LAPSED' }), beijing)).toEqual([]);
    expect(rules(withdrawal({ ground: 'TERM_REGISTRATION_LAPSED' }), jilin)).toEqual(['SC-17']);
    expect(rules(withdrawal({ ground: 'TRUANCY' }), jilin)).toEqual([]);
    expect(rules(withdrawal({ ground: 'SUSPENSION_OVERDUE' }), national)).toEqual(['SC-17']);
    expect(rules(withdrawal({ ground: 'SUSPENSION_OVERDUE' }), national, suspended(12))).toEqual([]);
  });

  it('SC-18: fujian — a withdrawn student cannot resume; elsewhere the resumption is refused as not suspended (SC-15)', () => {
    expect(rules(resumption(), fujian, { status: 'WITHDRAWN' })).toEqual(['SC-18']);
    expect(rules(resumption(), national, { status: 'WITHDRAWN' })).toEqual(['SC-15']);
  });

  it('SC-19: cancellation grounds; death and missing need the issuing authority’s document; a pending registration may be cancelled', () => {
    const cancel = (
      ground: NonNullable<ChangeRequestFacts['cancellation']>['ground'],
      evidenceRefs: string[] = [],
    ) => ({
      ...base,
      kind: 'CANCELLATION' as const,
      evidenceRefs,
      cancellation: { ground },
    });
    for (const profile of every) {
      expect(rules(cancel('DUPLICATE_STATUS'), profile)).toEqual([]);
      expect(rules(cancel('MISSING'), profile)).toEqual(['SC-19']);
      expect(rules(cancel('MISSING', ['docs/police.pdf']), profile)).toEqual([]);
    }
    expect(rules(cancel('INELIGIBLE_AT_RECHECK'), national, { status: 'REGISTRATION_PENDING' })).toEqual([]);
    expect(rules(cancel('JOINT_SCHOOLING_TRANSFER'), national, { status: 'GRADUATED' })).toEqual(['ADM-2']);
  });

  it('SC-20: a death is recorded as a change on a death certificate', () => {
    const death = (evidenceRefs: string[]) => ({ ...base, kind: 'DEATH' as const, evidenceRefs });
    expect(rules(death([]))).toEqual(['SC-20']);
    expect(rules(death(['docs/death.pdf']), beijing, { status: 'SUSPENDED' })).toEqual([]);
    expect(rules(death(['docs/death.pdf']), beijing, { status: 'DECEASED' })).toEqual(['ADM-2']);
  });

  it('SC-21: corrections of the listed fields with proof of identity, also after graduation', () => {
    const correct = (
      fields: NonNullable<ChangeRequestFacts['correction']>['fields'],
      evidenceRefs = ['docs/id-card.jpg'],
    ): ChangeRequestFacts => ({ ...base, kind: 'DATA_CORRECTION', evidenceRefs, correction: { fields } });
    const name = [{ field: 'name' as const, oldValue: '张三', newValue: '张叁' }];
    for (const profile of every) expect(rules(correct(name), profile, { status: 'GRADUATED' })).toEqual([]);
    expect(rules(correct(name, []))).toEqual(['SC-21']);
    const same = checkChange(correct([{ field: 'sex', oldValue: 'MALE', newValue: 'MALE' }]), student, national);
    expect(same).toEqual([expect.objectContaining({ rule: 'SC-21', input: true, field: 'correction.fields.0' })]);
    expect(rules(correct([{ field: 'birthDate', oldValue: null, newValue: '2010-02-30' }]))).toEqual(['SC-21']);
  });

  it('ADM-2: other changes need a formal status — a pending registration cannot be suspended or withdrawn', () => {
    const pending = { status: 'REGISTRATION_PENDING' as const };
    expect(rules(suspension(), national, pending)).toEqual(['ADM-2']);
    expect(rules(withdrawal(), national, pending)).toEqual(['ADM-2']);
    expect(rules(majorChange(), national, { status: 'SUSPENDED' })).toEqual(['ADM-2']);
    expect(rules(suspension(), national, suspended(6))).toEqual([]); // a further year (继续休学)
    const msg = checkChange(suspension(), { ...student, ...pending }, national)[0].message;
    expect(msg.zh).toContain('注册待审核');
  });

  it('reports malformed requests as input problems, alone', () => {
    const missing = checkChange({ ...base, kind: 'TRANSFER' }, student, national);
    expect(missing).toEqual([expect.objectContaining({ rule: 'SC-2', field: 'transfer', input: true })]);
    const badDate = checkChange(transfer({}, { effectiveDate: '2026-02-30' }), student, jilin);
    expect(badDate).toEqual([expect.objectContaining({ rule: 'ADM-2', field: 'effectiveDate', input: true })]);
    expect(rules(suspension({ months: 0 }))).toEqual(['SC-13']);
  });
});
