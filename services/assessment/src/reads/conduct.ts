import DataLoader from 'dataloader';
import { selectRows } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { ConductGrade, ConductPeriod } from '@xueji/vocabulary';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';

/** A conduct evaluation (AS-2). `term` is '' at graduation (shown as null). */
export interface ConductRow {
  id: string;
  studentId: string;
  schoolId: string;
  period: ConductPeriod;
  term: string;
  grade: ConductGrade | null;
  comment: string | null;
  recordedAt: Date;
}

export type ConductPage = Page<ConductRow>;

export const CONDUCT_COLUMNS = `e.id, e.student_id AS "studentId", e.school_id AS "schoolId", e.period, e.term, e.grade,
  e.comment, e.recorded_at AS "recordedAt"`;

/**
 * `Student.conduct` of every student of a request: one statement per page size and cursor, oldest
 * term first, the graduation appraisal (no term) first (index conduct_evaluation_page).
 */
export function conductOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<ConductPage> {
  requirePageSize(first, 200);
  const cursor = after ? decodeCursor(after, ['text', 'uuid']) : null;
  const loader = perRequest(
    ctx,
    `student-conduct:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, ConductRow[]>(async (ids) => {
        const rows = await selectRows<ConductRow>(
          ctx.dataSource,
          `SELECT ${CONDUCT_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM conduct_evaluation e0 WHERE e0.student_id = k.id
                  AND ($2::text IS NULL OR (e0.term, e0.id) > ($2::text, $3::uuid))
                ORDER BY e0.term, e0.id LIMIT $4) e
            ORDER BY e.term, e.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.term, r.id]));
}
