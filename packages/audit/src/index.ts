import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { Principal } from '@xueji/auth';

/**
 * Record who did what to which record and why, in the transaction of the change itself; and who
 * took personal data out (exports, ADM-5).
 */
export async function audit(
  manager: EntityManager,
  principal: Principal,
  entry: {
    action: string;
    entity: string;
    entityId: string;
    reason?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_entry (actor, role, action, entity, entity_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      principal.subject,
      principal.role,
      entry.action,
      entry.entity,
      entry.entityId,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
}

/** The `audit_entry` table, for services that did not create it in a migration of their own. */
export class CreateAuditEntry1763800005600 implements MigrationInterface {
  name = 'CreateAuditEntry1763800005600';

  async up(runner: QueryRunner): Promise<void> {
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
    await runner.query(`DROP TABLE audit_entry`);
  }
}
