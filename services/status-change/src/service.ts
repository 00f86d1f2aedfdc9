import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { StatusChange, StudentStatus } from './entities/status';
import { handlers } from './events';
import { CreateStatus1763800002000 } from './migrations/1763800002000-create-status';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Status-change: transfers, suspensions, withdrawals and other changes, and each student's status. */
export const statusChange: ServiceDefinition = {
  name: 'status-change',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers,
  entities: [StudentScope, StudentStatus, StatusChange],
  migrations: [CreateStudentScope1763800000002, CreateStatus1763800002000],
  consumes: { topics: (t) => [t.of('enrolment')], handlers },
};
