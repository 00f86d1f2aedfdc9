import { selectRows, type Queryable } from '@xueji/db';
import type {
  ApprovedRecordKind,
  CertificateKind,
  CertificateState,
  ConductGrade,
  ConductPeriod,
  GraduationInputKind,
  Programme,
  SanctionKind,
  StatusCode,
  StudyForm,
  VocationalCertificateKind,
} from '@xueji/vocabulary';
import type { GraduationFacts } from '../domain';

/** A student of graduation's read model, as the events built it. */
export interface StudentRow {
  studentId: string;
  schoolId: string;
  regionCode: string;
  name: string;
  /** As enrolment published it (optional there); a credential states it when known. */
  birthDate: string | null;
  studentNumber: string | null;
  registrationApproved: boolean;
  entryDate: string | null;
  studyForm: StudyForm | null;
  programme: Programme | null;
  expectedYears: number | null;
  majorCode: string | null;
  status: StatusCode | null;
  statusSince: string | null;
  coursesPassed: number | null;
  coursesFailed: number | null;
  coursesOutstanding: number | null;
  creditsEarned: string | null;
  creditsRequired: string | null;
  pePassed: boolean | null;
}

/** An issued certificate (GR-4, GR-6). */
export interface CertificateRow {
  id: string;
  studentId: string;
  schoolId: string;
  kind: CertificateKind;
  state: CertificateState;
  number: string;
  programme: Programme;
  studyForm: StudyForm;
  majorCode: string | null;
  entryDate: string;
  issuedOn: string;
  statedDuration: string | null;
  listId: string | null;
  replacesId: string | null;
  /** The signed digital credential (compact JWS); made when it is issued. */
  credential?: string | null;
  /** GR-8: the lost certificate a credential certificate stands for. */
  lostId?: string | null;
}

/** A student with the facts the audit reads. */
export interface StudentFacts {
  student: StudentRow;
  facts: GraduationFacts;
  certificates: CertificateRow[];
}

const STUDENT_COLUMNS = `
  s.student_id AS "studentId", s.school_id AS "schoolId", s.region_code AS "regionCode", s.name,
  to_char(s.birth_date, 'YYYY-MM-DD') AS "birthDate",
  s.student_number AS "studentNumber", s.registration_approved AS "registrationApproved",
  to_char(s.entry_date, 'YYYY-MM-DD') AS "entryDate", s.study_form AS "studyForm", s.programme,
  s.expected_years AS "expectedYears", s.major_code AS "majorCode", s.status,
  to_char(s.status_since, 'YYYY-MM-DD') AS "statusSince", s.courses_passed AS "coursesPassed",
  s.courses_failed AS "coursesFailed", s.courses_outstanding AS "coursesOutstanding",
  s.credits_earned::text AS "creditsEarned", s.credits_required::text AS "creditsRequired", s.pe_passed AS "pePassed"`;

export const CERTIFICATE_COLUMNS = `
  c.id, c.student_id AS "studentId", c.school_id AS "schoolId", c.kind, c.state, c.number, c.programme,
  c.study_form AS "studyForm", c.major_code AS "majorCode", to_char(c.entry_date, 'YYYY-MM-DD') AS "entryDate",
  to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn", c.stated_duration AS "statedDuration", c.list_id AS "listId",
  c.replaces_id AS "replacesId", c.credential, c.lost_id AS "lostId"`;

/** The students of a cohort page, ordered by (entry date, id) on `graduation_student_cohort`. */
export function selectStudents(db: Queryable, where: string, parameters: unknown[], tail = ''): Promise<StudentRow[]> {
  return selectRows<StudentRow>(
    db,
    `SELECT ${STUDENT_COLUMNS} FROM graduation_student s WHERE ${where} ${tail}`,
    parameters,
  );
}

/**
 * The audit's facts of these students: eight statements whatever their number (students, conduct,
 * internships, AS-17 inputs, certificates held, sanctions in force, certificates issued, and the records
 * approved in time or not, GR-1 jilin).
 */
