import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { AttendanceRecord, CourseResult } from './entities/course-result';
import { handlers } from './events';
import { CreateResults1763800003000 } from './migrations/1763800003000-create-results';
import { CreatePlansResultsConduct1763800010000 } from './migrations/1763800010000-create-plans-results-conduct';
import { CreateCreditRecognition1763800010100 } from './migrations/1763800010100-create-credit-recognition';
import { CreateAttendanceSanctionsAppeals1763800010500 } from './migrations/1763800010500-create-attendance-sanctions-appeals';
import { CreateRewardsInternshipsInputs1763800010510 } from './migrations/1763800010510-create-rewards-internships-inputs';
import { StudentIdentityMakeUpPeriods1763800013000 } from './migrations/1763800013000-student-identity-make-up-periods';
import { RecognisedCertificateDetails1763800013210 } from './migrations/1763800013210-recognised-certificate-details';
import { StudyRecordStatus1763800014400 } from './migrations/1763800014400-study-record-status';
import { assessmentResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Assessment: results, conduct, attendance, internships, rewards, sanctions, appeals. */
export const assessment: ServiceDefinition = {
  name: 'assessment',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: assessmentResolvers,
  entities: [StudentScope, CourseResult, AttendanceRecord],
  migrations: [
    CreateStudentScope1763800000002,
    CreateResults1763800003000,
    CreatePlansResultsConduct1763800010000,
    CreateCreditRecognition1763800010100,
    CreateAttendanceSanctionsAppeals1763800010500,
    CreateRewardsInternshipsInputs1763800010510,
    StudentIdentityMakeUpPeriods1763800013000,
    RecognisedCertificateDetails1763800013210,
    StudyRecordStatus1763800014400,
  ],
  consumes: { topics: (t) => [t.of('enrolment'), t.of('status-change')], handlers },
};
