/** Writes gateway/supergraph.graphql from the subgraph schemas. Run after changing any schema.graphql. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../src/supergraph';

const { supergraphSdl, errors } = composeSupergraph();
if (!supergraphSdl) {
  console.error(`composition failed:\n- ${errors.join('\n- ')}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_PATH, supergraphSdl);
console.log(`wrote ${SUPERGRAPH_PATH}`);
