import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import {
  ApprovalStep,
  ChangeRequest,
  SchoolDirectoryEntry,
  StudentRecord,
  SuspensionPeriod,
} from './entities/change-request';
import { StatusChange, StudentStatus } from './entities/status';
import { handlers } from './events';
import { CreateStatus1763800002000 } from './migrations/1763800002000-create-status';
import { CreateChangeRequests1763800002100 } from './migrations/1763800002100-create-change-requests';
import { CreateYearFailureFacts1763800010400 } from './migrations/1763800010400-create-year-failure-facts';
import { RecordApprovalActorScope1763800011000 } from './migrations/1763800011000-record-approval-actor-scope';
import { AddApplyingState1763800011100 } from './migrations/1763800011100-add-applying-state';
import { IndexChangeRequestLists1763800013700 } from './migrations/1763800013700-index-change-request-lists';
import { AddSubmissionIdempotencyKey1763800014300 } from './migrations/1763800014300-add-submission-idempotency-key';
import { scheduledChanges } from './jobs/scheduled-changes';
import { statusChangeResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/**
 * Status-change: transfers, major changes, repeats, suspensions, resumptions, withdrawals,
 * cancellations, deaths and personal-data corrections, each approved step by step, and each
 * student's status. Publishes every effective change; consumes registrations, lapses, truancy, waivers.
 */
export const statusChange: ServiceDefinition = {
  name: 'status-change',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: statusChangeResolvers,
  entities: [
    StudentScope,
    StudentStatus,
    StatusChange,
    ChangeRequest,
    ApprovalStep,
    StudentRecord,
    SchoolDirectoryEntry,
    SuspensionPeriod,
  ],
  migrations: [
    CreateStudentScope1763800000002,
    CreateStatus1763800002000,
    CreateChangeRequests1763800002100,
    CreateYearFailureFacts1763800010400,
    RecordApprovalActorScope1763800011000,
    AddApplyingState1763800011100,
    IndexChangeRequestLists1763800013700,
    AddSubmissionIdempotencyKey1763800014300,
  ],
  consumes: {
    topics: (t) => [t.of('enrolment'), t.of('assessment'), t.of('subsidy'), t.of('graduation')],
    handlers,
  },
  // Changes due today take effect; overdue suspensions open SC-17 cases.
  schedules: [scheduledChanges],
};
