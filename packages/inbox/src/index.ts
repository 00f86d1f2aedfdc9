export * from './migration';
export * from './consumer';
