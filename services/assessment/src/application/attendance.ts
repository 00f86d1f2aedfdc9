/** AS-8 / SC-17 / ENR-8: truant class hours per semester and absences without leave by day. */
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { day, fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import {
  absenceLimitReached,
  absencePeriodProblems,
  absenceRunAround,
  daysOf,
  MAX_ABSENCE_DAYS_PER_RECORD,
  truancyInputProblems,
  truancyLimitReached,
} from '../domain/attendance';
import { semesterOf } from '../domain/semester';
import { absenceDaysNear, lockStudentPlace, truantHoursIn } from '../reads/discipline';
import { requireStanding } from './standing';

export interface TruancyInput {
  studentId: string;
  /** The day the hours were missed (its semester is the one they count in); defaults to today. */
  on?: string | null;
  hours: number;
  reason?: string | null;
}

export interface TruancyResult {
  studentId: string;
  semester: string;
  truantHours: number;
  limitReached: boolean;
}

/**
 * AS-8: the registrar records truant class hours of a student; the semester's total so far is published
 * (`truancy.recorded`): at the profile's limit (SC-17, 90 hours) status-change opens an imposed-withdrawal
 * case and subsidy a ghost-student signal (SB-4).
 */
export const recordTruancy = command<TruancyInput, TruancyResult>({
  name: 'RECORD_TRUANCY',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ studentId: uuid, on: day('pastDate'), reason: text('reason') }), 'input'),
  async run(uow, input) {
    const problems = truancyInputProblems(input.hours);
    if (problems.length > 0) throw refusal(problems);
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    // SC-14 / SC-17: none for a student who has left or is suspended.
    await requireStanding(uow, place.studentId, 'ATTENDANCE');
    const semester = semesterOf(input.on ?? uow.today());
    const now = uow.now();
    await uow.manager.query(
      `INSERT INTO attendance_record (student_id, semester, truant_hours, recorded_at, recorded_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [place.studentId, semester, input.hours, now, uow.actor.subject, input.reason ?? null],
    );
    const truantHours = await truantHoursIn(uow.manager, place.studentId, semester);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.truancy.recorded.v1', place.studentId, {
        studentId: place.studentId,
        semester,
        truantHours,
        recordedAt: now.toISOString(),
      }),
    });
    return {
      studentId: place.studentId,
      semester,
      truantHours,
      limitReached: truancyLimitReached(uow.profile, truantHours),
    };
  },
  audit: (result, input) => ({
    entity: 'attendance_record',
    entityId: result.studentId,
    reason: input.reason ?? null,
    details: { semester: result.semester, hours: input.hours, truantHours: result.truantHours },
  }),
});

export interface AbsenceInput {
  studentId: string;
  from: string;
  /** The last day away (inclusive); defaults to `from`. */
  to?: string | null;
  reason?: string | null;
}

export interface AbsenceResult {
  studentId: string;
  /** The run of consecutive days absent that the recorded days belong to. */
  absentFrom: string;
  absentTo: string;
  absentDays: number;
  limitReached: boolean;
}

/**
 * AS-8 / SC-17: the registrar records days a student was away from school without leave. When the run of
 * consecutive days reaches the profile's `absenceDays` (two weeks), the fact is published once per run
 * (`absence.threshold-crossed`): status-change opens an imposed-withdrawal case, subsidy a ghost-student
 * signal (ENR-8, SB-4). Days already recorded are left as they were.
 */
export const recordAbsence = command<AbsenceInput, AbsenceResult>({
  name: 'RECORD_ABSENCE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({ studentId: uuid, from: day('pastDate'), to: day('pastDate'), reason: text('reason') }),
    'input',
  ),
  async run(uow, input) {
    const to = input.to ?? input.from;
    const problems = absencePeriodProblems(input.from, to);
    if (problems.length > 0) throw refusal(problems);
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    // SC-14 / SC-17: none for a student who has left or is suspended.
    await requireStanding(uow, place.studentId, 'ATTENDANCE');
    const now = uow.now();
    await uow.manager.query(
      `INSERT INTO absence_day (student_id, day, recorded_at, recorded_by, reason)
       SELECT $1, d::date, $3, $4, $5 FROM unnest($2::text[]) AS d
       ON CONFLICT (student_id, day) DO NOTHING`,
      [place.studentId, daysOf(input.from, to), now, uow.actor.subject, input.reason ?? null],
    );
    // A run can reach back and forward beyond the days recorded now; look far enough either side.
    const margin = 4 * MAX_ABSENCE_DAYS_PER_RECORD;
    const recorded = await absenceDaysNear(uow.manager, place.studentId, input.from, to, margin);
    const run = absenceRunAround(recorded, to)!;
    const limitReached = absenceLimitReached(uow.profile, run);
    if (limitReached) {
      const reported = await selectRows<{ student_id: string }>(
        uow.manager,
        `INSERT INTO absence_run_reported (student_id, absent_from, absent_to, reported_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (student_id, absent_from) DO NOTHING RETURNING student_id`,
        [place.studentId, run.from, run.to, now],
      );
      if (reported.length > 0) {
        uow.publish({
          topic: uow.topics.own,
          event: createEvent('xueji.assessment.absence.threshold-crossed.v1', place.studentId, {
            studentId: place.studentId,
            schoolId: place.schoolId,
            regionCode: place.regionCode,
            absentFrom: run.from,
            absentTo: run.to,
            absentDays: run.days,
            semester: semesterOf(run.to),
            recordedAt: now.toISOString(),
          }),
        });
      }
    }
    return { studentId: place.studentId, absentFrom: run.from, absentTo: run.to, absentDays: run.days, limitReached };
  },
  audit: (result, input) => ({
    entity: 'absence_day',
    entityId: result.studentId,
    reason: input.reason ?? null,
    details: { from: input.from, to: input.to ?? input.from, run: [result.absentFrom, result.absentTo] },
  }),
});
