import { maskIdentity, type Principal } from '@xueji/auth';
import { selectRows, type Queryable } from '@xueji/db';
import { decodeCursor, toPage } from '@xueji/pagination';
import type { PolicyProfile } from '@xueji/policy';
import type { GraduationOutcome, StudyForm } from '@xueji/vocabulary';
import { auditGraduation, type GraduationAudit } from '../domain';
import { everyPage, EXPORT_PAGE } from './certificates';
import { loadFacts, selectStudents } from './facts';

/** GraphQL `GraduationFile`: an .xlsx graduation hands out. */
export interface GraduationFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
  rows: number;
}

/** One student of a class audit as its export lists them. */
export interface ClassAuditExportRow {
  studentId: string;
  name: string;
  /** As the caller may see it (ADM-5). */
  studentNumber: string | null;
  entryDate: string;
  majorCode: string | null;
  studyForm: StudyForm | null;
  outcome: GraduationOutcome;
  /** The unmet conditions: what the student still lacks, each with its rule. */
  lacking: GraduationAudit['conditions'];
}

/**
 * GR-1: every student of a class (school + cohort) with the audit today, read a page at a time on
 * `graduation_student_cohort` (the audit's facts in seven statements a page), at most MAX_EXPORT_ROWS.
 * The caller's scope is the command's.
 */
export function classAuditRows(
  db: Queryable,
  env: { principal: Principal; profile: PolicyProfile; today: string },
  schoolId: string,
  entryYear: number,
): Promise<ClassAuditExportRow[]> {
  return everyPage(async (after) => {
    const params: unknown[] = [schoolId, `${entryYear}-01-01`, `${entryYear + 1}-01-01`];
    let keyset = '';
    if (after) {
      params.push(...decodeCursor(after, ['text', 'uuid']));
      keyset = `AND (s.entry_date, s.student_id) > ($4::date, $5::uuid)`;
    }
    params.push(EXPORT_PAGE + 1);
    const rows = await selectStudents(
      db,
      `s.school_id = $1 AND s.entry_date >= $2::date AND s.entry_date < $3::date ${keyset}`,
      params,
      `ORDER BY s.entry_date, s.student_id LIMIT $${params.length}`,
    );
    const page = rows.slice(0, EXPORT_PAGE);
    const facts = await loadFacts(
      db,
      page.map((r) => r.studentId),
      page,
    );
    const views = rows.map((row): ClassAuditExportRow => {
      const f = facts.get(row.studentId);
      const audit = f ? auditGraduation(f.facts, env.profile, env.today) : null;
      return {
        studentId: row.studentId,
        name: row.name,
        studentNumber: maskIdentity(env.principal, row.studentNumber),
        entryDate: row.entryDate!,
        majorCode: row.majorCode,
        studyForm: row.studyForm,
        outcome: audit?.outcome ?? 'NOT_YET',
        lacking: audit?.conditions.filter((c) => !c.met) ?? [],
      };
    });
    return toPage(views, EXPORT_PAGE, after, (v) => [v.entryDate, v.studentId]);
  }, 'entryYear');
}

/** One student of a graduate list as its export lists them. */
export interface GraduateListExportRow {
  studentId: string;
  name: string;
  /** As the caller may see it (ADM-5). */
  studentNumber: string | null;
  entryDate: string | null;
  majorCode: string | null;
  studyForm: StudyForm | null;
  /** GR-4: once the list is approved. */
  diplomaNumber: string | null;
}

/** GR-3: every student of a graduate list with the diploma approval gave, a page at a time on the entries' key. */
export function graduateListRows(
  db: Queryable,
  principal: Principal,
  listId: string,
): Promise<GraduateListExportRow[]> {
  return everyPage(async (after) => {
    const params: unknown[] = [listId];
    let keyset = '';
    if (after) {
      params.push(...decodeCursor(after, ['uuid']));
      keyset = `AND e.student_id > $2::uuid`;
    }
    params.push(EXPORT_PAGE + 1);
    const rows = await selectRows<GraduateListExportRow>(
      db,
      `SELECT e.student_id AS "studentId", s.name, s.student_number AS "studentNumber",
              to_char(s.entry_date, 'YYYY-MM-DD') AS "entryDate", s.major_code AS "majorCode",
              s.study_form AS "studyForm", c.number AS "diplomaNumber"
         FROM graduate_list_entry e
         JOIN graduation_student s ON s.student_id = e.student_id
         LEFT JOIN certificate c ON c.list_id = e.list_id AND c.student_id = e.student_id
        WHERE e.list_id = $1 ${keyset}
        ORDER BY e.student_id LIMIT $${params.length}`,
      params,
    );
    const views = rows.map((r) => ({ ...r, studentNumber: maskIdentity(principal, r.studentNumber) }));
    return toPage(views, EXPORT_PAGE, after, (v) => [v.studentId]);
  }, 'id');
}
