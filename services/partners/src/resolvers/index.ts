import { GraphQLScalarType } from 'graphql';
import { subgraphResolvers } from '@xueji/service-kit';
import {
  pausePartner,
  registerPartner,
  replayPartnerDeliveries,
  resumePartner,
  retryDeadLetteredDeliveries,
  updatePartner,
} from '../application/partners';
import type { Resolvers } from '../generated/resolvers-types';
import { partnerChanges } from '../reads/changes';
import { partnerById, partnersPage } from '../reads/partners';
import { requireRole } from '@xueji/auth';

/** `JSON`: an event's data, written as it is (output only). */
const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
});

const resolvers: Resolvers = {
  JSON: JsonScalar,
  Query: {
    partners: (_, args, ctx) => partnersPage(ctx, args),
    partner: (_, { id }, ctx) => {
      requireRole(ctx.principal, 'ADMINISTRATOR');
      return partnerById(ctx.dataSource, id);
    },
    partnerChanges: (_, args, ctx) => partnerChanges(ctx, args),
  },
  Mutation: {
    registerPartner: (_, { input }, ctx) => registerPartner.execute(ctx, input),
    updatePartner: (_, { input }, ctx) => updatePartner.execute(ctx, input),
    pausePartner: (_, args, ctx) => pausePartner.execute(ctx, args),
    resumePartner: (_, args, ctx) => resumePartner.execute(ctx, args),
    replayPartnerDeliveries: (_, args, ctx) => replayPartnerDeliveries.execute(ctx, args),
    retryDeadLetteredDeliveries: (_, args, ctx) => retryDeadLetteredDeliveries.execute(ctx, args),
  },
  PartnerDeliveryStats: {
    // The age of the oldest pending delivery, on the wall clock its `queued_at` was written with.
    lagSeconds: (stats) =>
      stats.oldestPendingAt ? Math.max(0, (Date.now() - stats.oldestPendingAt.getTime()) / 1000) : 0,
  },
};

export const partnersResolvers = subgraphResolvers(resolvers);
