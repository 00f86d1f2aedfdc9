import type { MigrationInterface, QueryRunner } from 'typeorm';

/** APPLYING: a correction approved and due, waiting for enrolment to apply or refuse it (SC-21, ENR-7). */
export class AddApplyingState1763800011100 implements MigrationInterface {
  name = 'AddApplyingState1763800011100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_request DROP CONSTRAINT change_request_state_check`);
    await runner.query(`
      ALTER TABLE change_request ADD CONSTRAINT change_request_state_check
        CHECK (state IN ('PENDING', 'APPROVED', 'APPLYING', 'EFFECTIVE', 'REJECTED', 'WITHDRAWN'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_request DROP CONSTRAINT change_request_state_check`);
    await runner.query(`
      ALTER TABLE change_request ADD CONSTRAINT change_request_state_check
        CHECK (state IN ('PENDING', 'APPROVED', 'EFFECTIVE', 'REJECTED', 'WITHDRAWN'))`);
  }
}
