export * from './principal';
export * from './token';
export * from './guards';
export * from './local-secret';
