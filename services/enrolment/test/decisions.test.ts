import { loadPolicyProfile } from '@xueji/policy';
import {
  decisionViolations,
  deferral,
  duplicateCheck,
  readmissionViolations,
  schoolRegistrationViolations,
  teachingPointViolations,
} from '../src/domain/decisions';

const national = loadPolicyProfile('national');
const beijing = loadPolicyProfile('beijing');
const rules = (violations: { rule: string }[]) => violations.map((v) => v.rule);

describe('checks around a registration', () => {
  it('ADM-1: only an active school registers students', () => {
    expect(schoolRegistrationViolations('ACTIVE')).toEqual([]);
    expect(rules(schoolRegistrationViolations('SUSPENDED'))).toEqual(['ADM-1']);
    expect(rules(schoolRegistrationViolations('CLOSED'))).toEqual(['ADM-1']);
  });

  it('ENR-20: a teaching point must be a named point of the school', () => {
    expect(teachingPointViolations(true)).toEqual([]);
    expect(teachingPointViolations(false)).toEqual([
      expect.objectContaining({ rule: 'ENR-20', field: 'teachingPointId' }),
    ]);
  });

  it('ENR-6/7: already here, at another school, or holding another kind of status', () => {
    const none = { activeAtSchool: null, otherStatus: null };
    expect(duplicateCheck(national, 'A', none)).toEqual({ sameSchool: false, breaches: [] });
    expect(duplicateCheck(national, 'A', { ...none, activeAtSchool: 'A' })).toEqual({ sameSchool: true, breaches: [] });
    expect(rules(duplicateCheck(national, 'A', { ...none, activeAtSchool: 'B' }).breaches)).toEqual(['ENR-7']);
    const held = { kind: 'GENERAL_HIGH_SCHOOL' as const, institution: '长春市第二中学' };
    expect(rules(duplicateCheck(national, 'A', { ...none, otherStatus: held }).breaches)).toEqual(['ENR-7']);
  });

  it('ADM-2 and ENR-5: the school’s competent authority (or a higher tier) decides a submitted registration', () => {
    const submitted = { authorityRegionCode: '220102', registrationStatus: 'SUBMITTED' as const };
    const county = { subject: 'r', role: 'AUTHORITY_REVIEWER' as const, regionCode: '220102' };
    expect(decisionViolations(county, submitted)).toEqual([]);
    expect(decisionViolations({ ...county, regionCode: '220000' }, submitted)).toEqual([]);
    expect(rules(decisionViolations({ ...county, regionCode: '220104' }, submitted))).toEqual(['ADM-2']);
    expect(rules(decisionViolations(county, { ...submitted, registrationStatus: 'APPROVED' }))).toEqual(['ENR-5']);
  });

  it('ENR-10: deferral needs a certificate and a registration in force, where the profile allows it', () => {
    const facts = { certificateRef: 'hospital/1', registrationStatus: 'SUBMITTED' as const, today: '2026-09-20' };
    expect(deferral(beijing, facts)).toEqual({ until: '2027-09-20' });
    expect(deferral(beijing, { ...facts, certificateRef: ' ' })).toEqual({
      breaches: [expect.objectContaining({ rule: 'ENR-10', field: 'certificateRef' })],
    });
    expect(deferral(beijing, { ...facts, registrationStatus: 'REJECTED' })).toEqual({
      breaches: [expect.objectContaining({ rule: 'ENR-10', field: 'id' })],
    });
    expect(deferral(national, facts)).toEqual({ breaches: [expect.objectContaining({ rule: 'ENR-10' })] });
  });

  it('ENR-10: only a deferred student is re-admitted, with a certificate, before the deferral ends', () => {
    const facts = {
      registrationStatus: 'DEFERRED' as const,
      deferredUntil: '2027-09-20',
      certificateRef: 'hospital/2',
      today: '2027-03-01',
    };
    expect(readmissionViolations(facts)).toEqual([]);
    expect(rules(readmissionViolations({ ...facts, registrationStatus: 'SUBMITTED' }))).toEqual(['ENR-10']);
    expect(rules(readmissionViolations({ ...facts, certificateRef: '' }))).toEqual(['ENR-10']);
    expect(rules(readmissionViolations({ ...facts, today: '2027-09-21' }))).toEqual(['ENR-10']);
  });
});
