import { maskIdentity, type Principal } from '@xueji/auth';
import { selectRows, type Queryable } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { isIsoDate, isUuid } from '@xueji/rules';
import type { CertificateKind, CertificateState, StudyForm } from '@xueji/vocabulary';
import { findSchool, mayReadSchool, type SchoolRow } from './schools';

/**
 * The school's registrar, or a reviewer whose region covers the school or its competent authority
 * (as the class audit and the graduate lists allow); else FORBIDDEN. A school graduation has not
 * heard of yet is its registrar's alone (and empty).
 */
export async function schoolForReader(
  db: Queryable,
  principal: Principal,
  schoolId: string,
  field: string,
): Promise<SchoolRow | null> {
  if (!isUuid(schoolId)) throw badUserInput({ zh: '学校编号无效', en: 'Invalid school id' }, { field });
  const school = await findSchool(db, schoolId);
  if (!mayReadSchool(principal, schoolId, school))
    throw forbidden({ zh: '无权查看该校的证书', en: 'You may not see this school’s certificates' });
  return school;
}

/** Which certificates: a school's, of a kind, issued between two days (both included). */
export interface CertificatesFilter {
  schoolId: string;
  kind?: CertificateKind | null;
  issuedFrom?: string | null;
  issuedTo?: string | null;
}

/** A certificate as the registrar's list of those issued shows it (never an ID number). */
export interface IssuedCertificateView {
  id: string;
  studentId: string;
  number: string;
  kind: CertificateKind;
  state: CertificateState;
  name: string;
  /** As the caller may see it (ADM-5, `maskIdentity`). */
  studentNumber: string | null;
  issuedOn: string;
  entryDate: string;
  majorCode: string | null;
  studyForm: StudyForm;
}

function checkFilter(filter: CertificatesFilter): void {
  for (const field of ['issuedFrom', 'issuedTo'] as const) {
    const day = filter[field];
    if (day !== null && day !== undefined && !isIsoDate(day))
      throw badUserInput({ zh: '日期无效', en: 'Invalid date' }, { field: `filter.${field}` });
  }
  if (filter.issuedFrom && filter.issuedTo && filter.issuedFrom > filter.issuedTo)
    throw badUserInput(
      { zh: '起始日期晚于截止日期', en: 'issuedFrom is after issuedTo' },
      { field: 'filter.issuedFrom' },
    );
}

/** The statement of one page of `certificates` (first + 1 rows), in order on the index. */
export function certificatesStatement(
  filter: CertificatesFilter,
  first: number,
  after?: string | null,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = [`c.school_id = ${param(filter.schoolId)}`];
  if (filter.kind) where.push(`c.kind = ${param(filter.kind)}`);
  if (filter.issuedFrom) where.push(`c.issued_on >= ${param(filter.issuedFrom)}::date`);
  if (filter.issuedTo) where.push(`c.issued_on <= ${param(filter.issuedTo)}::date`);
  if (after) {
    const [issuedOn, id] = decodeCursor(after, ['text', 'uuid']) as [string, string];
    if (!isIsoDate(issuedOn)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
    where.push(`(c.issued_on, c.id) > (${param(issuedOn)}::date, ${param(id)}::uuid)`);
  }
  return {
    text: `SELECT c.id, c.student_id AS "studentId", c.number, c.kind, c.state, s.name, s.student_number AS "studentNumber",
            to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(c.entry_date, 'YYYY-MM-DD') AS "entryDate",
            c.major_code AS "majorCode", c.study_form AS "studyForm"
       FROM certificate c JOIN graduation_student s ON s.student_id = c.student_id
      WHERE ${where.join(' AND ')}
      ORDER BY c.issued_on, c.id LIMIT ${param(first + 1)}`,
    values,
  };
}

/**
 * One page of a school's certificates, by issue day then id, keyset on `certificate_school_issued`
 * (or `certificate_school_kind_issued` with a kind). The caller's scope is checked first.
 */
export async function certificatesPage(
  db: Queryable,
  principal: Principal,
  args: { filter: CertificatesFilter; first: number; after?: string | null },
  maxPage = 200,
): Promise<Page<IssuedCertificateView>> {
  requirePageSize(args.first, maxPage);
  checkFilter(args.filter);
  await schoolForReader(db, principal, args.filter.schoolId, 'filter.schoolId');
  const statement = certificatesStatement(args.filter, args.first, args.after);
  const rows = await selectRows<IssuedCertificateView>(db, statement.text, statement.values);
  const views = rows.map((r) => ({ ...r, studentNumber: maskIdentity(principal, r.studentNumber) }));
  return toPage(views, args.first, args.after, (v) => [v.issuedOn, v.id]);
}

/** The most rows one .xlsx export holds: a school's whole graduating year, as a graduate list may hold. */
export const MAX_EXPORT_ROWS = 20_000;
/** Rows read per statement while an export is written. */
export const EXPORT_PAGE = 1_000;

/**
 * Every row of a keyset read, a page at a time (each page one statement on the read's index), at
 * most MAX_EXPORT_ROWS: beyond that the export is refused naming `field`, asking to narrow it.
 */
export async function everyPage<T>(read: (after: string | null) => Promise<Page<T>>, field: string): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page<T> = await read(after);
    rows.push(...page.edges.map((e) => e.node));
    if (rows.length > MAX_EXPORT_ROWS)
      throw badUserInput(
        {
          zh: `导出最多 ${MAX_EXPORT_ROWS} 行，请缩小范围`,
          en: `An export holds at most ${MAX_EXPORT_ROWS} rows; narrow it down`,
        },
        { field, maxRows: MAX_EXPORT_ROWS },
      );
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}
