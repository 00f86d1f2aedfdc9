import { loadPolicyProfile } from '@xueji/policy';
import { detectFraud, holdsStatus, type SignalFacts } from '../src/domain/fraud';

const national = loadPolicyProfile('national');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');

/** A formal student entering 2026-09-01, registered and approved in time, nothing odd. */
const clean: SignalFacts = {
  studentId: 's1',
  registrationStatus: 'APPROVED',
  latestStatus: null,
  schoolId: 'school-a',
  studentNumber: 'G1',
  entryDate: '2026-09-01',
  registeredAt: '2026-09-10T02:00:00.000Z',
  approvedAt: '2026-09-20T02:00:00.000Z',
  majorCode: '710201',
  teachingPointId: null,
  school: { approvedMajorCodes: ['710201'], teachingPointIds: ['point-1'] },
  sameIdNumber: [],
  claimed: [{ period: '2026-autumn', grant: true, waiver: true }],
  lapses: [],
  truancy: [],
};
const kinds = (f: Partial<SignalFacts>, profile = national) =>
  detectFraud({ ...clean, ...f }, profile).map((s) => [s.kind, s.subjectKey]);

describe('SB-4 fraud signals', () => {
  it('raises nothing for a formal student registered in time at an approved major', () => {
    expect(detectFraud(clean, national)).toEqual([]);
  });

  it('SB-4 / ENR-7: double status while both records hold a status, with the other record as evidence', () => {
    const other = { studentId: 's2', schoolId: 'school-b', studentNumber: 'G2' };
    const [signal] = detectFraud({ ...clean, sameIdNumber: [other] }, national);
    expect(signal).toMatchObject({
      kind: 'DOUBLE_STATUS',
      subjectKey: 's2',
      evidence: { otherStudentId: 's2', otherSchoolId: 'school-b', otherStudentNumber: 'G2', schoolId: 'school-a' },
    });
    expect(signal!.en).toContain('another school');
    // A record that left (or is not approved) holds no status: no double status from it.
    expect(kinds({ sameIdNumber: [other], latestStatus: 'WITHDRAWN' })).toEqual([]);
    expect(kinds({ sameIdNumber: [other], registrationStatus: 'SUBMITTED' })).toEqual([]);
    expect(holdsStatus({ registrationStatus: 'APPROVED', latestStatus: 'SUSPENDED' })).toBe(true);
    expect(holdsStatus({ registrationStatus: 'APPROVED', latestStatus: 'TRANSFERRED_OUT' })).toBe(false);
  });

  it('SB-4 / ENR-8: a ghost student — aid claimed in a period of a term-registration lapse', () => {
    const lapse = { term: '2026-autumn', period: '2026-autumn', termStartsOn: '2026-09-01' };
    expect(kinds({ lapses: [lapse] })).toEqual([['GHOST_STUDENT', '2026-autumn']]);
    // Not claimed (no grant, no waiver in that period): nothing to raise.
    expect(kinds({ lapses: [lapse], claimed: [{ period: '2026-autumn', grant: false, waiver: false }] })).toEqual([]);
    // A lapse in another period than the claim.
    expect(kinds({ lapses: [{ ...lapse, period: '2027-spring' }] })).toEqual([]);
  });

  it('SB-4 / ENR-8: truancy at SC-17’s limit while claimed is a ghost student; one hour under is not', () => {
    const truant = (hours: number) => ({
      truancy: [{ semester: '2026-2027-1', period: '2026-autumn', truantHours: hours }],
    });
    const [signal] = detectFraud({ ...clean, ...truant(90) }, national);
    expect(signal).toMatchObject({
      kind: 'GHOST_STUDENT',
      period: '2026-autumn',
      evidence: { truantHours: 90, truancyLimitHours: 90, claimed: ['GRANT', 'TUITION_WAIVER'] },
    });
    expect(kinds(truant(89))).toEqual([]);
  });

  it('SB-4 / ENR-4: registered after the intake’s deadline, or approved after fujian’s review day', () => {
    // national autumn deadline 11-30, counted in China time (UTC+8): 15:59:59Z is 23:59:59 that day.
    expect(kinds({ registeredAt: '2026-11-30T15:59:59.000Z', approvedAt: '2026-12-20T01:00:00.000Z' })).toEqual([]);
    expect(kinds({ registeredAt: '2026-11-30T16:00:00.000Z' })).toEqual([['LATE_REGISTRATION', 'registration']]);
    // Only a formal status is a claim: a submitted registration is not judged.
    expect(kinds({ registeredAt: '2026-12-10T10:00:00.000Z', registrationStatus: 'SUBMITTED' })).toEqual([]);
    // The profile's window decides: beijing's single deadline is 10-31.
    expect(kinds({ registeredAt: '2026-11-05T02:00:00.000Z' }, beijing)).toEqual([
      ['LATE_REGISTRATION', 'registration'],
    ]);
    // fujian: autumn intake reviewed by 12-15.
    const [late] = detectFraud({ ...clean, approvedAt: '2026-12-16T02:00:00.000Z' }, fujian);
    expect(late).toMatchObject({
      kind: 'LATE_REGISTRATION',
      evidence: { reviewBy: '2026-12-15', approvedOn: '2026-12-16' },
    });
    expect(kinds({ approvedAt: '2026-12-15T02:00:00.000Z' }, fujian)).toEqual([]);
  });

  it('SB-4 / ENR-16 / ENR-20: a major the school is not approved for, a teaching point it has not named', () => {
    expect(kinds({ majorCode: '660301' })).toEqual([['UNAPPROVED_MAJOR', '660301']]);
    expect(kinds({ teachingPointId: 'point-x' })).toEqual([['OFF_SITE_POINT', 'point-x']]);
    expect(kinds({ teachingPointId: 'point-1' })).toEqual([]);
    // What the school's approvals are not stated for is not judged.
    expect(kinds({ majorCode: '660301', school: null })).toEqual([]);
    expect(
      kinds({ teachingPointId: 'point-x', school: { approvedMajorCodes: ['710201'], teachingPointIds: null } }),
    ).toEqual([]);
  });
});
