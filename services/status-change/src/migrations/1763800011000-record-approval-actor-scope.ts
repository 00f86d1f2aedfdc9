import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who acted at a step, with the school or region they acted for: the same subject acting for two
 * schools is told apart in a request's history. Steps recorded before this stay without a scope.
 */
export class RecordApprovalActorScope1763800011000 implements MigrationInterface {
  name = 'RecordApprovalActorScope1763800011000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE approval_step ADD COLUMN actor_school_id uuid, ADD COLUMN actor_region_code char(6)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE approval_step DROP COLUMN actor_school_id, DROP COLUMN actor_region_code`);
  }
}
