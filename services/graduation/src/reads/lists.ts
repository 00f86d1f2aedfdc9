import DataLoader from 'dataloader';
import { requirePrincipal } from '@xueji/auth';
import { selectOne, selectRows, SqlParams, type Queryable } from '@xueji/db';
import { forbidden } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { GraduateListState } from '@xueji/vocabulary';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { callerSchools, mayReadSchool } from './schools';

/** A graduate list (GR-3), with its school's competent authority (who reviews it). */
export interface GraduateListRow {
  id: string;
  schoolId: string;
  authorityRegionCode: string;
  regionCode: string;
  term: string;
  state: GraduateListState;
  submittedAt: Date;
  decidedAt: Date | null;
  verificationSheetRef: string | null;
  reason: string | null;
  /** GR-3: the day the authority stamped the printed diplomas (验印), and when it recorded it. */
  verifiedOn: string | null;
  verifiedAt: Date | null;
}

/** One student of a list, with the diploma approval gave. */
export interface GraduateListEntryRow {
  listId: string;
  studentId: string;
  name: string;
  diplomaNumber: string | null;
}

const LIST_COLUMNS = `
  l.id, l.school_id AS "schoolId", sc.authority_region_code AS "authorityRegionCode", sc.region_code AS "regionCode",
  l.term, l.state, l.submitted_at AS "submittedAt", l.decided_at AS "decidedAt",
  l.verification_sheet_ref AS "verificationSheetRef", l.reason, l.verified_on AS "verifiedOn", l.verified_at AS "verifiedAt"`;

export function graduateListById(db: Queryable, id: string, lock = false): Promise<GraduateListRow | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return selectOne<GraduateListRow>(
    db,
    `SELECT ${LIST_COLUMNS} FROM graduate_list l JOIN graduation_school sc ON sc.school_id = l.school_id
      WHERE l.id = $1 ${lock ? 'FOR UPDATE OF l' : ''}`,
    [id],
  );
}

/** May the caller see this list: the school's registrar, or a reviewer covering the school or its authority. */
export function maySeeList(ctx: ServiceContext, list: GraduateListRow): boolean {
  return mayReadSchool(requirePrincipal(ctx.principal), list.schoolId, list);
}

/** The students of the lists a request asks for, in one statement. */
export function listEntries(ctx: ServiceContext): DataLoader<string, GraduateListEntryRow[]> {
  return perRequest(
    ctx,
    'graduate-list-entries',
    () =>
      new DataLoader<string, GraduateListEntryRow[]>(async (listIds) => {
        const rows = await selectRows<GraduateListEntryRow>(
          ctx.dataSource,
          `SELECT e.list_id AS "listId", e.student_id AS "studentId", s.name, c.number AS "diplomaNumber"
             FROM graduate_list_entry e
             JOIN graduation_student s ON s.student_id = e.student_id
             LEFT JOIN certificate c ON c.list_id = e.list_id AND c.student_id = e.student_id
            WHERE e.list_id = ANY($1::uuid[]) ORDER BY e.student_id`,
          [listIds],
        );
        return listIds.map((id) => rows.filter((r) => r.listId === id));
      }),
  );
}

/** GR-3: the lists a registrar's school submitted, or those a reviewer's region reviews, oldest first (keyset on the index). */
export async function graduateLists(
  ctx: ServiceContext,
  args: { state?: GraduateListState | null; first: number; after?: string | null },
): Promise<Page<GraduateListRow>> {
  requirePageSize(args.first, 200);
  const params = new SqlParams();
  const where = [
    callerSchools(
      ctx.principal,
      params,
      { schoolId: 'l.school_id', authorityRegionCode: 'sc.authority_region_code' },
      () => forbidden({ zh: '无权查看毕业生名册', en: 'You may not see graduate lists' }),
    ),
  ];
  if (args.state) where.push(`l.state = ${params.add(args.state)}`);
  if (args.after) {
    const [at, id] = decodeCursor(args.after, ['instant', 'uuid']) as [string, string];
    where.push(`(l.submitted_at, l.id) > (${params.add(at)}::timestamptz, ${params.add(id)}::uuid)`);
  }
  const rows = await selectRows<GraduateListRow>(
    ctx.dataSource,
    `SELECT ${LIST_COLUMNS} FROM graduate_list l JOIN graduation_school sc ON sc.school_id = l.school_id
      WHERE ${where.join(' AND ')} ORDER BY l.submitted_at, l.id LIMIT ${params.add(args.first + 1)}`,
    params.values,
  );
  return toPage(rows, args.first, args.after, (r) => [r.submittedAt.toISOString(), r.id]);
}
