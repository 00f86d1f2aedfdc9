import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const CERTIFICATE_KINDS = ['DIPLOMA', 'COMPLETION', 'STUDY_RECORD', 'PARTIAL_STUDY'] as const;
const CERTIFICATE_STATES = ['VALID', 'EXCHANGED'] as const;
const CONDUCT_GRADES = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'] as const;
const CONDUCT_PERIODS = ['SEMESTER', 'YEAR', 'GRADUATION'] as const;
const GRADUATE_LIST_STATES = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;
const GRADUATION_INPUT_KINDS = ['CULTURE_SAMPLE_TEST', 'SKILLS_COMPETITION'] as const;
const PROGRAMMES = ['REGULAR', 'THREE_PLUS_TWO', 'INTEGRATED'] as const;
const SANCTION_KINDS = ['WARNING', 'SERIOUS_WARNING', 'DEMERIT', 'PROBATION', 'EXPULSION'] as const;
const STATUS_CODES = [
  'REGISTRATION_PENDING',
  'ACTIVE',
  'SUSPENDED',
  'WITHDRAWN',
  'CANCELLED',
  'DECEASED',
  'TRANSFERRED_OUT',
  'EXPELLED',
  'GRADUATED',
  'COMPLETED',
] as const;
const STUDY_FORMS = ['FULL_TIME', 'PART_TIME', 'FLEXIBLE'] as const;
const VOCATIONAL_CERTIFICATE_KINDS = ['VOCATIONAL_QUALIFICATION', 'SKILL_CERTIFICATE'] as const;

