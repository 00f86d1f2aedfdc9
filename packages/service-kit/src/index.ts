export * from './command';
export * from './context';
export * from './scalars';
export * from './logger';
export * from './schema';
export * from './service';
export type { EventHandler, EventHandlers } from '@xueji/inbox';
export * from './replay';
export * from './turns';
