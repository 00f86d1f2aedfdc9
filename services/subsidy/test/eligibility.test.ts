import { loadPolicyProfile } from '@xueji/policy';
import { decideEligibility, type EligibilityFacts } from '../src/domain/eligibility';

const national = loadPolicyProfile('national');
const formalYear1: EligibilityFacts = {
  registrationStatus: 'APPROVED',
  studyYear: 1,
  studyForm: 'FULL_TIME',
  household: 'RURAL',
  majorWaiverExcluded: false,
};

describe('grant and waiver eligibility', () => {
  it('SB-1: a registration not yet approved receives nothing, and says why', () => {
    const decided = decideEligibility({ ...formalYear1, registrationStatus: 'SUBMITTED' }, national);
    expect(decided.grant.eligible).toBe(false);
    expect(decided.tuitionWaiver.eligible).toBe(false);
    expect(decided.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-1', met: false }));
  });

  it('SB-1 and SB-6: a formal, full-time, rural year-1 student gets both', () => {
    const decided = decideEligibility(formalYear1, national);
    expect(decided.grant.eligible).toBe(true);
    expect(decided.tuitionWaiver.eligible).toBe(true);
    expect(decided.grant.reasons.every((r) => r.met)).toBe(true);
  });

  it('SB-6: a year-3 student has the waiver but not the grant by default', () => {
    const decided = decideEligibility({ ...formalYear1, studyYear: 3 }, national);
    expect(decided.grant.eligible).toBe(false);
    expect(decided.grant.reasons).toContainEqual(
      expect.objectContaining({ rule: 'SB-6', met: false, en: expect.stringMatching(/year of study is 3/) }),
    );
    expect(decided.tuitionWaiver.eligible).toBe(true);
  });

  it('SB-6: part-time study, an urban household without hardship, and excluded majors', () => {
    expect(decideEligibility({ ...formalYear1, studyForm: 'PART_TIME' }, national).grant.eligible).toBe(false);
    expect(decideEligibility({ ...formalYear1, household: 'URBAN' }, national).grant.eligible).toBe(false);
    expect(decideEligibility({ ...formalYear1, household: 'URBAN' }, national).tuitionWaiver.eligible).toBe(true);
    expect(decideEligibility({ ...formalYear1, majorWaiverExcluded: true }, national).tuitionWaiver.eligible).toBe(
      false,
    );
  });

  it('SB-2 / SC-14: a suspended student has no grant or waiver; resumption (ACTIVE) restores them', () => {
    const suspended = decideEligibility(
      { ...formalYear1, studentStatus: { code: 'SUSPENDED', since: '2026-09-15' } },
      national,
    );
    expect(suspended.grant.eligible).toBe(false);
    expect(suspended.tuitionWaiver.eligible).toBe(false);
    expect(suspended.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-2', met: false }));
    expect(
      decideEligibility({ ...formalYear1, studentStatus: { code: 'ACTIVE', since: '2027-03-01' } }, national).grant
        .eligible,
    ).toBe(true);
  });

  it('SB-3: withdrawal ends eligibility, naming the status and its date', () => {
    const withdrawn = decideEligibility(
      { ...formalYear1, studentStatus: { code: 'WITHDRAWN', since: '2026-10-08' } },
      national,
    );
    expect(withdrawn.grant.eligible).toBe(false);
    expect(withdrawn.grant.reasons).toContainEqual(
      expect.objectContaining({ rule: 'SB-3', met: false, en: 'Status WITHDRAWN since 2026-10-08: eligibility ended' }),
    );
  });

  it('SB-6: a fact not yet known is a reason, not a guess', () => {
    const decided = decideEligibility({ registrationStatus: 'APPROVED' }, national);
    expect(decided.grant.eligible).toBe(false);
    expect(decided.grant.reasons.filter((r) => !r.met).map((r) => r.en)).toEqual([
      'The year of study is not known',
      'The study form is not known',
      'The household category is not known',
    ]);
  });
});
