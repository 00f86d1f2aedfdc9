import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { School } from './entities/school';
import { Student } from './entities/student';
import { CreateSchoolsAndStudents1763800001000 } from './migrations/1763800001000-create-schools-and-students';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Enrolment: schools, majors, students, registration. Publishes registrations; consumes nothing yet. */
export const enrolment: ServiceDefinition = {
  name: 'enrolment',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers,
  entities: [School, Student],
  migrations: [CreateSchoolsAndStudents1763800001000],
};
