import { subgraphResolvers } from '@xueji/service-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { eligibilityResolvers } from './eligibility';
import { entitlementResolvers } from './entitlements';
import { rosterResolvers } from './roster';
import { signalResolvers } from './signals';

const typed: Resolvers = {
  Query: { ...eligibilityResolvers.Query, ...rosterResolvers.Query, ...signalResolvers.Query },
  Mutation: { ...entitlementResolvers.Mutation, ...signalResolvers.Mutation },
  EligibilityRoster: rosterResolvers.EligibilityRoster,
  Student: { ...eligibilityResolvers.Student, ...entitlementResolvers.Student, ...signalResolvers.Student },
};

export const resolvers = subgraphResolvers(typed);
