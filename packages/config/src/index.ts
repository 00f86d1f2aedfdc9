export * from './catalogue';
export * from './env';
