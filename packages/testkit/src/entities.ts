import { selectRows, type Queryable } from '@xueji/db';
import { graphql, type GraphQLResponse } from './fixtures';

/**
 * Resolve `Student` representations in one `_entities` call, as the gateway does when a list of
 * students (from enrolment) asks for another subgraph's fields.
 */
export function resolveStudents<T = Record<string, unknown>>(
  url: string,
  token: string,
  studentIds: string[],
  selection: string,
): Promise<GraphQLResponse<{ _entities: (T | null)[] }>> {
  return graphql(
    url,
    `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Student { ${selection} } } }`,
    { representations: studentIds.map((id) => ({ __typename: 'Student', id })) },
    token,
  );
}

/** One audit row as a test reads it. */
export interface AuditRow {
  actor: string;
  role: string;
  action: string;
  entity: string;
  entityId: string;
  reason: string | null;
}

/** The audit rows of a service's database, oldest first. */
export function auditRows(dataSource: Queryable): Promise<AuditRow[]> {
  return selectRows<AuditRow>(
    dataSource,
    `SELECT actor, role, action, entity, entity_id AS "entityId", reason FROM audit_entry ORDER BY id`,
  );
}
