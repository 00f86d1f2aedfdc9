import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { AttendanceRecord, CourseResult } from './entities/course-result';
import { handlers } from './events';
import { CreateResults1763800003000 } from './migrations/1763800003000-create-results';
import { assessmentResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Assessment: results, conduct, attendance, internships, rewards, sanctions, appeals. */
export const assessment: ServiceDefinition = {
  name: 'assessment',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: assessmentResolvers,
  entities: [StudentScope, CourseResult, AttendanceRecord],
  migrations: [CreateStudentScope1763800000002, CreateResults1763800003000],
  consumes: { topics: (t) => [t.of('enrolment'), t.of('status-change')], handlers },
};
