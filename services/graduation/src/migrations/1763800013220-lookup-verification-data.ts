import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const SEXES = ['MALE', 'FEMALE'] as const;
const HELD_CERTIFICATE_SOURCES = ['SCHOOL', 'ASSESSMENT'] as const;

const inList = (column: string, values: readonly string[]) =>
  `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * GR-11: the rest of the verification data the public lookup shows: the holder's sex (enrolment's
 * `student.registered`), the school's principal (`school.registered`); the certificates held now also
 * come from assessment's `certificate.recorded` (AS-4), so each row says who told graduation of it, and
 * one student holds one certificate of a number whichever told it first.
 */
export class LookupVerificationData1763800013220 implements MigrationInterface {
  name = 'LookupVerificationData1763800013220';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE graduation_student ADD COLUMN sex text ${inList('sex', SEXES)}`);
    await runner.query(`ALTER TABLE graduation_school ADD COLUMN principal_name text`);
    await runner.query(
      `ALTER TABLE held_certificate ADD COLUMN source text NOT NULL DEFAULT 'SCHOOL' ${inList('source', HELD_CERTIFICATE_SOURCES)}`,
    );
    await runner.query(`ALTER TABLE held_certificate ALTER COLUMN source DROP DEFAULT`);
    // A school may have recorded one number twice (under two kinds) before this rule: keep the earliest recorded.
    await runner.query(
      `DELETE FROM held_certificate h USING held_certificate k
        WHERE k.student_id = h.student_id AND k.number = h.number AND (k.recorded_at, k.id) < (h.recorded_at, h.id)`,
    );
    await runner.query(`CREATE UNIQUE INDEX held_certificate_student_number ON held_certificate (student_id, number)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX held_certificate_student_number`);
    await runner.query(`ALTER TABLE held_certificate DROP COLUMN source`);
    await runner.query(`ALTER TABLE graduation_school DROP COLUMN principal_name`);
    await runner.query(`ALTER TABLE graduation_student DROP COLUMN sex`);
  }
}
