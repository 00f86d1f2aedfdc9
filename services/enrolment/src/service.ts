import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { Major, MajorCategory } from './entities/major';
import { School, TeachingPoint } from './entities/school';
import { Student } from './entities/student';
import { handlers } from './events';
import { CreateSchoolsAndStudents1763800001000 } from './migrations/1763800001000-create-schools-and-students';
import { AddSchoolPrincipal1763800013200 } from './migrations/1763800013200-add-school-principal';
import { IndexStudentLists1763800013600 } from './migrations/1763800013600-index-student-lists';
import { AddRegistrationIdempotencyKey1763800014310 } from './migrations/1763800014310-add-registration-idempotency-key';
import { IndexStudentSurnameOrder1763800015000 } from './migrations/1763800015000-index-student-surname-order';
import { termRegistrationLapses } from './jobs/term-registration-lapses';
import { enrolmentResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/**
 * Enrolment: schools, majors, students, registration with approval, student numbers, duplicates,
 * rosters. Publishes registrations and their outcomes; applies approved changes from status-change.
 */
export const enrolment: ServiceDefinition = {
  name: 'enrolment',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: enrolmentResolvers,
  entities: [School, TeachingPoint, Major, MajorCategory, Student],
  migrations: [
    CreateSchoolsAndStudents1763800001000,
    AddSchoolPrincipal1763800013200,
    IndexStudentLists1763800013600,
    AddRegistrationIdempotencyKey1763800014310,
    IndexStudentSurnameOrder1763800015000,
  ],
  consumes: { topics: (t) => [t.of('status-change')], handlers },
  // ENR-17: look for lapsed term registrations every hour; each lapse is published once.
  schedules: [termRegistrationLapses],
};
