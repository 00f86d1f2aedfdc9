export * from './violation';
export * from './dates';