export async function loadFacts(
  db: Queryable,
  studentIds: readonly string[],
  rows?: StudentRow[],
): Promise<Map<string, StudentFacts>> {
  const ids = [...studentIds];
  const students = rows ?? (await selectStudents(db, `s.student_id = ANY($1::uuid[])`, [ids]));
  const [conduct, internships, inputs, held, sanctions, certificates, records] = await Promise.all([
    selectRows<{ studentId: string; period: ConductPeriod; termKey: string; grade: ConductGrade | null }>(
      db,
      `SELECT student_id AS "studentId", period, term_key AS "termKey", grade FROM graduation_conduct
        WHERE student_id = ANY($1::uuid[])`,
      [ids],
    ),
    selectRows<{ studentId: string; passed: boolean; assessedOn: string }>(
      db,
      `SELECT student_id AS "studentId", passed, to_char(assessed_on, 'YYYY-MM-DD') AS "assessedOn"
         FROM graduation_internship WHERE student_id = ANY($1::uuid[])`,
      [ids],
    ),
    selectRows<{ studentId: string; kind: GraduationInputKind; passed: boolean }>(
      db,
      `SELECT student_id AS "studentId", kind, passed FROM graduation_extra_input WHERE student_id = ANY($1::uuid[])`,
      [ids],
    ),
    selectRows<{ studentId: string; kind: VocationalCertificateKind; number: string }>(
      db,
      `SELECT student_id AS "studentId", kind, number FROM held_certificate WHERE student_id = ANY($1::uuid[])`,
      [ids],
    ),
    selectRows<{ studentId: string; kind: SanctionKind }>(
      db,
      `SELECT student_id AS "studentId", kind FROM graduation_sanction WHERE in_force AND student_id = ANY($1::uuid[])`,
      [ids],
    ),
    selectRows<CertificateRow>(
      db,
      `SELECT ${CERTIFICATE_COLUMNS} FROM certificate c WHERE c.student_id = ANY($1::uuid[]) ORDER BY c.issued_at, c.number`,
      [ids],
    ),
    selectRows<{
      studentId: string;
      kind: ApprovedRecordKind;
      submittedOn: string | null;
      approvedOn: string | null;
      inTime: boolean | null;
    }>(
      db,
      `SELECT student_id AS "studentId", kind, to_char(submitted_on, 'YYYY-MM-DD') AS "submittedOn",
              to_char(approved_on, 'YYYY-MM-DD') AS "approvedOn", in_time AS "inTime"
         FROM graduation_approved_record WHERE student_id = ANY($1::uuid[])
        ORDER BY student_id, approved_on NULLS FIRST, event_id`,
      [ids],
    ),
  ]);
  const group = <T extends { studentId: string }>(list: T[]) => {
    const by = new Map<string, T[]>();
    for (const item of list) by.set(item.studentId, [...(by.get(item.studentId) ?? []), item]);
    return (id: string) => by.get(id) ?? [];
  };
  const conductOf = group(conduct);
  const internshipsOf = group(internships);
  const inputsOf = group(inputs);
  const heldOf = group(held);
  const sanctionsOf = group(sanctions);
  const certificatesOf = group(certificates);
  const recordsOf = group(records);
  const out = new Map<string, StudentFacts>();
  for (const s of students) {
    const issued = certificatesOf(s.studentId);
    const completion = issued.find(
      (c) => c.kind === 'COMPLETION' && c.state === 'VALID' && c.programme === s.programme,
    );
    const results =
      s.coursesPassed === null
        ? null
        : {
            coursesPassed: s.coursesPassed,
            coursesFailed: s.coursesFailed ?? 0,
            coursesOutstanding: s.coursesOutstanding ?? 0,
            creditsEarned: Number(s.creditsEarned ?? 0),
            creditsRequired: s.creditsRequired === null ? null : Number(s.creditsRequired),
            pePassed: s.pePassed,
          };
    out.set(s.studentId, {
      student: s,
      certificates: issued,
      facts: {
        studentId: s.studentId,
        schoolId: s.schoolId,
        status: s.status,
        registrationApproved: s.registrationApproved,
        entryDate: s.entryDate,
        studyForm: s.studyForm,
        programme: s.programme,
        expectedYears: s.expectedYears,
        majorCode: s.majorCode,
        results,
        conduct: conductOf(s.studentId).map((c) => ({
          period: c.period,
          term: c.termKey === '' ? null : c.termKey,
          grade: c.grade,
        })),
        internships: internshipsOf(s.studentId).map(({ passed, assessedOn }) => ({ passed, assessedOn })),
        extraInputs: inputsOf(s.studentId).map(({ kind, passed }) => ({ kind, passed })),
        heldCertificates: heldOf(s.studentId).map(({ kind, number }) => ({ kind, number })),
        sanctionsInForce: sanctionsOf(s.studentId).map((x) => x.kind),
        completionIssuedOn: completion?.issuedOn ?? null,
        approvedRecords: recordsOf(s.studentId).map(({ kind, submittedOn, approvedOn, inTime }) => ({
          kind,
          submittedOn,
          approvedOn,
          inTime,
        })),
      },
    });
  }
  return out;
}
