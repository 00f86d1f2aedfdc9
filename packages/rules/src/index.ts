export * from './violation';
export * from './dates';
export * from './formats';
