import DataLoader from 'dataloader';
import { selectRows } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { semesterOf } from '../domain/semester';

/** What `Student.assessment` shows of one student. */
export interface AssessmentSummaryRow {
  studentId: string;
  resultsRecorded: number;
  truantHoursThisSemester: number;
}

/**
 * The summaries of every student a request asks for, in one statement: a list of 100 students
 * costs what one costs.
 */
export function assessmentSummaries(ctx: ServiceContext): DataLoader<string, AssessmentSummaryRow> {
  return perRequest(ctx, 'assessment-summaries', () => {
    const semester = semesterOf(ctx.today());
    return new DataLoader<string, AssessmentSummaryRow>(async (studentIds) => {
      const rows = await selectRows<AssessmentSummaryRow>(
        ctx.dataSource,
        `SELECT s.id AS "studentId",
                (SELECT count(*)::int FROM course_result r WHERE r.student_id = s.id) AS "resultsRecorded",
                (SELECT coalesce(sum(a.truant_hours), 0)::int FROM attendance_record a
                  WHERE a.student_id = s.id AND a.semester = $2) AS "truantHoursThisSemester"
           FROM unnest($1::uuid[]) AS s(id)`,
        [studentIds, semester],
      );
      const byId = new Map(rows.map((row) => [row.studentId, row]));
      return studentIds.map((id) => byId.get(id)!);
    });
  });
}
