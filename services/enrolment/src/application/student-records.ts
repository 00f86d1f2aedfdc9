/**
 * How the commands read and write student records: lock one for a change, save it, insert new ones
 * (the partial unique index settles ENR-7 races), allocate its number (ENR-11), and the event a
 * registration publishes.
 */
import type { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '@xueji/db';
import { notFound } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import type { PolicyProfile } from '@xueji/policy';
import { isUuid } from '@xueji/rules';
import { needsSequence, sequenceScope, studentNumber } from '../domain/student-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';

/** Load a student for a write, locked for the rest of the transaction, with its school. */
export async function lockStudent(manager: EntityManager, id: string): Promise<Student> {
  const student = isUuid(id)
    ? await manager.getRepository(Student).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
    : null;
  if (!student) throw notFound({ zh: `学生 ${id} 不存在`, en: `No student ${id}` });
  student.school = await manager.getRepository(School).findOneByOrFail({ id: student.schoolId });
  return student;
}

/** Save a student's own columns; the loaded relations (school, major) are read-only here. */
export async function persist(manager: EntityManager, student: Student): Promise<void> {
  const { school: _school, major: _major, ...row } = student;
  await manager.getRepository(Student).save(row);
}

/** Student columns of a new record, read from the entity so the insert cannot drift from it. */
function insertColumns(manager: EntityManager, record: Partial<Student>) {
  const dataSource = manager.connection;
  // A column that is also a relation's join column (school_id, major_code) is listed once per mapping.
  const columns = new Map<string, { property: keyof Student; name: string; type: string }>();
  for (const c of dataSource.getMetadata(Student).columns) {
    if (c.propertyName in record && !columns.has(c.databaseName)) {
      columns.set(c.databaseName, {
        property: c.propertyName as keyof Student,
        name: c.databaseName,
        type: dataSource.driver.normalizeType(c),
      });
    }
  }
  return [...columns.values()];
}

/**
 * Insert new records in one statement: every column as one array parameter (`unnest`), so a chunk
 * of a roster is a single statement of a few dozen parameters. A record whose ID number already
 * holds an active status (ENR-7, possibly committed by a concurrent registration a moment ago) is
 * skipped by the partial unique index and not returned.
 */
export async function insertStudents(
  manager: EntityManager,
  records: Partial<Student>[],
): Promise<{ id: string; idNumber: string }[]> {
  if (records.length === 0) return [];
  const columns = insertColumns(manager, records[0]!);
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const params = columns.map(({ property }) =>
    records.map((r) => {
      const value = r[property];
      return value instanceof Date ? value.toISOString() : (value ?? null);
    }),
  );
  return selectRows<{ id: string; idNumber: string }>(
    manager,
    // The school's regions (issue 13: what the lists scope by) come with the rows, one join per
    // statement, so the per-row trigger that otherwise copies them is skipped.
    `INSERT INTO student (${names}, region_code, authority_region_code)
     SELECT t.*, sc.region_code, sc.authority_region_code
       FROM unnest(${arrays}) AS t(${names}) LEFT JOIN school sc ON sc.id = t.school_id
     ON CONFLICT (id_number) WHERE registration_status IN ('SUBMITTED', 'APPROVED', 'DEFERRED') AND left_at IS NULL
     DO NOTHING
     RETURNING id, id_number AS "idNumber"`,
    params,
  );
}

/** Allocate the student number on approval or arrival (ENR-11): gap-tolerant, never duplicated. */
export async function allocateStudentNumber(
  manager: EntityManager,
  profile: PolicyProfile,
  student: Student,
): Promise<string> {
  if (student.studentNumber) return student.studentNumber;
  const facts = {
    idNumber: student.idNumber,
    entryDate: student.entryDate,
    schoolRegionCode: student.school!.regionCode,
    countySchoolCode: student.school!.countySchoolCode,
  };
  if (!needsSequence(profile)) return studentNumber(profile, facts);
  const row = await selectOne<{ lastValue: number }>(
    manager,
    `INSERT INTO student_number_sequence (scope, last_value) VALUES ($1, 1)
     ON CONFLICT (scope) DO UPDATE SET last_value = student_number_sequence.last_value + 1
     RETURNING last_value AS "lastValue"`,
    [sequenceScope(facts, student.schoolId)],
  );
  return studentNumber(profile, facts, row!.lastValue);
}

/** The event a new (or re-admitted) registration publishes. */
export function registeredEvent(
  student: Pick<Student, 'id' | 'schoolId' | 'name' | 'registeredAt' | 'idNumber'> & {
    birthDate?: string | null;
    sex?: Student['sex'] | null;
  },
  school: Pick<School, 'regionCode'>,
) {
  return createEvent('xueji.enrolment.student.registered.v1', student.id, {
    studentId: student.id,
    schoolId: student.schoolId,
    regionCode: school.regionCode,
    name: student.name,
    registeredAt: student.registeredAt.toISOString(),
    idNumber: student.idNumber,
    // AS-11: assessment tells a minor from the birth date on a sanction's decision date.
    ...(student.birthDate ? { birthDate: student.birthDate } : {}),
    // GR-11: the public lookup of a certificate shows the holder's sex (not an identity number).
    ...(student.sex ? { sex: student.sex } : {}),
  });
}
