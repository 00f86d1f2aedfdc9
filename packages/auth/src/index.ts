export * from './principal';
export * from './token';
export * from './guards';
