import { loadPolicyProfile } from '@xueji/policy';
import { archiveSections } from '../src/domain/archive';
import {
  checkReadmission,
  checkRecheckCancellation,
  deferralUntil,
  otherStatusViolation,
  outOfAreaReviewNeeded,
  rosterOrder,
  termOf,
  termRegistrationLapsed,
} from '../src/domain/lifecycle';
import { keepsNumberOnArrival, studentNumber } from '../src/domain/student-number';

const national = loadPolicyProfile('national');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');

describe('registration lifecycle rules', () => {
  it('ENR-7: a general high-school, university or technical-school status excludes a vocational one', () => {
    expect(otherStatusViolation(national, { kind: 'GENERAL_HIGH_SCHOOL', institution: '长春市第二中学' })).toEqual([
      expect.objectContaining({ rule: 'ENR-7', field: 'idNumber' }),
    ]);
    expect(otherStatusViolation(national, null)).toEqual([]);
  });

  it('ENR-9: cancellation at the re-check within 3 months of arrival in beijing, any time nationally', () => {
    const facts = { arrivedOn: '2026-09-01', registrationStatus: 'APPROVED' };
    expect(checkRecheckCancellation(beijing, { ...facts, today: '2026-12-01' })).toEqual([]);
    expect(checkRecheckCancellation(beijing, { ...facts, today: '2026-12-02' }).map((v) => v.rule)).toEqual(['ENR-9']);
    expect(checkRecheckCancellation(national, { ...facts, today: '2027-06-01' })).toEqual([]);
    expect(
      checkRecheckCancellation(national, { ...facts, today: '2026-10-01', registrationStatus: 'REJECTED' }),
    ).toHaveLength(1);
  });

  it('ENR-10: deferred admission for a year in beijing and fujian; re-admission needs a certificate in time', () => {
    expect(deferralUntil(beijing, '2026-09-10')).toBe('2027-09-10');
    expect(deferralUntil(national, '2026-09-10')).toMatchObject({ rule: 'ENR-10' });
    expect(
      checkReadmission({ deferredUntil: '2027-09-10', today: '2027-09-01', certificateRef: 'hospital/123' }),
    ).toEqual([]);
    expect(
      checkReadmission({ deferredUntil: '2027-09-10', today: '2027-09-11', certificateRef: 'hospital/123' }),
    ).toHaveLength(1);
    expect(checkReadmission({ deferredUntil: '2027-09-10', today: '2027-09-01', certificateRef: ' ' })).toHaveLength(1);
  });

  it('ENR-11: national numbers derive from the ID number; fujian’s are YY·CC·SS·NNNN', () => {
    const facts = {
      idNumber: '35010220100901123x',
      entryDate: '2026-09-01',
      schoolRegionCode: '350102',
      countySchoolCode: '07',
    };
    expect(studentNumber(national, facts)).toBe('G35010220100901123X');
    expect(studentNumber(fujian, facts, 42)).toBe('2602070042');
    expect(() => studentNumber(fujian, { ...facts, countySchoolCode: null }, 1)).toThrow(/ENR-11/);
  });

  it('ENR-11: in fujian a transfer within the province keeps the number; one from another province does not', () => {
    const within = { fromProvinceCode: '35', toProvinceCode: '35', fromGeneralHighSchool: false };
    expect(keepsNumberOnArrival(fujian, within)).toBe(true);
    expect(keepsNumberOnArrival(fujian, { ...within, fromProvinceCode: '22' })).toBe(false);
    expect(keepsNumberOnArrival(fujian, { ...within, fromGeneralHighSchool: true })).toBe(false);
    expect(keepsNumberOnArrival(national, { ...within, fromProvinceCode: '22' })).toBe(true);
  });

  it('ENR-17 (and ENR-8): no term registration within 2 weeks of term start is a lapse in beijing, not nationally', () => {
    expect(termOf(beijing, '2026-09-20')).toEqual({ term: '2026-autumn', startsOn: '2026-09-01' });
    expect(termOf(beijing, '2027-01-10')).toEqual({ term: '2026-autumn', startsOn: '2026-09-01' });
    expect(termOf(beijing, '2027-03-10')).toEqual({ term: '2027-spring', startsOn: '2027-03-01' });
    const facts = { termStartsOn: '2026-09-01', registered: false, onLeave: false };
    expect(termRegistrationLapsed(beijing, { ...facts, today: '2026-09-15' })).toBe(false);
    expect(termRegistrationLapsed(beijing, { ...facts, today: '2026-09-16' })).toBe(true);
    expect(termRegistrationLapsed(beijing, { ...facts, today: '2026-09-16', onLeave: true })).toBe(false);
    expect(termRegistrationLapsed(national, { ...facts, today: '2026-10-16' })).toBe(false);
  });

  it('ENR-18: the archive’s sections; beijing adds admission papers and the health record', () => {
    expect(archiveSections(national).map((s) => s.key)).toEqual([
      'PERSONAL_DATA',
      'CONDUCT',
      'RESULTS',
      'SUBSIDY',
      'REWARDS_SANCTIONS',
      'GRADUATE_FORM',
    ]);
    expect(archiveSections(beijing).map((s) => s.key)).toEqual(
      expect.arrayContaining(['ADMISSION_PAPERS', 'HEALTH_RECORD']),
    );
  });

  it('ENR-19: the roster is sorted by major, class, student number', () => {
    const rows = [
      { majorCode: '730301', className: '1班', studentNumber: 'G2' },
      { majorCode: '710201', className: '2班', studentNumber: 'G1' },
      { majorCode: '710201', className: '1班', studentNumber: 'G9' },
      { majorCode: '710201', className: '1班', studentNumber: 'G3' },
    ];
    expect(rosterOrder(rows).map((r) => `${r.majorCode}/${r.className}/${r.studentNumber}`)).toEqual([
      '710201/1班/G3',
      '710201/1班/G9',
      '710201/2班/G1',
      '730301/1班/G2',
    ]);
  });

  it('ENR-20: more than 100 out-of-area students needs an extra review in shiyan only', () => {
    expect(outOfAreaReviewNeeded(shiyan, 101)).toBe(true);
    expect(outOfAreaReviewNeeded(shiyan, 100)).toBe(false);
    expect(outOfAreaReviewNeeded(national, 500)).toBe(false);
  });
});
