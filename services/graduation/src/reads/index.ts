import DataLoader from 'dataloader';
import { selectRows } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { GraduationStage } from '../entities/graduation-case';

/** What `Student.graduation` shows of one student. */
export interface GraduationRecordRow {
  studentId: string;
  stage: GraduationStage;
  diplomaNumber: string | null;
}

/** The graduation cases of every student a request asks for, in one statement (no case: not started). */
export function graduationRecords(ctx: ServiceContext): DataLoader<string, GraduationRecordRow> {
  return perRequest(
    ctx,
    'graduation-records',
    () =>
      new DataLoader<string, GraduationRecordRow>(async (studentIds) => {
        const rows = await selectRows<GraduationRecordRow>(
          ctx.dataSource,
          `SELECT student_id AS "studentId", stage, diploma_number AS "diplomaNumber"
             FROM graduation_case WHERE student_id = ANY($1::uuid[])`,
          [studentIds],
        );
        const byId = new Map(rows.map((row) => [row.studentId, row]));
        return studentIds.map((id) => byId.get(id) ?? { studentId: id, stage: 'NOT_STARTED', diplomaNumber: null });
      }),
  );
}
