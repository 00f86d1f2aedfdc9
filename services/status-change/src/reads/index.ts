/** Every read of status-change: the queries, the batched `Student` fields, and what commands and jobs judge by. */
export * from './change-requests';
export * from './facts';
export * from './monthly-report';
export * from './schedule';
export * from './student-fields';
