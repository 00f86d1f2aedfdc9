import { chinaDate } from '@xueji/config';
import { registrationWindowOf, rule, type PolicyProfile } from '@xueji/policy';
import type { FraudSignalKind } from '@xueji/vocabulary';
import { ENDED_STATUSES, type RegistrationStatus } from './eligibility';

export type { FraudSignalKind };

type Evidence = Record<string, string | number | boolean | null | string[]>;

/** Something SB-4 says must be raised, not silently accepted, with the facts that show it. */
export interface Finding {
  kind: FraudSignalKind;
  /** What it is about — the other record, the period, the major, the point — so it is raised once. */
  subjectKey: string;
  period: string | null;
  zh: string;
  en: string;
  evidence: Evidence;
}

/** Another formal, current record of the same ID number. */
export interface SameIdRecord {
  studentId: string;
  schoolId: string | null;
  studentNumber: string | null;
}

/** What subsidy knows of a student that bears on SB-4, from events only. */
export interface SignalFacts {
  studentId: string;
  registrationStatus: RegistrationStatus;
  /** The latest status status-change published (null: none since registration). */
  latestStatus: string | null;
  schoolId: string | null;
  studentNumber: string | null;
  entryDate: string | null;
  registeredAt: string | null;
  approvedAt: string | null;
  majorCode: string | null;
  teachingPointId: string | null;
  /** The school's approvals as enrolment last published them; null where not stated. */
  school: { approvedMajorCodes: string[] | null; teachingPointIds: string[] | null } | null;
  sameIdNumber: SameIdRecord[];
  /** Periods whose current decision grants the grant or the waiver: what is being claimed. */
  claimed: { period: string; grant: boolean; waiver: boolean }[];
  /** ENR-17: terms not registered for within the limit, by the period they start in. */
  lapses: { term: string; period: string; termStartsOn: string }[];
  /** AS-8: truant hours recorded, by the period of the semester. */
  truancy: { semester: string; period: string; truantHours: number }[];
  /** SC-17: runs of absence without leave of the profile's consecutive days, by the period each ends in. */
  absences?: { from: string; to: string; days: number; period: string }[];
}

/** A formal status the student still holds: approved, and not ended by a change (ENR-7's slot). */
export function holdsStatus(f: Pick<SignalFacts, 'registrationStatus' | 'latestStatus'>): boolean {
  return f.registrationStatus === 'APPROVED' && !(f.latestStatus && ENDED_STATUSES.has(f.latestStatus));
}

/** ENR-7: a record of one ID number that another current formal record shares (at another school, or the same). */
export function doubleStatusFinding(record: SameIdRecord, other: SameIdRecord): Finding {
  const here = other.schoolId === record.schoolId;
  return {
    kind: 'DOUBLE_STATUS',
    subjectKey: other.studentId,
    period: null,
    zh: `同一身份证号在${here ? '本校' : '另一学校'}另有在籍学籍（学籍号 ${other.studentNumber ?? '未知'}）`,
    en: `The same ID number holds another current status${here ? ' at this school' : ' at another school'} (student number ${other.studentNumber ?? 'unknown'})`,
    evidence: {
      studentNumber: record.studentNumber,
      schoolId: record.schoolId,
      otherStudentId: other.studentId,
      otherSchoolId: other.schoolId,
      otherStudentNumber: other.studentNumber,
    },
  };
}

function doubleStatus(f: SignalFacts): Finding[] {
  if (!holdsStatus(f)) return [];
  const self = { studentId: f.studentId, schoolId: f.schoolId, studentNumber: f.studentNumber };
  return f.sameIdNumber.map((other) => doubleStatusFinding(self, other));
}

/**
 * ENR-8: a period claimed while the student had lapsed from term registration, was truant past SC-17's
 * limit, or was away without leave for SC-17's consecutive days.
 */
