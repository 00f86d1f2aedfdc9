import { isRegionCode, regionCovers, regionPrefix, requirePrincipal } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import { concurrencyLimit, FILE_WORK_CONCURRENCY, type ServiceContext } from '@xueji/service-kit';
import { writeSheet } from '@xueji/spreadsheet';
import type { ChangeKind, ReportKind } from '@xueji/vocabulary';
import { monthlyReportDue } from '../domain';
import type { QueryMonthlyReportArgs } from '../generated/resolvers-types';
import { schoolEntry } from './facts';

/** One change of the month in the report. */
export interface MonthlyReportRow {
  requestId: string;
  studentId: string;
  kind: ChangeKind;
  effectiveDate: string;
  fromSchoolId: string;
  toSchoolId: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
  late: boolean;
}

export interface MonthlyReport {
  kind: ReportKind;
  month: string;
  scope: string;
  dueDate: string;
  generatedAt: Date;
  rows: MonthlyReportRow[];
  lateCount: number;
  file: string;
  fileName: string;
}

const TITLES: Record<ReportKind, { zh: string; en: string }> = {
  STATUS_CHANGES: { zh: '学籍异动月报', en: 'Monthly status-change report' },
  PERSONAL_DATA: { zh: '学生信息变更月报', en: 'Monthly personal-data-change report' },
};

/** A school's report: the changes it sent or received. */
export const SCHOOL_SCOPE = '(r.from_school_id = $4 OR r.to_school_id = $4)';

/** A region's report: the changes of the schools under its authorities (`$4` is the region's prefix and `%`). */
export const REGION_SCOPE = 'f.authority_region_code LIKE $4';

/**
 * ADM-4 / SC-22: the monthly report of changes that took effect in a month, for a school or an
 * authority's region. A month without changes still has its (empty) report. ADM-3: a change
 * submitted after the report's due date (the 5th of the next month under hubei-shiyan, the
 * month's end elsewhere) is flagged late. A reviewer's `schoolId` narrows the report to that
 * school, which must be under the reviewer's authority (else FORBIDDEN, as for an unknown school)
 * and within `regionCode` if both are given (else BAD_USER_INPUT naming `regionCode`). Issue 10:
 * like every file export, at most two are built at once in a process; a third waits up to a second,
 * then is refused with a retryable SERVICE_UNAVAILABLE.
 */
export async function monthlyReport(ctx: ServiceContext, args: QueryMonthlyReportArgs): Promise<MonthlyReport> {
  const principal = requirePrincipal(ctx.principal);
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(args.month);
  if (!match)
    throw badUserInput({ zh: '月份格式应为 YYYY-MM', en: 'The month must look like YYYY-MM' }, { field: 'month' });
  const [year, month] = [Number(match[1]), Number(match[2])];
  const dueDate = monthlyReportDue(ctx.profile, year, month);

  let scope: { sql: string; value: string; label: string };
  if (principal.role === 'SCHOOL_REGISTRAR') {
    if (args.schoolId && args.schoolId !== principal.schoolId) throw forbidden();
    scope = {
      sql: SCHOOL_SCOPE,
      value: principal.schoolId!,
      label: principal.schoolId!,
    };
  } else if (principal.role === 'AUTHORITY_REVIEWER' && principal.regionCode) {
    const region = args.regionCode ?? principal.regionCode;
    if (!isRegionCode(region) || !region.startsWith(regionPrefix(principal.regionCode))) throw forbidden();
    if (args.schoolId) {
      // One school's report, the same rows its registrar gets. The school must be under the
      // reviewer's authority (ADM-1), and within `regionCode` when that narrows it further.
      if (!isUuid(args.schoolId)) {
        throw badUserInput({ zh: '学校编号格式不正确', en: 'The school id is not a valid id' }, { field: 'schoolId' });
      }
      const school = await schoolEntry(ctx.dataSource.manager, args.schoolId);
      // An unknown school and one outside the region look the same.
      if (!school || !regionCovers(principal.regionCode, school.authorityRegionCode)) throw forbidden();
      if (!regionCovers(region, school.authorityRegionCode)) {
        throw badUserInput(
          { zh: `该学校不在辖区 ${region} 内`, en: `The school is not within region ${region}` },
          { field: 'regionCode' },
        );
      }
      scope = { sql: SCHOOL_SCOPE, value: school.schoolId, label: school.schoolId };
    } else {
      scope = { sql: REGION_SCOPE, value: `${regionPrefix(region)}%`, label: region };
    }
  } else {
    throw forbidden();
  }
  // Like every file export (FILE_WORK_CONCURRENCY): one at a time in a process, another waits up to 1 s.
  return MONTHLY_REPORTS.run(() => buildReport(ctx, args, scope, dueDate));
}

