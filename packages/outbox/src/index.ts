export * from './migration';
export * from './writer';
export * from './relay';
export * from './operator';
