export * from './audit';
export * from './issuing';