/** Reports built at once in this process (issue 10: each holds its rows, their JSON and the .xlsx). */
const MONTHLY_REPORTS = concurrencyLimit('MONTHLY_REPORT', FILE_WORK_CONCURRENCY);

/**
 * The report's rows as the read selects them (exported for the plan test): the month is a range of
 * days on `change_request_effective` (effective requests by day, migration 1763800013700), so a
 * month is read on its own, not the table; the scope is checked on the month's rows.
 */
export function monthlyReportStatement(
  kind: ReportKind,
  month: string,
  scope: { sql: string; value: string },
  dueDate: string,
): { text: string; values: unknown[] } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
  return {
    text: `SELECT r.id AS "requestId", r.student_id AS "studentId", r.kind, r.effective_date::text AS "effectiveDate",
            r.from_school_id AS "fromSchoolId", r.to_school_id AS "toSchoolId",
            r.submitted_at AS "submittedAt", r.decided_at AS "decidedAt",
            (r.submitted_at AT TIME ZONE 'Asia/Shanghai')::date > $5::date AS late
       FROM change_request r LEFT JOIN school_directory f ON f.school_id = r.from_school_id
      WHERE r.state = 'EFFECTIVE' AND r.effective_date >= $1::date AND r.effective_date < $2::date
        AND (CASE WHEN $3 = 'PERSONAL_DATA' THEN r.kind = 'DATA_CORRECTION' ELSE r.kind <> 'DATA_CORRECTION' END)
        AND ${scope.sql}
      ORDER BY r.effective_date, r.submitted_at`,
    values: [`${month}-01`, next, kind, scope.value, dueDate],
  };
}

async function buildReport(
  ctx: ServiceContext,
  args: QueryMonthlyReportArgs,
  scope: { sql: string; value: string; label: string },
  dueDate: string,
): Promise<MonthlyReport> {
  const statement = monthlyReportStatement(args.kind, args.month, scope, dueDate);
  const rows = await selectRows<MonthlyReportRow>(ctx.dataSource, statement.text, statement.values);
  const title = TITLES[args.kind];
  return {
    kind: args.kind,
    month: args.month,
    scope: scope.label,
    dueDate,
    generatedAt: new Date(),
    rows,
    lateCount: rows.filter((r) => r.late).length,
    file: await reportFile(`${title.zh}（${args.month}）`, rows),
    fileName: `${args.kind.toLowerCase()}-${args.month}-${scope.label}.xlsx`.replace(/[^\w.-]/g, '_'),
  };
}

/** The report as .xlsx, base64 (times in ISO 8601, as the JSON rows give them). */
async function reportFile(title: string, rows: MonthlyReportRow[]): Promise<string> {
  const content = await writeSheet({
    sheetName: '月报',
    title,
    headers: ['序号', '学生', '异动类别', '生效日期', '原学校', '转入学校', '申报时间', '审核完成时间', '逾期申报'],
    rows: rows.map((r, i) => [
      i + 1,
      r.studentId,
      r.kind,
      r.effectiveDate,
      r.fromSchoolId,
      r.toSchoolId ?? '',
      r.submittedAt.toISOString(),
      r.decidedAt ? r.decidedAt.toISOString() : '',
      r.late ? '是' : '否',
    ]),
    footer: rows.length === 0 ? [['本月无变动 / No changes this month']] : [],
  });
  return content.toString('base64');
}
