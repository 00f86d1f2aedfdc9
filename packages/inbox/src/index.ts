export * from './migration';
export * from './consumer';
export * from './operator';
