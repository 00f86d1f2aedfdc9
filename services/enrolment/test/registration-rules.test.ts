import { loadPolicyProfile } from '@xueji/policy';
import { checkCharacter } from '../src/domain/id-number';
import { checkRegistration, followsSeparateRules, type RegistrationFacts } from '../src/domain/registration';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');

const id17 = '22010220100901123';
const base: RegistrationFacts = {
  today: '2026-09-15',
  stage: 'SUBMISSION',
  name: '张三',
  sex: 'MALE',
  birthDate: '2010-09-01',
  idNumber: id17 + checkCharacter(id17),
  origin: 'MAINLAND',
  photoRef: null,
  entryDate: '2026-09-01',
  intake: 'AUTUMN',
  entryLevel: 'JUNIOR',
  freshJuniorGraduate: true,
  studyForm: 'FULL_TIME',
  programme: 'REGULAR',
  schoolNationalKey: false,
  expectedYears: 3,
  major: { code: '710201', categoryCode: '71', inCatalogue: true, approvedForSchool: true },
  majorCategory: null,
  arrival: null,
};
const rules = (f: Partial<RegistrationFacts>, profile = national) =>
  checkRegistration({ ...base, ...f }, profile).map((v) => v.rule);

describe('registration rules', () => {
  it('allows a well-formed, timely registration under every profile (beijing and shiyan with their extra needs)', () => {
    expect(rules({})).toEqual([]);
    expect(rules({}, jilin)).toEqual([]);
    expect(rules({}, fujian)).toEqual([]);
    expect(rules({ photoRef: 'photos/1.jpg' }, shiyan)).toEqual([]);
    expect(rules({}, beijing)).toEqual([]);
  });

  it('ENR-1: primary graduates only into arts or sports majors; adults only where allowed (fujian)', () => {
    expect(rules({ entryLevel: 'PRIMARY', expectedYears: 6 })).toEqual(['ENR-1']);
    const dance = { code: '750201', categoryCode: '75', inCatalogue: true, approvedForSchool: true };
    expect(rules({ entryLevel: 'PRIMARY', expectedYears: 6, major: dance })).toEqual([]);
    expect(rules({ entryLevel: 'ADULT' })).toEqual(['ENR-1']);
    expect(rules({ entryLevel: 'ADULT' }, fujian)).toEqual([]);
  });

  it('ENR-2: the ID card’s birth date and sex must agree; malformed numbers are input errors; shiyan needs a photo', () => {
    expect(rules({ birthDate: '2010-09-02' })).toEqual(['ENR-2']);
    expect(rules({ sex: 'FEMALE' })).toEqual(['ENR-2']);
    const wrong = checkRegistration(
      { ...base, idNumber: `${id17}0` === base.idNumber ? `${id17}1` : `${id17}0` },
      national,
    );
    expect(wrong).toEqual([expect.objectContaining({ rule: 'ENR-2', field: 'idNumber', input: true })]);
    expect(rules({}, shiyan)).toEqual(['ENR-2']);
    expect(rules({ origin: 'FOREIGN', idNumber: 'E12345678', birthDate: '2010-01-01' })).toEqual([]);
  });

  it('ENR-3: late beyond two weeks without approval lapses in jilin; any unexcused lateness in beijing; no rule in national', () => {
    const late = (days: number, approved = false) => ({
      arrival: {
        reportBy: '2026-09-01',
        arrivedOn: `2026-09-${String(1 + days).padStart(2, '0')}`,
        lateArrivalApproved: approved,
      },
    });
    expect(rules(late(14), jilin)).toEqual([]);
    expect(rules(late(15), jilin)).toEqual(['ENR-3']);
    expect(rules(late(15, true), jilin)).toEqual([]);
    expect(rules(late(1), beijing)).toEqual(['ENR-3']);
    expect(rules(late(20))).toEqual([]);
  });

  it('ENR-4: autumn deadline 11-20 in jilin, a single 10-31 in beijing, 11-15 in shiyan, 12-31 in fujian', () => {
    expect(rules({ today: '2026-11-20' }, jilin)).toEqual([]);
    expect(rules({ today: '2026-11-21' }, jilin)).toEqual(['ENR-4']);
    expect(rules({ today: '2026-10-31' }, beijing)).toEqual([]);
    expect(rules({ today: '2026-11-01' }, beijing)).toEqual(['ENR-4']);
    expect(rules({ today: '2026-11-16', photoRef: 'p' }, shiyan)).toEqual(['ENR-4']);
    expect(rules({ today: '2026-12-31' }, fujian)).toEqual([]);
    expect(rules({ today: '2027-01-02' }, fujian)).toEqual(['ENR-4']);
    // "当年学籍当年申报，隔年不得再补": last year's intake cannot be registered now.
    expect(rules({ entryDate: '2025-09-01', today: '2026-09-15' })).toEqual(['ENR-4']);
  });

  it('ENR-4: jilin’s spring registration is only for students who are not this year’s junior graduates', () => {
    const spring = { entryDate: '2026-03-01', intake: 'SPRING' as const, today: '2026-04-01' };
    expect(rules({ ...spring, freshJuniorGraduate: true }, jilin)).toEqual(['ENR-4']);
    expect(rules({ ...spring, freshJuniorGraduate: false }, jilin)).toEqual([]);
    expect(rules({ ...spring, freshJuniorGraduate: true })).toEqual([]);
  });

  it('ENR-4 at approval: fujian’s review date (12-15 for the autumn intake) binds the authority', () => {
    expect(rules({ stage: 'APPROVAL', today: '2026-12-15' }, fujian)).toEqual([]);
    expect(rules({ stage: 'APPROVAL', today: '2026-12-16' }, fujian)).toEqual(['ENR-4']);
    expect(rules({ stage: 'APPROVAL', today: '2026-12-16' })).toEqual([]);
  });

  it('ENR-12: beijing registers full-time students only', () => {
    expect(rules({ studyForm: 'PART_TIME' }, beijing)).toEqual(['ENR-12']);
    expect(rules({ studyForm: 'PART_TIME' })).toEqual([]);
  });

  it('ENR-13: standard lengths by entry level; flexible 3–6 years nationally, 2–7 in fujian', () => {
    expect(rules({ expectedYears: 4 })).toEqual(['ENR-13']);
    expect(rules({ entryLevel: 'SENIOR', expectedYears: 1 })).toEqual([]);
    expect(rules({ studyForm: 'FLEXIBLE', expectedYears: 6 })).toEqual([]);
    expect(rules({ studyForm: 'FLEXIBLE', expectedYears: 7 })).toEqual(['ENR-13']);
    expect(rules({ studyForm: 'FLEXIBLE', expectedYears: 7 }, fujian)).toEqual([]);
    expect(rules({ studyForm: 'FLEXIBLE', expectedYears: 2 })).toEqual(['ENR-13']);
    expect(rules({ studyForm: 'FLEXIBLE', expectedYears: 2 }, fujian)).toEqual([]);
  });

  it('ENR-14: integrated programmes hold vocational status for 3 years; beijing names the partner college', () => {
    expect(rules({ programme: 'THREE_PLUS_TWO', expectedYears: 5 })).toEqual(['ENR-14']);
    expect(rules({ programme: 'THREE_PLUS_TWO', expectedYears: 3 })).toEqual([]);
    expect(rules({ programme: 'INTEGRATED', expectedYears: 3 }, beijing)).toEqual(['ENR-14']);
    expect(
      rules({ programme: 'INTEGRATED', expectedYears: 3, partnerCollege: '北京电子科技职业学院' }, beijing),
    ).toEqual([]);
  });

  it('ENR-15: joint enrolment is for national key schools only in shiyan; allowed to any school nationally', () => {
    const joint = { jointPartner: '十堰市职业技术学院附属中专', photoRef: 'p' };
    expect(rules(joint, shiyan)).toEqual(['ENR-15']);
    expect(rules({ ...joint, schoolNationalKey: true }, shiyan)).toEqual([]);
    expect(rules(joint)).toEqual([]);
  });

  it('ENR-16: a catalogue major the school is approved for; admission by category only where allowed', () => {
    expect(rules({ major: { ...base.major!, inCatalogue: false } })).toEqual(['ENR-16']);
    expect(rules({ major: { ...base.major!, approvedForSchool: false } }, jilin)).toEqual(['ENR-16']);
    const byCategory = { major: null, majorCategory: { code: '71', known: true } };
    expect(rules(byCategory)).toEqual(['ENR-16']);
    expect(rules(byCategory, beijing)).toEqual([]);
    expect(rules({ major: null, majorCategory: { code: '99', known: false } }, fujian)).toEqual(['ENR-16']);
  });

  it('ENR-21: foreign, Hong Kong, Macao and Taiwan students follow separate rules in jilin and beijing', () => {
    expect(followsSeparateRules('HONG_KONG', jilin)).toBe(true);
    expect(followsSeparateRules('FOREIGN', beijing)).toBe(true);
    expect(followsSeparateRules('TAIWAN', national)).toBe(false);
    expect(followsSeparateRules('MAINLAND', jilin)).toBe(false);
  });

  it('reports every broken rule at once, each with its id and a bilingual message', () => {
    const found = checkRegistration(
      { ...base, today: '2026-12-01', expectedYears: 4, studyForm: 'PART_TIME' },
      beijing,
    );
    expect(found.map((v) => v.rule).sort()).toEqual(['ENR-12', 'ENR-13', 'ENR-4']);
    for (const v of found) {
      expect(v.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(v.message.en).toMatch(/[a-z]/);
    }
  });
});
