import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';

/** Who wrote: a signed-in person, or the system applying an event or running a scheduled job. */
export interface AuditActor {
  subject: string;
  role: string;
}

/** What one write did, to which record, and why. */
export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Record who did what to which record and why, in the transaction of the change itself; and who
 * took personal data out (exports, ADM-5).
 */
export async function audit(manager: EntityManager, actor: AuditActor, entry: AuditRecord): Promise<void> {
  await manager.query(
    `INSERT INTO audit_entry (actor, role, action, entity, entity_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      actor.subject,
      actor.role,
      entry.action,
      entry.entity,
      entry.entityId,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
}

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS audit_entry (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL,
    role      text        NOT NULL,
    action    text        NOT NULL,
    entity    text        NOT NULL,
    entity_id text        NOT NULL,
    reason    text,
    details   jsonb
  )`;

/** The `audit_entry` table, for services that did not create it in a migration of their own. */
export class CreateAuditEntry1763800005600 implements MigrationInterface {
  name = 'CreateAuditEntry1763800005600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(CREATE_TABLE.replace(' IF NOT EXISTS', ''));
    await runner.query(`CREATE INDEX audit_entry_entity ON audit_entry (entity, entity_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_entry`);
  }
}

/**
 * Every service audits every write (the kit's units of work), so every service has the table:
 * this runs after the services' own migrations that created it (enrolment, subsidy) and adds it
 * where none did.
 */
export class EnsureAuditEntry1763800009000 implements MigrationInterface {
  name = 'EnsureAuditEntry1763800009000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(CREATE_TABLE);
    await runner.query(`CREATE INDEX IF NOT EXISTS audit_entry_entity ON audit_entry (entity, entity_id)`);
  }

  async down(): Promise<void> {
    // The table may have been created by a service's own migration: leave it.
  }
}
