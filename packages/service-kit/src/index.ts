export * from './context';
export * from './logger';
export * from './schema';
export * from './service';
export type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
export type { EventHandler, EventHandlers } from '@xueji/inbox';
