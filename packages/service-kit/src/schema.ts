import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import gql from 'graphql-tag';

/** Parse a service's `schema.graphql`. */
export function loadTypeDefs(path: string): DocumentNode {
  return gql(readFileSync(path, 'utf8'));
}
