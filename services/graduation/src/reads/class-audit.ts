import { canReadSchool, maskIdentity, requirePrincipal } from '@xueji/auth';
import { selectOne } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { isIsoDate, isUuid } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import { auditGraduation } from '../domain';
import { loadFacts, selectStudents } from './facts';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import type { AuditView } from './records';

/** One row of a class audit. */
export interface ClassAuditRowView {
  studentId: string;
  name: string;
  studentNumber: string | null;
  entryDate: string;
  audit: AuditView;
}

/**
 * GR-1: the audit of a class — a school's students who entered in a year — each with what they still
 * lack; keyset-paginated on `graduation_student_cohort` (school, entry date, student).
 */
export async function classGraduationAudit(
  ctx: ServiceContext,
  args: { schoolId: string; entryYear: number; first: number; after?: string | null },
): Promise<Page<ClassAuditRowView>> {
  requirePageSize(args.first, 200);
  const principal = requirePrincipal(ctx.principal);
  if (!isUuid(args.schoolId))
    throw badUserInput({ zh: '学校编号无效', en: 'Invalid school id' }, { field: 'schoolId' });
  if (!Number.isInteger(args.entryYear) || args.entryYear < 1950 || args.entryYear > 2100)
    throw badUserInput({ zh: '入学年份无效', en: 'Invalid entry year' }, { field: 'entryYear' });
  const school = await selectOne<{ regionCode: string }>(
    ctx.dataSource,
    `SELECT region_code AS "regionCode" FROM graduation_school WHERE school_id = $1`,
    [args.schoolId],
  );
  const allowed =
    (principal.role === 'SCHOOL_REGISTRAR' || principal.role === 'AUTHORITY_REVIEWER') &&
    canReadSchool(principal, { schoolId: args.schoolId, regionCode: school?.regionCode ?? '000000' });
  if (!allowed) throw forbidden({ zh: '无权查看该校的毕业审核', en: 'You may not see this school’s graduation audit' });
  const params: unknown[] = [args.schoolId, `${args.entryYear}-01-01`, `${args.entryYear + 1}-01-01`];
  let keyset = '';
  if (args.after) {
    const [entryDate, id] = decodeCursor(args.after, ['text', 'uuid']) as [string, string];
    if (!isIsoDate(entryDate)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
    params.push(entryDate, id);
    keyset = `AND (s.entry_date, s.student_id) > ($4::date, $5::uuid)`;
  }
  params.push(args.first + 1);
  const rows = await selectStudents(
    ctx.dataSource,
    `s.school_id = $1 AND s.entry_date >= $2::date AND s.entry_date < $3::date ${keyset}`,
    params,
    `ORDER BY s.entry_date, s.student_id LIMIT $${params.length}`,
  );
  const facts = await loadFacts(
    ctx.dataSource,
    rows.map((r) => r.studentId),
    rows,
  );
  const today = ctx.today();
  const views = rows.map((row): ClassAuditRowView => {
    const f = facts.get(row.studentId)!;
    return {
      studentId: row.studentId,
      name: row.name,
      studentNumber: maskIdentity(principal, row.studentNumber),
      entryDate: row.entryDate!,
      audit: { studentId: row.studentId, ...auditGraduation(f.facts, ctx.profile, today) },
    };
  });
  return toPage(views, args.first, args.after, (v) => [v.entryDate, v.studentId]);
}
