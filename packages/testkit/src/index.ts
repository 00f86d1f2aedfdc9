export * from './infrastructure';
export * from './fixtures';
export * from './topic-reader';
export * from './kafka-cleanup';
export * from './deliver';
export * from './statements';
export * from './entities';
