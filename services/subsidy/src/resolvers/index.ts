import type { SubgraphResolvers } from '@xueji/service-kit';
import { eligibilityResolvers } from './eligibility';
import { entitlementResolvers } from './entitlements';
import { rosterResolvers } from './roster';
import { signalResolvers } from './signals';

export const resolvers: SubgraphResolvers = {
  Query: { ...eligibilityResolvers.Query, ...rosterResolvers.Query, ...signalResolvers.Query },
  Mutation: { ...entitlementResolvers.Mutation, ...signalResolvers.Mutation },
  EligibilityRoster: rosterResolvers.EligibilityRoster,
  Student: { ...eligibilityResolvers.Student, ...entitlementResolvers.Student, ...signalResolvers.Student },
};
