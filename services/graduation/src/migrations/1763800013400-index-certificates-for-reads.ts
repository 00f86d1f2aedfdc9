import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, for the people using it: the certificates a school issued, keyset-paginated by issue day
 * (with or without a kind), and the region's figures per term (GR-3 batches: diplomas by their
 * graduate list's batch, the other certificates by issue day).
 */
export class IndexCertificatesForReads1763800013400 implements MigrationInterface {
  name = 'IndexCertificatesForReads1763800013400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX certificate_school_issued ON certificate (school_id, issued_on, id)`);
    await runner.query(`CREATE INDEX certificate_school_kind_issued ON certificate (school_id, kind, issued_on, id)`);
    await runner.query(`CREATE INDEX certificate_list ON certificate (list_id) WHERE list_id IS NOT NULL`);
    await runner.query(`CREATE INDEX graduate_list_school_term ON graduate_list (school_id, term)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of [
      'graduate_list_school_term',
      'certificate_list',
      'certificate_school_kind_issued',
      'certificate_school_issued',
    ])
      await runner.query(`DROP INDEX ${index}`);
  }
}
