import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SC-11: assessment's latest fact per student and study year — courses failed after make-ups, of
 * the year's courses — which a REPEAT is judged by instead of counts typed by the registrar.
 */
export class CreateYearFailureFacts1763800010400 implements MigrationInterface {
  name = 'CreateYearFailureFacts1763800010400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE year_failure_fact (
        student_id           uuid        NOT NULL,
        study_year           integer     NOT NULL CHECK (study_year >= 1),
        failed_courses       integer     NOT NULL CHECK (failed_courses >= 0),
        total_courses        integer     NOT NULL CHECK (total_courses > 0),
        reaches_repeat_share boolean,
        counted_at           timestamptz NOT NULL,
        PRIMARY KEY (student_id, study_year)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE year_failure_fact`);
  }
}
