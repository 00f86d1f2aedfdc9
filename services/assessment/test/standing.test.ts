/**
 * The student's standing (domain/standing.ts): what a student who has left, or a suspended one, may
 * still have recorded, and the cohort a resuming student joins (SC-15). The same in every profile: the
 * policy profiles hold no value of it. No I/O.
 */
import { STATUS_CODES } from '@xueji/vocabulary';
import {
  hasLeft,
  resumedCohort,
  schoolYearOf,
  standingRefusal,
  type SittingFacts,
  type StudentWrite,
} from '../src/domain/standing';

const WRITES: StudentWrite[] = ['RESULT', 'CONDUCT', 'ATTENDANCE', 'REWARD', 'SANCTION', 'INTERNSHIP'];
const LEFT = ['WITHDRAWN', 'CANCELLED', 'DECEASED', 'TRANSFERRED_OUT', 'EXPELLED', 'GRADUATED', 'COMPLETED'] as const;
const newSitting: SittingFacts = { attempt: 'REGULAR', examDate: null, onFile: false };

describe('who has left', () => {
  it('the ended statuses (SC-16 … SC-20, AS-11, GR-3, GR-6) and no other', () => {
    expect(STATUS_CODES.filter(hasLeft)).toEqual(LEFT);
  });
});

describe('standingRefusal', () => {
  it('an enrolled student, or one assessment has no study record of, is refused nothing', () => {
    for (const write of WRITES) {
      expect(standingRefusal({ status: 'ACTIVE', since: null }, write, newSitting)).toBeNull();
      expect(standingRefusal(null, write, newSitting)).toBeNull();
    }
  });

  it.each(LEFT)('%s: every new write is refused, naming the status and the day, in Chinese and English', (status) => {
    for (const write of WRITES) {
      const message = standingRefusal({ status, since: '2026-11-20' }, write, newSitting);
      expect(message?.zh).toContain('（自 2026-11-20 起）');
      expect(message?.en).toContain('since 2026-11-20');
    }
    expect(standingRefusal({ status: 'WITHDRAWN', since: '2026-11-20' }, 'RESULT', newSitting)).toEqual({
      zh: '该学生学籍状态为“退学”（自 2026-11-20 起），不能再记录成绩；只能更正已录入的成绩，或录入离校前举行的考核（须填考试日期）',
      en: 'The student is withdrawn since 2026-11-20: no new results can be recorded; only a result on file can be corrected, or a sitting held before that day recorded (with its exam date)',
    });
  });

  it('GR-7: a correction, and a sitting held before the day the student left, are still recorded', () => {
    const withdrawn = { status: 'WITHDRAWN', since: '2026-11-20' } as const;
    expect(standingRefusal(withdrawn, 'RESULT', { ...newSitting, onFile: true })).toBeNull();
    expect(standingRefusal(withdrawn, 'RESULT', { ...newSitting, examDate: '2026-11-19' })).toBeNull();
    expect(standingRefusal(withdrawn, 'RESULT', { ...newSitting, examDate: '2026-11-20' })).not.toBeNull();
    expect(standingRefusal(withdrawn, 'RESULT', { ...newSitting, attempt: 'MAKE_UP' })).not.toBeNull();
    // Only results: a conduct evaluation or a sanction is not a sitting.
    expect(standingRefusal(withdrawn, 'CONDUCT', { ...newSitting, onFile: true })).not.toBeNull();
  });

  it('GR-6: after a certificate of completion, make-ups and retakes are recorded; a new regular sitting is not', () => {
    const completed = { status: 'COMPLETED', since: '2027-07-01' } as const;
    expect(standingRefusal(completed, 'RESULT', { ...newSitting, attempt: 'MAKE_UP' })).toBeNull();
    expect(standingRefusal(completed, 'RESULT', { ...newSitting, attempt: 'RETAKE' })).toBeNull();
    expect(standingRefusal(completed, 'RESULT', newSitting)).not.toBeNull();
    expect(standingRefusal(completed, 'ATTENDANCE')).not.toBeNull();
  });

  it('SC-14: a suspended student gets no attendance recorded, everything else is still recorded', () => {
    const suspended = { status: 'SUSPENDED', since: '2026-10-15' } as const;
    expect(standingRefusal(suspended, 'ATTENDANCE')).toEqual({
      zh: '该学生学籍状态为“休学”（自 2026-10-15 起），不能再记录考勤（旷课、擅自离校）',
      en: 'The student is suspended since 2026-10-15: no new attendance (truancy, absence without leave) can be recorded',
    });
    for (const write of WRITES.filter((w) => w !== 'ATTENDANCE')) {
      expect(standingRefusal(suspended, write, newSitting)).toBeNull();
    }
  });
});

describe('SC-15: the cohort a resuming student joins', () => {
  it('school years run August to July', () => {
    expect(schoolYearOf('2026-08-01')).toBe(2026);
    expect(schoolYearOf('2027-07-31')).toBe(2026);
    expect(schoolYearOf('2027-01-15')).toBe(2026);
  });

  it('one school year away: the next cohort (like a repeat); two: two cohorts on', () => {
    expect(resumedCohort(2026, '2026-10-15', '2027-09-01')).toBe(2027);
    expect(resumedCohort(2026, '2027-03-01', '2028-02-20')).toBe(2027);
    expect(resumedCohort(2026, '2026-10-15', '2028-09-01')).toBe(2028);
  });

  it('within one school year (beijing suspends by semester) the cohort stays; an unknown suspension keeps it', () => {
    expect(resumedCohort(2026, '2026-09-20', '2027-02-20')).toBe(2026);
    expect(resumedCohort(2026, null, '2027-09-01')).toBe(2026);
  });
});
