import type { EntityManager } from 'typeorm';
import type { Principal } from '@xueji/auth';

/** Record who did what to which record and why, in the transaction of the change itself. */
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
