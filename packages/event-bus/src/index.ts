export * from './bus';
export { createKafkaEventBus, type KafkaBusOptions } from './kafka';
