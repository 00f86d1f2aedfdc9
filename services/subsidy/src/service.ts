import path from 'node:path';
import { CreateAuditEntry1763800005600 } from '@xueji/audit';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { SubsidyStudent } from './entities/subsidy-student';
import { createHandlers } from './events';
import { CreateSubsidyStudents1763800005000 } from './migrations/1763800005000-create-subsidy-students';
import { AddRegistrationFacts1763800005100 } from './migrations/1763800005100-add-registration-facts';
import { AddStudentStatus1763800005200 } from './migrations/1763800005200-add-student-status';
import { AddEligibilityTimeline1763800005300 } from './migrations/1763800005300-add-eligibility-timeline';
import { AddFraudSignals1763800005400 } from './migrations/1763800005400-add-fraud-signals';
import { AddRosterIndexes1763800005500 } from './migrations/1763800005500-add-roster-indexes';
import { resolvers } from './resolvers';
import { openNewPeriods } from './schedules/open-periods';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/** Subsidy: grant and tuition-waiver eligibility with reasons, from a read model fed by events. */
export const subsidy: ServiceDefinition = {
  name: 'subsidy',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers,
  entities: [StudentScope, SubsidyStudent],
  migrations: [
    CreateStudentScope1763800000002,
    CreateSubsidyStudents1763800005000,
    AddRegistrationFacts1763800005100,
    AddStudentStatus1763800005200,
    AddEligibilityTimeline1763800005300,
    AddFraudSignals1763800005400,
    AddRosterIndexes1763800005500,
    CreateAuditEntry1763800005600,
  ],
  // A new semester's period for every student, checked hourly.
  schedules: [{ name: 'open-new-periods', intervalMs: 60 * 60_000, run: openNewPeriods }],
  consumes: {
    topics: (t) => [t.of('enrolment'), t.of('status-change'), t.of('assessment')],
    // Handlers publish eligibility changes through the outbox, so they need the deployment's topics.
    handlers: ({ profile, topics }) => createHandlers(profile, topics),
    // Each student's events are serialised by an advisory lock (and one ID number's by another),
    // so the partitions of the three topics can be applied at once.
    partitionsConcurrently: 3,
  },
};
