import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import gql from 'graphql-tag';
import { SERVICE_NAMES, SERVICES } from '@xueji/config';

export const SUPERGRAPH_PATH = path.resolve(__dirname, '../supergraph.graphql');
const SERVICES_DIR = path.resolve(__dirname, '../../services');

/** Compose the five subgraph schemas into the supergraph the gateway serves. */
export function composeSupergraph(): { supergraphSdl?: string; errors: string[] } {
  const result = composeServices(
    SERVICE_NAMES.map((name) => ({
      name,
      url: `http://127.0.0.1:${SERVICES[name].port}/graphql`,
      typeDefs: gql(readFileSync(path.join(SERVICES_DIR, name, 'src/schema.graphql'), 'utf8')),
    })),
  );
  if (result.errors) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: result.supergraphSdl, errors: [] };
}

export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
