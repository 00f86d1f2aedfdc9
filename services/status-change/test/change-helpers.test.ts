import { loadPolicyProfile, PROFILE_IDS } from '@xueji/policy';
import {
  approvalSteps,
  cumulativeSuspensionMonths,
  imposedWithdrawalDue,
  imposedProcedureBreaches,
  imposedWithdrawalProcedure,
  monthlyReportDue,
  newStatusAfter,
  recordTiming,
  SENDING_SCHOOL_STATUS_AFTER_TRANSFER,
  studyPosition,
  type ChangeKind,
  type ChangeRequestFacts,
  type StudentFacts,
} from '../src/domain';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');

const request = (kind: ChangeKind, toSameProvince = true): ChangeRequestFacts => ({
  kind,
  today: '2026-02-20',
  stage: 'SUBMISSION',
  effectiveDate: '2026-03-01',
  evidenceRefs: [],
  ...(kind === 'TRANSFER'
    ? { transfer: { ground: 'HOUSEHOLD_MOVE', direction: 'OUT_AND_IN', toSameProvince, toSameCity: false } }
    : {}),
});

describe('study position (CALENDAR)', () => {
  it('counts study year and semester from the entry date', () => {
    expect(studyPosition(national, '2025-09-01', 3, '2025-10-01')).toEqual({
      studyYear: 1,
      semester: 1,
      graduatingYear: false,
      firstSemester: true,
      semesterStart: '2025-09-01',
      nextSemesterStart: '2026-03-01',
    });
    expect(studyPosition(national, '2025-09-01', 3, '2026-03-01')).toMatchObject({ studyYear: 1, semester: 2 });
    expect(studyPosition(national, '2025-09-01', 3, '2027-09-01')).toMatchObject({
      studyYear: 3,
      semester: 1,
      graduatingYear: true,
    });
    expect(studyPosition(national, '2026-09-01', 1, '2026-09-01').graduatingYear).toBe(true);
  });

  it('puts an entry date into the nearest semester (an early arrival, a fujian spring intake)', () => {
    expect(studyPosition(national, '2025-08-25', 3, '2025-09-10')).toMatchObject({ studyYear: 1, firstSemester: true });
    expect(studyPosition(national, '2025-08-25', 3, '2026-03-01')).toMatchObject({ studyYear: 1, semester: 2 });
    expect(studyPosition(fujian, '2026-01-15', 3, '2026-03-10')).toMatchObject({ studyYear: 1, semester: 1 });
    expect(studyPosition(fujian, '2026-01-15', 3, '2026-09-01')).toMatchObject({ studyYear: 1, semester: 2 });
    expect(studyPosition(fujian, '2026-06-01', 3, '2026-09-01')).toMatchObject({ firstSemester: true });
  });
});