const inList = (column: string, values: readonly string[]) =>
  `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * Issue 12: graduation's read model (built from enrolment's, status-change's and assessment's events
 * only), the certificates held (GR-1 fujian), the graduate lists (GR-3) and the certificates issued
 * (GR-4, GR-6) with their numbering sequences.
 */
export class CreateGraduationModel1763800012000 implements MigrationInterface {
  name = 'CreateGraduationModel1763800012000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE graduation_school (
        school_id             uuid    PRIMARY KEY,
        code                  text    NOT NULL,
        name                  text    NOT NULL,
        region_code           char(6) NOT NULL,
        authority_region_code char(6) NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE graduation_student (
        student_id            uuid        PRIMARY KEY,
        school_id             uuid        NOT NULL,
        region_code           char(6)     NOT NULL,
        name                  text        NOT NULL,
        birth_date            date,
        registered_at         timestamptz NOT NULL,
        registration_approved boolean     NOT NULL DEFAULT false,
        student_number        text,
        entry_date            date,
        study_form            text        ${inList('study_form', STUDY_FORMS)},
        programme             text        ${inList('programme', PROGRAMMES)},
        expected_years        integer     CHECK (expected_years > 0),
        major_code            text,
        status                text        ${inList('status', STATUS_CODES)},
        status_since          date,
        courses_passed        integer,
        courses_failed        integer,
        courses_outstanding   integer,
        credits_earned        numeric,
        credits_required      numeric,
        pe_passed             boolean,
        results_as_of         timestamptz
      )`);
    // The audit of a class (school + cohort), keyset-paginated on this index.
    await runner.query(
      `CREATE INDEX graduation_student_cohort ON graduation_student (school_id, entry_date, student_id)`,
    );
    await runner.query(`
      CREATE TABLE graduation_conduct (
        student_id  uuid        NOT NULL,
        period      text        NOT NULL ${inList('period', CONDUCT_PERIODS)},
        term_key    text        NOT NULL,
        grade       text        ${inList('grade', CONDUCT_GRADES)},
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (student_id, period, term_key)
      )`);
    await runner.query(`
      CREATE TABLE graduation_internship (
        internship_id uuid        PRIMARY KEY,
        student_id    uuid        NOT NULL,
        passed        boolean     NOT NULL,
        assessed_on   date        NOT NULL,
        assessed_at   timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX graduation_internship_student ON graduation_internship (student_id)`);
    await runner.query(`
      CREATE TABLE graduation_extra_input (
        student_id uuid    NOT NULL,
        kind       text    NOT NULL ${inList('kind', GRADUATION_INPUT_KINDS)},
        passed     boolean NOT NULL,
        held_on    date    NOT NULL,
        PRIMARY KEY (student_id, kind)
      )`);
    await runner.query(`
      CREATE TABLE graduation_sanction (
        sanction_id uuid    PRIMARY KEY,
        student_id  uuid    NOT NULL,
        kind        text    NOT NULL ${inList('kind', SANCTION_KINDS)},
        in_force    boolean NOT NULL
      )`);
    await runner.query(`CREATE INDEX graduation_sanction_student ON graduation_sanction (student_id)`);
    await runner.query(`
      CREATE TABLE graduation_status_history (
        event_id        uuid PRIMARY KEY,
        student_id      uuid NOT NULL,
        kind            text NOT NULL,
        previous_status text NOT NULL,
        new_status      text NOT NULL,
        effective_date  date NOT NULL
      )`);
    await runner.query(`CREATE INDEX graduation_status_history_student ON graduation_status_history (student_id)`);
    await runner.query(`
      CREATE TABLE held_certificate (
        id          uuid        PRIMARY KEY,
        student_id  uuid        NOT NULL,
        kind        text        NOT NULL ${inList('kind', VOCATIONAL_CERTIFICATE_KINDS)},
        title       text        NOT NULL,
        number      text        NOT NULL,
        issued_on   date        NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (student_id, kind, number)
      )`);
    await runner.query(`
      CREATE TABLE graduate_list (
        id                     uuid        PRIMARY KEY,
        school_id              uuid        NOT NULL,
        term                   text        NOT NULL,
        state                  text        NOT NULL ${inList('state', GRADUATE_LIST_STATES)},
        submitted_at           timestamptz NOT NULL,
        submitted_by           text        NOT NULL,
        decided_at             timestamptz,
        decided_by             text,
        verification_sheet_ref text,
        reason                 text
      )`);
    await runner.query(`CREATE INDEX graduate_list_school ON graduate_list (school_id, submitted_at, id)`);
    await runner.query(`CREATE INDEX graduate_list_state ON graduate_list (state, submitted_at, id)`);
    await runner.query(`
      CREATE TABLE graduate_list_entry (
        list_id    uuid  NOT NULL REFERENCES graduate_list (id),
        student_id uuid  NOT NULL,
        audit      jsonb NOT NULL,
        PRIMARY KEY (list_id, student_id)
      )`);
    await runner.query(`CREATE INDEX graduate_list_entry_student ON graduate_list_entry (student_id)`);
    await runner.query(`
      CREATE TABLE certificate (
        id              uuid        PRIMARY KEY,
        student_id      uuid        NOT NULL,
        school_id       uuid        NOT NULL,
        kind            text        NOT NULL ${inList('kind', CERTIFICATE_KINDS)},
        state           text        NOT NULL ${inList('state', CERTIFICATE_STATES)},
        number          text        NOT NULL UNIQUE,
        programme       text        NOT NULL ${inList('programme', PROGRAMMES)},
        study_form      text        NOT NULL ${inList('study_form', STUDY_FORMS)},
        major_code      text,
        entry_date      date        NOT NULL,
        issued_on       date        NOT NULL,
        stated_duration text,
        list_id         uuid        REFERENCES graduate_list (id),
        replaces_id     uuid        REFERENCES certificate (id),
        issued_at       timestamptz NOT NULL
      )`);
    // GR-4: one student, one diploma per programme; GR-6: one certificate of completion.
    await runner.query(
      `CREATE UNIQUE INDEX certificate_one_per_programme ON certificate (student_id, programme, kind)`,
    );
    await runner.query(`
      CREATE TABLE certificate_sequence (
        scope      text    PRIMARY KEY,
        last_value integer NOT NULL CHECK (last_value > 0)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'certificate_sequence',
      'certificate',
      'graduate_list_entry',
      'graduate_list',
      'held_certificate',
      'graduation_status_history',
      'graduation_sanction',
      'graduation_extra_input',
      'graduation_internship',
      'graduation_conduct',
      'graduation_student',
      'graduation_school',
    ])
      await runner.query(`DROP TABLE ${table}`);
  }
}
