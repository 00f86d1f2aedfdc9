import DataLoader from 'dataloader';
import { assertCanReadSchool, requirePrincipal } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { CreditRecognitionKind } from '@xueji/vocabulary';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { schoolRegion } from './plans';

/** A row of a school's conversion table (AS-4). */
export interface ConversionRow {
  id: string;
  schoolId: string;
  kind: CreditRecognitionKind;
  certificateCode: string;
  credits: number;
  exemptCourseCodes: string[];
}

/** A student's recognition (AS-4, AS-6). */
export interface RecognitionRow {
  id: string;
  studentId: string;
  kind: CreditRecognitionKind;
  certificateCode: string;
  credits: number;
  recordedAt: Date;
  /** GR-11: the certificate as printed; null for prior work, a PE exemption and older records. */
  certificateTitle: string | null;
  certificateNumber: string | null;
  issuedOn: string | null;
}

export const RECOGNITION_COLUMNS = `r.id, r.student_id AS "studentId", r.kind, r.certificate_code AS "certificateCode",
  r.credits::float8 AS credits, r.recorded_at AS "recordedAt", r.certificate_title AS "certificateTitle",
  r.certificate_number AS "certificateNumber", to_char(r.issued_on, 'YYYY-MM-DD') AS "issuedOn"`;

export type ConversionPage = Page<ConversionRow>;
export type RecognitionPage = Page<RecognitionRow>;

const CONVERSION_COLUMNS = `c.id, c.school_id AS "schoolId", c.kind, c.certificate_code AS "certificateCode",
  c.credits::float8 AS credits, c.exempt_course_codes AS "exemptCourseCodes"`;

/**
 * AS-4: a school's conversion table, by kind, certificate code and id; a registrar reads its own school,
 * a reviewer or officer its region's (FORBIDDEN otherwise); empty for a school assessment does not know.
 * The cursor is the last row's id (rows are never deleted: the table is corrected in place).
 */
export async function conversionTable(
  ctx: ServiceContext,
  schoolId: string,
  first: number,
  after?: string | null,
): Promise<ConversionPage> {
  const principal = requirePrincipal(ctx.principal);
  requirePageSize(first, 200);
  const [id] = after ? decodeCursor(after, ['uuid']) : [null];
  const empty = toPage<ConversionRow>([], first, after, () => []);
  if (!isUuid(schoolId)) return empty;
  const regionCode = await schoolRegion(ctx.dataSource.manager, schoolId);
  if (!regionCode) return empty;
  assertCanReadSchool(principal, { schoolId, regionCode });
  const rows = await selectRows<ConversionRow>(
    ctx.dataSource,
    `SELECT ${CONVERSION_COLUMNS} FROM credit_conversion c
      WHERE c.school_id = $1
        AND ($2::uuid IS NULL OR (c.kind, c.certificate_code, c.id) >
             (SELECT a.kind, a.certificate_code, a.id FROM credit_conversion a WHERE a.id = $2 AND a.school_id = $1))
      ORDER BY c.kind, c.certificate_code, c.id LIMIT $3`,
    [schoolId, id, first + 1],
  );
  return toPage(rows, first, after, (r) => [r.id]);
}

/**
 * `Student.creditRecognitions` (AS-4, AS-6) of every student of a request: one statement per page size
 * and cursor, oldest first (index credit_recognition_page).
 */
export function recognitionsOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<RecognitionPage> {
  requirePageSize(first, 200);
  const cursor = after ? decodeCursor(after, ['instant', 'uuid']) : null;
  const loader = perRequest(
    ctx,
    `student-recognitions:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, RecognitionRow[]>(async (ids) => {
        const rows = await selectRows<RecognitionRow>(
          ctx.dataSource,
          `SELECT ${RECOGNITION_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM credit_recognition r0 WHERE r0.student_id = k.id
                  AND ($2::timestamptz IS NULL OR (r0.recorded_at, r0.id) > ($2::timestamptz, $3::uuid))
                ORDER BY r0.recorded_at, r0.id LIMIT $4) r
            ORDER BY r.recorded_at, r.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.recordedAt.toISOString(), r.id]));
}
