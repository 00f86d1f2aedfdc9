export * from './audit';
export * from './issuing';
export * from './blanks';
export * from './replacement';
