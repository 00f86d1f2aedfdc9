import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { GraduationCase } from './entities/graduation-case';
import { handlers } from './events';
import { CreateGraduationCases1763800004000 } from './migrations/1763800004000-create-graduation-cases';
import { graduationResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Graduation: audits, diplomas and other certificates, public verification. */
export const graduation: ServiceDefinition = {
  name: 'graduation',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: graduationResolvers,
  entities: [StudentScope, GraduationCase],
  migrations: [CreateStudentScope1763800000002, CreateGraduationCases1763800004000],
  consumes: { topics: (t) => [t.of('enrolment'), t.of('status-change')], handlers },
};