describe('helpers for the persistence layer', () => {
  it('SC-3: non-transfers go to the school and its authority; transfers need both sides unless the profile says less', () => {
    expect(approvalSteps('SUSPENSION', request('SUSPENSION'), fujian)).toEqual(['SENDING_SCHOOL', 'SENDING_AUTHORITY']);
    const all = ['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY'];
    expect(approvalSteps('TRANSFER', request('TRANSFER'), jilin)).toEqual(all);
    expect(approvalSteps('TRANSFER', request('TRANSFER'), national)).toEqual(all);
    expect(approvalSteps('TRANSFER', request('TRANSFER'), fujian)).toEqual(['SENDING_SCHOOL', 'RECEIVING_SCHOOL']);
    expect(approvalSteps('TRANSFER', request('TRANSFER', false), fujian)).toEqual([
      'SENDING_SCHOOL',
      'RECEIVING_SCHOOL',
      'SENDING_AUTHORITY',
      'RECEIVING_AUTHORITY',
    ]);
    expect(approvalSteps('TRANSFER', request('TRANSFER'), beijing)).toEqual([
      'SENDING_SCHOOL',
      'RECEIVING_SCHOOL',
      'RECEIVING_AUTHORITY',
    ]);
    expect(approvalSteps('TRANSFER', request('TRANSFER', false), beijing)).toHaveLength(4);
  });

  it('SC-13: cumulative suspension months leave military service out of the cap', () => {
    const periods: StudentFacts['suspensions'] = [
      { from: '2025-09-01', to: '2026-08-31', ground: 'ILLNESS' },
      { from: '2026-09-01', to: '2028-09-01', ground: 'MILITARY_SERVICE' },
    ];
    expect(cumulativeSuspensionMonths(jilin, periods)).toBe(12);
    expect(cumulativeSuspensionMonths(jilin, periods, 6)).toBe(18);
    expect(cumulativeSuspensionMonths(jilin, periods, 24, 'MILITARY_SERVICE')).toBe(12);
    for (const id of PROFILE_IDS) expect(cumulativeSuspensionMonths(loadPolicyProfile(id), periods)).toBe(12);
  });

  it('SC-17: an imposed withdrawal is due after 2 weeks without resumption, a lapsed registration (ENR-17) or 90 truant hours', () => {
    const ended = { suspensionEndedOn: '2026-09-01', resumed: false };
    expect(imposedWithdrawalDue(jilin, { ...ended, today: '2026-09-16' })).toEqual({
      due: true,
      ground: 'SUSPENSION_OVERDUE',
      rule: 'SC-17',
    });
    expect(imposedWithdrawalDue(jilin, { ...ended, today: '2026-09-15' }).due).toBe(false);
    expect(imposedWithdrawalDue(jilin, { ...ended, resumed: true, today: '2026-10-01' }).due).toBe(false);
    const lapse = { resumed: false, termRegistrationLapsed: true, today: '2026-09-20' };
    expect(imposedWithdrawalDue(beijing, lapse).ground).toBe('TERM_REGISTRATION_LAPSED');
    expect(imposedWithdrawalDue(national, lapse).due).toBe(false);
    expect(
      imposedWithdrawalDue(national, { resumed: false, truantHoursThisSemester: 90, today: '2026-12-01' }),
    ).toMatchObject({ due: true, ground: 'TRUANCY' });
    expect(
      imposedWithdrawalDue(national, { resumed: false, truantHoursThisSemester: 89, today: '2026-12-01' }).due,
    ).toBe(false);
    expect(imposedWithdrawalDue(national, { resumed: false, absentDaysInARow: 14, today: '2026-12-01' }).ground).toBe(
      'ABSENT_WITHOUT_LEAVE',
    );
  });

  it('SC-17: beijing notifies the guardian, else a public notice, then withdraws automatically; jilin "may"', () => {
    expect(imposedWithdrawalProcedure(beijing)).toEqual({
      notifyGuardian: true,
      publicNoticeDays: 10,
      automatic: true,
    });
    expect(imposedWithdrawalProcedure(jilin)).toEqual({
      notifyGuardian: false,
      publicNoticeDays: null,
      automatic: false,
    });
  });

  it('SC-17 (beijing): the school confirms an imposed withdrawal only once the guardian is told or the public notice ran', () => {
    const atSchool = { imposed: true, nextStep: 'SENDING_SCHOOL' as const, notice: null };
    const rules = (c: Parameters<typeof imposedProcedureBreaches>[0], today = '2026-09-30', profile = beijing) =>
      imposedProcedureBreaches(c, profile, today).map((v) => v.rule);
    expect(rules(atSchool)).toEqual(['SC-17']);
    expect(rules({ ...atSchool, notice: { guardianReached: true, ref: 'phone/1' } })).toEqual([]);
    const notice = { guardianReached: false, ref: 'phone/1', publicNoticeFrom: '2026-09-20' };
    expect(rules({ ...atSchool, notice }, '2026-09-29')).toEqual(['SC-17']);
    expect(rules({ ...atSchool, notice }, '2026-09-30')).toEqual([]);
    // Not imposed, past the school's step, or a profile without the procedure: nothing to hold.
    expect(rules({ ...atSchool, imposed: false })).toEqual([]);
    expect(rules({ ...atSchool, nextStep: 'SENDING_AUTHORITY' })).toEqual([]);
    expect(rules(atSchool, '2026-09-30', national)).toEqual([]);
  });

  it('SC-20 and the others: the status once a change takes effect', () => {
    const student = { status: 'ACTIVE' } as StudentFacts;
    const after = (kind: ChangeKind, status: StudentFacts['status'] = 'ACTIVE') =>
      newStatusAfter(kind, { ...student, status }, request(kind));
    expect(after('SUSPENSION')).toBe('SUSPENDED');
    expect(after('RESUMPTION', 'SUSPENDED')).toBe('ACTIVE');
    expect(after('WITHDRAWAL', 'SUSPENDED')).toBe('WITHDRAWN');
    expect(after('CANCELLATION')).toBe('CANCELLED');
    expect(after('DEATH')).toBe('DECEASED');
    expect(after('TRANSFER')).toBe('ACTIVE');
    expect(SENDING_SCHOOL_STATUS_AFTER_TRANSFER).toBe('TRANSFERRED_OUT');
    expect(after('MAJOR_CHANGE')).toBe('ACTIVE');
    expect(after('REPEAT')).toBe('ACTIVE');
    expect(after('DATA_CORRECTION', 'GRADUATED')).toBe('GRADUATED');
  });

  it('SC-22/ADM-4: monthly reports due on the 5th of the next month under hubei-shiyan, at month end elsewhere', () => {
    expect(monthlyReportDue(shiyan, 2026, 1)).toBe('2026-02-05');
    expect(monthlyReportDue(shiyan, 2026, 12)).toBe('2027-01-05');
    expect(monthlyReportDue(jilin, 2026, 2)).toBe('2026-02-28');
    expect(monthlyReportDue(jilin, 2028, 2)).toBe('2028-02-29');
    expect(monthlyReportDue(national, 2026, 12)).toBe('2026-12-31');
  });
});

