import path from 'node:path';
import { CreateAuditEntry1763800005600 } from '@xueji/audit';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { createHandlers } from './events';
import { openNewPeriodsJob } from './jobs/open-periods';
import { CreateSubsidyStudents1763800005000 } from './migrations/1763800005000-create-subsidy-students';
import { AddRegistrationFacts1763800005100 } from './migrations/1763800005100-add-registration-facts';
import { AddStudentStatus1763800005200 } from './migrations/1763800005200-add-student-status';
import { AddEligibilityTimeline1763800005300 } from './migrations/1763800005300-add-eligibility-timeline';
import { AddFraudSignals1763800005400 } from './migrations/1763800005400-add-fraud-signals';
import { AddRosterIndexes1763800005500 } from './migrations/1763800005500-add-roster-indexes';
import { AddStudentAbsence1763800010900 } from './migrations/1763800010900-add-student-absence';
import { IndexSubsidyLists1763800013710 } from './migrations/1763800013710-index-subsidy-lists';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Subsidy: grant and tuition-waiver eligibility with reasons, from a read model fed by events. */
export const subsidy: ServiceDefinition = {
  name: 'subsidy',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers,
  // Subsidy's own tables are read and written with SQL (src/reads, src/application): no entities of its own.
  entities: [StudentScope],
  migrations: [
    CreateStudentScope1763800000002,
    CreateSubsidyStudents1763800005000,
    AddRegistrationFacts1763800005100,
    AddStudentStatus1763800005200,
    AddEligibilityTimeline1763800005300,
    AddFraudSignals1763800005400,
    AddRosterIndexes1763800005500,
    CreateAuditEntry1763800005600,
    AddStudentAbsence1763800010900,
    IndexSubsidyLists1763800013710,
  ],
  // A new semester's period for every student, checked hourly.
  schedules: [openNewPeriodsJob],
  consumes: {
    topics: (t) => [t.of('enrolment'), t.of('status-change'), t.of('assessment')],
    // Each event is a command: it publishes through the outbox, so it needs the deployment's topics.
    handlers: createHandlers,
    // Each student's events are serialised by an advisory lock (and one ID number's by another),
    // so the partitions of the three topics can be applied at once.
    partitionsConcurrently: 3,
  },
};
