import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import type { EntityManager } from 'typeorm';
import { recordStudentScope } from '@xueji/student-scope';

/**
 * The student's number (学号, from `registration.approved`) or name (姓名, from `student.registered`
 * and SC-21 corrections) as the results sheet keys and checks them; each newest event wins. Stored
 * whole: a number may carry the ID number (ENR-6 / ENR-11), so it is masked as it is read (ADM-5).
 */
export async function rememberIdentity(
  manager: EntityManager,
  studentId: string,
  value: { studentNumber: string } | { name: string },
  asOf: string,
): Promise<void> {
  if ('studentNumber' in value) {
    await manager.query(
      `INSERT INTO student_identity (student_id, student_number, number_as_of) VALUES ($1, $2, $3)
       ON CONFLICT (student_id) DO UPDATE SET student_number = EXCLUDED.student_number, number_as_of = EXCLUDED.number_as_of
        WHERE student_identity.number_as_of IS NULL OR student_identity.number_as_of <= EXCLUDED.number_as_of`,
      [studentId, value.studentNumber, asOf],
    );
  } else {
    await manager.query(
      `INSERT INTO student_identity (student_id, name, name_as_of) VALUES ($1, $2, $3)
       ON CONFLICT (student_id) DO UPDATE SET name = EXCLUDED.name, name_as_of = EXCLUDED.name_as_of
        WHERE student_identity.name_as_of IS NULL OR student_identity.name_as_of <= EXCLUDED.name_as_of`,
      [studentId, value.name, asOf],
    );
  }
}

/**
 * A registration submitted (enrolment): who may read the student (the scope), the name (the results
 * sheet's 姓名) and, where the event carries it, the date of birth, so a sanction can tell a minor on its decision date (AS-11).
 */
export const recordRegisteredStudent = command<TypedEvent<'xueji.enrolment.student.registered.v1'>, void, SystemActor>({
  name: 'RECORD_STUDENT_SCOPE',
  roles: 'SYSTEM',
  async run(uow, event) {
    await recordStudentScope(event, uow.manager);
    await rememberIdentity(uow.manager, event.data.studentId, { name: event.data.name }, event.time);
    if (event.data.birthDate) {
      await uow.manager.query(
        `INSERT INTO student_birth_date (student_id, birth_date) VALUES ($1, $2)
           ON CONFLICT (student_id) DO UPDATE SET birth_date = EXCLUDED.birth_date`,
        [event.data.studentId, event.data.birthDate],
      );
    }
  },
  audit: (_, event) => ({ entity: 'student_scope', entityId: event.data.studentId }),
});

/**
 * SC-21: enrolment applied a correction of personal data; a corrected date of birth replaces the one
 * assessment holds, so AS-11 judges a minor by the record as it stands, and a corrected name the
 * results sheet's 姓名. Other fields are not assessment's.
 */
export const recordBirthDateCorrection = command<
  TypedEvent<'xueji.enrolment.personal-data.corrected.v1'>,
  { birthDate: string | null },
  SystemActor
>({
  name: 'RECORD_BIRTH_DATE_CORRECTION',
  roles: 'SYSTEM',
  async run(uow, { data, time }) {
    // A corrected name: the results sheet checks 姓名 against it.
    const name = data.corrections.find((c) => c.field === 'name')?.newValue;
    if (name) await rememberIdentity(uow.manager, data.studentId, { name }, time);
    const corrected = data.corrections.find((c) => c.field === 'birthDate')?.newValue ?? null;
    if (corrected && /^\d{4}-\d{2}-\d{2}$/.test(corrected)) {
      await uow.manager.query(
        `INSERT INTO student_birth_date (student_id, birth_date) VALUES ($1, $2)
         ON CONFLICT (student_id) DO UPDATE SET birth_date = EXCLUDED.birth_date`,
        [data.studentId, corrected],
      );
    }
    return { birthDate: corrected };
  },
  audit: (result, { data }) => ({
    entity: 'student_birth_date',
    entityId: data.studentId,
    details: { birthDateCorrected: result.birthDate !== null },
  }),
});

/** ENR-11: a transfer gave the student a new number; the results sheet keys by it from now on. */
export const recordStudentNumber = command<TypedEvent<'xueji.enrolment.student-number.assigned.v1'>, void, SystemActor>(
  {
    name: 'RECORD_STUDENT_NUMBER',
    roles: 'SYSTEM',
    async run(uow, { data, time }) {
      await rememberIdentity(uow.manager, data.studentId, { studentNumber: data.studentNumber }, time);
    },
    audit: (_, { data }) => ({ entity: 'student_identity', entityId: data.studentId }),
  },
);
