import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Change requests with their approval steps, and the facts the SC rules need (from events). */
export class CreateChangeRequests1763800002100 implements MigrationInterface {
  name = 'CreateChangeRequests1763800002100';

  async up(runner: QueryRunner): Promise<void> {
    // What status-change knows of a student, from enrolment's (and subsidy's) events.
    await runner.query(`
      CREATE TABLE student_record (
        student_id            uuid    PRIMARY KEY,
        school_id             uuid    NOT NULL,
        formal                boolean NOT NULL DEFAULT false,
        entry_date            date,
        expected_years        integer,
        study_form            text,
        programme             text,
        major_code            text,
        major_category_code   text,
        agriculture_related   boolean NOT NULL DEFAULT false,
        had_tuition_waiver    boolean NOT NULL DEFAULT false,
        truant_hours          integer NOT NULL DEFAULT 0,
        truancy_semester      text
      )`);
    await runner.query(`
      CREATE TABLE school_directory (
        school_id             uuid    PRIMARY KEY,
        name                  text    NOT NULL,
        region_code           char(6) NOT NULL,
        authority_region_code char(6) NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE change_request (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id      uuid        NOT NULL,
        kind            text        NOT NULL,
        state           text        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'EFFECTIVE', 'REJECTED', 'WITHDRAWN')),
        steps           text[]      NOT NULL,
        next_step       text,
        from_school_id  uuid        NOT NULL,
        to_school_id    uuid,
        effective_date  date        NOT NULL,
        details         jsonb       NOT NULL,
        evidence_refs   text[]      NOT NULL DEFAULT '{}',
        imposed         boolean     NOT NULL DEFAULT false,
        notice          jsonb,
        submitted_by    text        NOT NULL,
        submitted_role  text        NOT NULL,
        submitted_at    timestamptz NOT NULL DEFAULT now(),
        decided_at      timestamptz,
        reason          text
      )`);
    await runner.query(`CREATE INDEX change_request_student ON change_request (student_id)`);
    await runner.query(`CREATE INDEX change_request_queue ON change_request (state, next_step)`);
    // One open case of an imposed withdrawal per student and ground.
    await runner.query(`
      CREATE UNIQUE INDEX change_request_one_open_case ON change_request (student_id, (details->>'ground'))
        WHERE imposed AND state IN ('PENDING', 'APPROVED')`);
    await runner.query(`
      CREATE TABLE approval_step (
        id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id uuid        NOT NULL REFERENCES change_request (id),
        step       text        NOT NULL,
        action     text        NOT NULL,
        actor      text        NOT NULL,
        role       text        NOT NULL,
        comment    text,
        at         timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX approval_step_request ON approval_step (request_id, id)`);
    await runner.query(`
      CREATE TABLE suspension_period (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        student_id uuid   NOT NULL,
        request_id uuid   NOT NULL REFERENCES change_request (id),
        ground     text   NOT NULL,
        from_date  date   NOT NULL,
        to_date    date   NOT NULL,
        resumed_on date
      )`);
    await runner.query(`CREATE INDEX suspension_period_student ON suspension_period (student_id)`);
    await runner.query(`
      ALTER TABLE status_change
        ADD COLUMN request_id   uuid,
        ADD COLUMN school_id    uuid,
        ADD COLUMN to_school_id uuid`);
    await runner.query(`CREATE INDEX status_change_month ON status_change (effective_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE status_change DROP COLUMN request_id, DROP COLUMN school_id, DROP COLUMN to_school_id`,
    );
    for (const t of ['suspension_period', 'approval_step', 'change_request', 'school_directory', 'student_record']) {
      await runner.query(`DROP TABLE ${t}`);
    }
  }
}