describe('ADM-3 / SC-22 (GR-1 jilin): each record approved within the month it was submitted (China time)', () => {
  const at = (iso: string) => new Date(iso);
  const submittedAt = at('2026-03-10T02:00:00Z'); // 10:00 on 10 March in China

  it('a resumption approved in March is in time; in April, late', () => {
    const base = { kind: 'RESUMPTION' as const, submittedAt, approvals: [] };
    expect(recordTiming({ ...base, decidedAt: at('2026-03-25T02:00:00Z') })).toEqual({
      submittedOn: '2026-03-10',
      approvedOn: '2026-03-25',
      approvedInTime: true,
    });
    expect(recordTiming({ ...base, decidedAt: at('2026-04-02T02:00:00Z') })).toEqual({
      submittedOn: '2026-03-10',
      approvedOn: '2026-04-02',
      approvedInTime: false,
    });
  });

  it('the month ends at midnight in China, not in UTC', () => {
    const base = { kind: 'MAJOR_CHANGE' as const, submittedAt, approvals: [] };
    // 23:30 on 31 March in China: in time.
    expect(recordTiming({ ...base, decidedAt: at('2026-03-31T15:30:00Z') })?.approvedInTime).toBe(true);
    // 00:30 on 1 April in China (still 31 March in UTC): late.
    expect(recordTiming({ ...base, decidedAt: at('2026-03-31T16:30:00Z') })).toMatchObject({
      approvedOn: '2026-04-01',
      approvedInTime: false,
    });
  });

  it('a transfer-in is submitted by the receiving school: its month counts, not the sending school’s', () => {
    const transfer = {
      kind: 'TRANSFER' as const,
      submittedAt, // the sending school's request, in March
      approvals: [
        { step: 'SENDING_SCHOOL' as const, at: at('2026-03-11T02:00:00Z') },
        { step: 'SENDING_AUTHORITY' as const, at: at('2026-03-20T02:00:00Z') },
        { step: 'RECEIVING_SCHOOL' as const, at: at('2026-04-03T02:00:00Z') },
      ],
      decidedAt: at('2026-04-28T02:00:00Z'),
    };
    expect(recordTiming(transfer)).toEqual({
      submittedOn: '2026-04-03',
      approvedOn: '2026-04-28',
      approvedInTime: true,
    });
    expect(recordTiming({ ...transfer, decidedAt: at('2026-05-06T02:00:00Z') })?.approvedInTime).toBe(false);
  });

  it('a data change counts too; a suspension or one not yet approved carries no timing', () => {
    expect(
      recordTiming({ kind: 'DATA_CORRECTION', submittedAt, approvals: [], decidedAt: at('2026-05-01T02:00:00Z') }),
    ).toMatchObject({ approvedInTime: false });
    expect(
      recordTiming({ kind: 'SUSPENSION', submittedAt, approvals: [], decidedAt: at('2026-03-12T02:00:00Z') }),
    ).toBe(null);
    expect(recordTiming({ kind: 'RESUMPTION', submittedAt, approvals: [], decidedAt: null })).toBe(null);
  });
});
