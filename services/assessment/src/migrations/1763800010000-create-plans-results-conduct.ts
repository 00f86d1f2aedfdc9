import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const ASSESSMENT_TYPES = ['EXAM', 'TEST'] as const;
const CONDUCT_GRADES = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'] as const;
const CONDUCT_PERIODS = ['SEMESTER', 'YEAR', 'GRADUATION'] as const;
const COURSE_CATEGORIES = ['PUBLIC_BASIC', 'PROFESSIONAL'] as const;
const COURSE_REQUIREMENTS = ['COMPULSORY', 'ELECTIVE'] as const;
const EXAM_IRREGULARITIES = ['CHEATING', 'UNAPPROVED_ABSENCE'] as const;
const RESULT_ATTEMPTS = ['REGULAR', 'MAKE_UP', 'RETAKE'] as const;
const RESULT_GRADES = ['EXCELLENT', 'GOOD', 'FAIR', 'PASS', 'FAIL'] as const;
const STUDY_FORMS = ['FULL_TIME', 'PART_TIME', 'FLEXIBLE'] as const;

/** `'A', 'B'` for a CHECK … IN (…) of a vocabulary list. */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Teaching plans and courses, the student's study record, results by sitting, conduct (AS-1 … AS-3, AS-15). */
export class CreatePlansResultsConduct1763800010000 implements MigrationInterface {
  name = 'CreatePlansResultsConduct1763800010000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE study_record (
        student_id  uuid        PRIMARY KEY,
        school_id   uuid        NOT NULL,
        major_code  text,
        cohort_year integer     NOT NULL,
        entry_date  date        NOT NULL,
        study_form  text        NOT NULL CHECK (study_form IN (${list(STUDY_FORMS)})),
        as_of       timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE school_scope (
        school_id   uuid        PRIMARY KEY,
        region_code char(6)     NOT NULL,
        as_of       timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE teaching_plan (
        id                  uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id           uuid          NOT NULL,
        region_code         char(6)       NOT NULL,
        major_code          text          NOT NULL,
        cohort_year         integer       NOT NULL,
        name                text          NOT NULL,
        required_credits    numeric(6, 1) CHECK (required_credits >= 0),
        make_ups_per_course integer       NOT NULL CHECK (make_ups_per_course >= 0),
        created_at          timestamptz   NOT NULL,
        UNIQUE (school_id, major_code, cohort_year)
      )`);
    await runner.query(`CREATE INDEX teaching_plan_school_page ON teaching_plan (school_id, created_at, id)`);
    await runner.query(`
      CREATE TABLE course (
        id                  uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id             uuid          NOT NULL REFERENCES teaching_plan (id),
        code                text          NOT NULL,
        name                text          NOT NULL,
        study_year          integer       NOT NULL CHECK (study_year BETWEEN 1 AND 8),
        semester            integer       NOT NULL CHECK (semester BETWEEN 1 AND 2),
        credits             numeric(4, 1) NOT NULL CHECK (credits >= 0),
        class_hours         integer       NOT NULL CHECK (class_hours >= 0),
        assessment_type     text          NOT NULL CHECK (assessment_type IN (${list(ASSESSMENT_TYPES)})),
        requirement         text          NOT NULL CHECK (requirement IN (${list(COURSE_REQUIREMENTS)})),
        category            text          NOT NULL CHECK (category IN (${list(COURSE_CATEGORIES)})),
        physical_education  boolean       NOT NULL,
        UNIQUE (plan_id, code)
      )`);
    await runner.query(`CREATE INDEX course_plan_page ON course (plan_id, study_year, semester, code)`);
    await runner.query(`
      ALTER TABLE course_result
        ADD COLUMN course_id    uuid REFERENCES course (id),
        ADD COLUMN school_id    uuid,
        ADD COLUMN attempt      text NOT NULL DEFAULT 'REGULAR' CHECK (attempt IN (${list(RESULT_ATTEMPTS)})),
        ADD COLUMN sitting      integer NOT NULL DEFAULT 1 CHECK (sitting >= 1),
        ADD COLUMN grade        text CHECK (grade IN (${list(RESULT_GRADES)})),
        ADD COLUMN passed       boolean,
        ADD COLUMN irregularity text CHECK (irregularity IN (${list(EXAM_IRREGULARITIES)})),
        ADD COLUMN after_repentance boolean NOT NULL DEFAULT false,
        ADD COLUMN recorded_at  timestamptz`);
    await runner.query(
      `CREATE UNIQUE INDEX course_result_sitting ON course_result (student_id, course_id, attempt, sitting)
        WHERE course_id IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX course_result_page ON course_result (student_id, semester, id)`);
    await runner.query(`CREATE INDEX course_result_course ON course_result (course_id)`);
    await runner.query(`
      CREATE TABLE conduct_evaluation (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id  uuid        NOT NULL,
        school_id   uuid        NOT NULL,
        period      text        NOT NULL CHECK (period IN (${list(CONDUCT_PERIODS)})),
        term        text        NOT NULL,
        grade       text        CHECK (grade IN (${list(CONDUCT_GRADES)})),
        comment     text,
        recorded_at timestamptz NOT NULL,
        UNIQUE (student_id, period, term)
      )`);
    await runner.query(`CREATE INDEX conduct_evaluation_page ON conduct_evaluation (student_id, term, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE conduct_evaluation`);
    await runner.query(`DROP INDEX course_result_course`);
    await runner.query(`DROP INDEX course_result_page`);
    await runner.query(`DROP INDEX course_result_sitting`);
    await runner.query(`
      ALTER TABLE course_result DROP COLUMN course_id, DROP COLUMN school_id, DROP COLUMN attempt, DROP COLUMN sitting,
        DROP COLUMN grade, DROP COLUMN passed, DROP COLUMN irregularity, DROP COLUMN after_repentance,
        DROP COLUMN recorded_at`);
    await runner.query(`DROP TABLE course`);
    await runner.query(`DROP TABLE teaching_plan`);
    await runner.query(`DROP TABLE school_scope`);
    await runner.query(`DROP TABLE study_record`);
  }
}