function ghostStudents(f: SignalFacts, profile: PolicyProfile): Finding[] {
  const limit = rule(profile, 'SC-17').truancyHoursPerSemester;
  const absenceDays = rule(profile, 'SC-17').absenceDays;
  return f.claimed.flatMap((claim) => {
    if (!claim.grant && !claim.waiver) return [];
    const lapse = f.lapses.find((l) => l.period === claim.period);
    const truant = f.truancy.find((t) => t.period === claim.period && t.truantHours >= limit);
    const away = (f.absences ?? []).find((a) => a.period === claim.period && a.days >= absenceDays);
    if (!lapse && !truant && !away) return [];
    const why = [
      lapse && {
        zh: `${lapse.term} 学期未按时注册（ENR-17）`,
        en: `not registered for term ${lapse.term} within the limit (ENR-17)`,
      },
      truant && {
        zh: `${truant.semester} 学期旷课 ${truant.truantHours} 学时（达到 ${limit} 学时）`,
        en: `truant ${truant.truantHours} class hours in ${truant.semester} (limit ${limit})`,
      },
      away && {
        zh: `${away.from} 至 ${away.to} 擅自离校连续 ${away.days} 天（SC-17）`,
        en: `away without leave ${away.days} days in a row, ${away.from} to ${away.to} (SC-17)`,
      },
    ].filter((w): w is { zh: string; en: string } => Boolean(w));
    const claimedWhat = [claim.grant && 'GRANT', claim.waiver && 'TUITION_WAIVER'].filter(
      (c): c is string => typeof c === 'string',
    );
    return [
      {
        kind: 'GHOST_STUDENT' as const,
        subjectKey: claim.period,
        period: claim.period,
        zh: `${claim.period} 仍申领资助，但学生${why.map((w) => w.zh).join('，')}`,
        en: `Aid claimed for ${claim.period} although the student was ${why.map((w) => w.en).join(' and ')}`,
        evidence: {
          period: claim.period,
          claimed: claimedWhat,
          lapsedTerm: lapse?.term ?? null,
          termStartsOn: lapse?.termStartsOn ?? null,
          truantHours: truant?.truantHours ?? null,
          truancyLimitHours: truant ? limit : null,
          absentFrom: away?.from ?? null,
          absentTo: away?.to ?? null,
          absentDays: away?.days ?? null,
        },
      },
    ];
  });
}

/** ENR-4: registered after the intake's deadline, or approved after its review day. */
function lateRegistration(f: SignalFacts, profile: PolicyProfile): Finding[] {
  if (f.registrationStatus !== 'APPROVED' || !f.entryDate || !f.registeredAt) return [];
  const window = registrationWindowOf(profile, f.entryDate);
  const registeredOn = chinaDate(new Date(f.registeredAt));
  const approvedOn = f.approvedAt ? chinaDate(new Date(f.approvedAt)) : null;
  const evidence: Evidence = {
    entryDate: f.entryDate,
    registeredOn,
    approvedOn,
    deadline: window?.deadline ?? null,
    reviewBy: window?.reviewBy ?? null,
  };
  const finding = (zh: string, en: string): Finding[] => [
    { kind: 'LATE_REGISTRATION', subjectKey: 'registration', period: null, zh, en, evidence },
  ];
  if (!window)
    return finding(`${f.entryDate} 入学不属于任何注册批次`, `No registration window covers entry on ${f.entryDate}`);
  if (registeredOn > window.deadline) {
    return finding(
      `${registeredOn} 注册，晚于 ${window.deadline} 的注册截止日（当年学籍当年申报）`,
      `Registered on ${registeredOn}, after the ${window.deadline} deadline`,
    );
  }
  if (approvedOn && window.reviewBy && approvedOn > window.reviewBy) {
    return finding(
      `${approvedOn} 审核，晚于 ${window.reviewBy} 的审核截止日`,
      `Approved on ${approvedOn}, after the ${window.reviewBy} review deadline`,
    );
  }
  return [];
}

/** ENR-16 / ENR-20: a major the school is not approved for, or a teaching point it has not named. */
function unapprovedPlace(f: SignalFacts): Finding[] {
  if (f.registrationStatus !== 'APPROVED' || !f.school) return [];
  const out: Finding[] = [];
  const majors = f.school.approvedMajorCodes;
  if (f.majorCode && majors && !majors.includes(f.majorCode)) {
    out.push({
      kind: 'UNAPPROVED_MAJOR',
      subjectKey: f.majorCode,
      period: null,
      zh: `专业 ${f.majorCode} 不在学校经批准开设的专业之列（ENR-16）`,
      en: `Major ${f.majorCode} is not among the majors the school is approved for (ENR-16)`,
      evidence: { schoolId: f.schoolId, majorCode: f.majorCode, approvedMajorCodes: majors },
    });
  }
  const points = f.school.teachingPointIds;
  if (f.teachingPointId && points && !points.includes(f.teachingPointId)) {
    out.push({
      kind: 'OFF_SITE_POINT',
      subjectKey: f.teachingPointId,
      period: null,
      zh: '学生登记在学校未经备案的校外教学点（ENR-20）',
      en: 'The student is registered at an off-site teaching point the school has not named (ENR-20)',
      evidence: { schoolId: f.schoolId, teachingPointId: f.teachingPointId, namedTeachingPointIds: points },
    });
  }
  return out;
}

/**
 * SB-4: the fraud signals a student's facts show — double status, ghost students, registration
 * after the window, unapproved majors and off-site points. Pure; the caller keeps each finding as
 * a signal with its state, and marks signals no finding supports any more.
 */
export function detectFraud(f: SignalFacts, profile: PolicyProfile): Finding[] {
  return [...doubleStatus(f), ...ghostStudents(f, profile), ...lateRegistration(f, profile), ...unapprovedPlace(f)];
}
