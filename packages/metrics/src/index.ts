export * from './labels';
export * from './series';
export * from './registry';
export * from './requests';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
