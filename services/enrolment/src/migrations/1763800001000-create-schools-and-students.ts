import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchoolsAndStudents1763800001000 implements MigrationInterface {
  name = 'CreateSchoolsAndStudents1763800001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE major_category (
        code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
        name text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE major (
        code                text    PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name                text    NOT NULL,
        category_code       text    NOT NULL REFERENCES major_category (code),
        agriculture_related boolean NOT NULL DEFAULT false,
        waiver_excluded     boolean NOT NULL DEFAULT false,
        standard_years      integer NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE school (
        id                    uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        code                  text    NOT NULL UNIQUE,
        name                  text    NOT NULL,
        region_code           char(6) NOT NULL,
        authority_tier        text    NOT NULL DEFAULT 'COUNTY' CHECK (authority_tier IN ('PROVINCE', 'CITY', 'COUNTY')),
        authority_region_code char(6) NOT NULL,
        county_school_code    char(2),
        national_key          boolean NOT NULL DEFAULT false,
        status                text    NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
        UNIQUE (region_code, county_school_code)
      )`);
    await runner.query(`
      CREATE TABLE school_major (
        school_id  uuid NOT NULL REFERENCES school (id),
        major_code text NOT NULL REFERENCES major (code),
        PRIMARY KEY (school_id, major_code)
      )`);
    await runner.query(`
      CREATE TABLE teaching_point (
        id          uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id   uuid    NOT NULL REFERENCES school (id),
        name        text    NOT NULL,
        region_code char(6) NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE student (
        id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        name                  text        NOT NULL,
        sex                   text        NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
        birth_date            date        NOT NULL,
        id_number             text        NOT NULL,
        origin                text        NOT NULL DEFAULT 'MAINLAND'
          CHECK (origin IN ('MAINLAND', 'HONG_KONG', 'MACAO', 'TAIWAN', 'FOREIGN')),
        ethnicity             text,
        household             text        CHECK (household IN ('RURAL', 'URBAN', 'URBAN_ECONOMIC_DIFFICULTY')),
        address               text,
        contact               text,
        photo_ref             text,
        entry_date            date        NOT NULL,
        intake                text        NOT NULL CHECK (intake IN ('SPRING', 'AUTUMN')),
        entry_level           text        NOT NULL CHECK (entry_level IN ('PRIMARY', 'JUNIOR', 'SENIOR', 'ADULT')),
        fresh_junior_graduate boolean     NOT NULL DEFAULT true,
        study_form            text        NOT NULL CHECK (study_form IN ('FULL_TIME', 'PART_TIME', 'FLEXIBLE')),
        programme             text        NOT NULL CHECK (programme IN ('REGULAR', 'THREE_PLUS_TWO', 'INTEGRATED')),
        partner_college       text,
        joint_partner         text,
        major_code            text        REFERENCES major (code),
        major_category_code   text        REFERENCES major_category (code),
        class_name            text,
        expected_years        integer     NOT NULL,
        student_number        text        UNIQUE,
        school_id             uuid        NOT NULL REFERENCES school (id),
        teaching_point_id     uuid        REFERENCES teaching_point (id),
        report_by             date,
        arrived_on            date,
        late_arrival_approved boolean     NOT NULL DEFAULT false,
        registration_status   text        NOT NULL
          CHECK (registration_status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'CANCELLED', 'DEFERRED')),
        registered_at         timestamptz NOT NULL DEFAULT now(),
        registered_by         text        NOT NULL,
        decided_at            timestamptz,
        decided_by            text,
        decision_comment      text,
        deferred_until        date,
        left_at               date,
        import_id             uuid
      )`);
    // ENR-6/ENR-7: one active status per ID number across every school, held by the database so
    // that two racing submissions cannot both succeed.
    await runner.query(`
      CREATE UNIQUE INDEX student_one_active_status ON student (id_number)
        WHERE registration_status IN ('SUBMITTED', 'APPROVED', 'DEFERRED') AND left_at IS NULL`);
    await runner.query(`CREATE INDEX student_school ON student (school_id, registration_status)`);
    await runner.query(`CREATE INDEX student_id_number ON student (id_number)`);
    await runner.query(`
      CREATE TABLE student_number_sequence (
        scope      text    PRIMARY KEY,
        last_value integer NOT NULL
      )`);
    // ENR-7: statuses held in other systems (general high school, university, technical school),
    // imported as lists of ID numbers since no national registry is reachable.
    await runner.query(`
      CREATE TABLE other_status_record (
        id_number   text        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('GENERAL_HIGH_SCHOOL', 'UNIVERSITY', 'TECHNICAL_SCHOOL')),
        institution text        NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        imported_by text        NOT NULL,
        PRIMARY KEY (id_number, kind)
      )`);
    // ENR-17: term registration each semester.
    await runner.query(`
      CREATE TABLE term_registration (
        student_id    uuid        NOT NULL REFERENCES student (id),
        term          text        NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        registered_by text        NOT NULL,
        on_leave      boolean     NOT NULL DEFAULT false,
        PRIMARY KEY (student_id, term)
      )`);
    await runner.query(`
      CREATE TABLE term_registration_lapse (
        student_id  uuid        NOT NULL REFERENCES student (id),
        term        text        NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (student_id, term)
      )`);
    await runner.query(`
      CREATE TABLE roster_import (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id   uuid        NOT NULL REFERENCES school (id),
        file_name   text        NOT NULL,
        file_sha256 text        NOT NULL,
        imported_by text        NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        rows        integer     NOT NULL,
        registered  integer     NOT NULL,
        already     integer     NOT NULL,
        rejected    integer     NOT NULL
      )`);
    // Every write: who, when, what, why.
    await runner.query(`
      CREATE TABLE audit_entry (
        id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at        timestamptz NOT NULL DEFAULT now(),
        actor     text        NOT NULL,
        role      text        NOT NULL,
        action    text        NOT NULL,
        entity    text        NOT NULL,
        entity_id text        NOT NULL,
        reason    text,
        details   jsonb
      )`);
    await runner.query(`CREATE INDEX audit_entry_entity ON audit_entry (entity, entity_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entry',
      'roster_import',
      'term_registration_lapse',
      'term_registration',
      'other_status_record',
      'student_number_sequence',
      'student',
      'teaching_point',
      'school_major',
      'school',
      'major',
      'major_category',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
