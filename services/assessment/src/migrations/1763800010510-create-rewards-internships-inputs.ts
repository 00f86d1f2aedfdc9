import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const GRADUATION_INPUT_KINDS = ['CULTURE_SAMPLE_TEST', 'SKILLS_COMPETITION'] as const;
const INTERNSHIP_STATES = ['PLACED', 'PASSED', 'FAILED'] as const;
const REWARD_FORMS = ['TITLE', 'SCHOLARSHIP'] as const;
const REWARD_LEVELS = ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY', 'INDUSTRY', 'SCHOOL'] as const;
const REWARD_SCOPES = ['SINGLE', 'OVERALL'] as const;

/** `'A', 'B'` for a CHECK … IN (…) of a vocabulary list. */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Part B: rewards (AS-9), placement internships (AS-7) and hubei-shiyan's graduation inputs (AS-17). */
export class CreateRewardsInternshipsInputs1763800010510 implements MigrationInterface {
  name = 'CreateRewardsInternshipsInputs1763800010510';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE reward (
        id          uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id  uuid          NOT NULL,
        school_id   uuid          NOT NULL,
        region_code char(6)       NOT NULL,
        level       text          NOT NULL CHECK (level IN (${list(REWARD_LEVELS)})),
        scope       text          NOT NULL CHECK (scope IN (${list(REWARD_SCOPES)})),
        form        text          NOT NULL CHECK (form IN (${list(REWARD_FORMS)})),
        title       text          NOT NULL,
        awarded_by  text          NOT NULL,
        awarded_on  date          NOT NULL,
        amount_cny  numeric(10, 2) CHECK (amount_cny > 0),
        posting_ref text,
        notified_on date,
        recorded_by text          NOT NULL,
        recorded_at timestamptz   NOT NULL
      )`);
    await runner.query(`CREATE INDEX reward_student_page ON reward (student_id, awarded_on, id)`);
    await runner.query(`
      CREATE TABLE internship (
        id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id            uuid        NOT NULL,
        school_id             uuid        NOT NULL,
        region_code           char(6)     NOT NULL,
        employer              text        NOT NULL,
        post                  text        NOT NULL,
        starts_on             date        NOT NULL,
        ends_on               date        NOT NULL CHECK (ends_on >= starts_on),
        agreement_ref         text        NOT NULL,
        applied_on            date,
        plan_completed_percent integer    CHECK (plan_completed_percent BETWEEN 0 AND 100),
        state                 text        NOT NULL CHECK (state IN (${list(INTERNSHIP_STATES)})),
        employer_assessment_ref text,
        school_assessment_ref text,
        assessed_on           date,
        recorded_by           text        NOT NULL,
        recorded_at           timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX internship_student_page ON internship (student_id, starts_on, id)`);
    await runner.query(`
      CREATE TABLE graduation_input (
        student_id  uuid          NOT NULL,
        kind        text          NOT NULL CHECK (kind IN (${list(GRADUATION_INPUT_KINDS)})),
        school_id   uuid          NOT NULL,
        passed      boolean       NOT NULL,
        score       numeric(5, 1),
        held_on     date          NOT NULL,
        ref         text          NOT NULL,
        recorded_by text          NOT NULL,
        recorded_at timestamptz   NOT NULL,
        PRIMARY KEY (student_id, kind)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE graduation_input`);
    await runner.query(`DROP TABLE internship`);
    await runner.query(`DROP TABLE reward`);
  }
}
