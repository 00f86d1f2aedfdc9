export * from './envelope';
export * from './contracts';
export * from './registration-ended';
