import { composeSupergraph, readCommittedSupergraph } from '../src/supergraph';

describe('the supergraph', () => {
  it('composes from the five subgraph schemas', () => {
    const { supergraphSdl, errors } = composeSupergraph();
    expect(errors).toEqual([]);
    for (const graph of ['ENROLMENT', 'STATUS_CHANGE', 'ASSESSMENT', 'GRADUATION', 'SUBSIDY']) {
      expect(supergraphSdl).toContain(`@join__graph(name: "${graph.toLowerCase().replace('_', '-')}"`);
    }
  });

  it('is committed as composed (run `pnpm compose` after changing a schema.graphql)', () => {
    expect(readCommittedSupergraph()).toBe(composeSupergraph().supergraphSdl);
  });
});
