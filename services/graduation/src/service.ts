import path from 'node:path';
import { loadTypeDefs, type ServiceDefinition } from '@xueji/service-kit';
import { CreateStudentScope1763800000002, StudentScope } from '@xueji/student-scope';
import { GraduationCase } from './entities/graduation-case';
import { handlers } from './events';
import { CreateGraduationCases1763800004000 } from './migrations/1763800004000-create-graduation-cases';
import { AddCertificateCredentials1763800012600 } from './migrations/1763800012600-add-certificate-credentials';
import { RecallCertificates1763800012500 } from './migrations/1763800012500-recall-certificates';
import { CreateGraduationModel1763800012000 } from './migrations/1763800012000-create-graduation-model';
import { LookupVerificationData1763800013220 } from './migrations/1763800013220-lookup-verification-data';
import { CredentialCertificates1763800013300 } from './migrations/1763800013300-credential-certificates';
import { VerificationCorrections1763800013310 } from './migrations/1763800013310-verification-corrections';
import { RecordApprovalTiming1763800013120 } from './migrations/1763800013120-record-approval-timing';
import { IndexCertificatesForReads1763800013400 } from './migrations/1763800013400-index-certificates-for-reads';
import { DiplomaBlanksAndVerification1763800013500 } from './migrations/1763800013500-diploma-blanks-and-verification';
import { graduationResolvers } from './resolvers';

export const SCHEMA_PATH = path.join(__dirname, 'schema.graphql');

/**
 * Graduation: the audit per profile (GR-1, GR-2, GR-5) from a read model of enrolment's, status-change's
 * and assessment's events; graduate lists reviewed by the authority and numbered diplomas (GR-3, GR-4);
 * certificates of completion and their exchange (GR-6). Publishes each certificate issued.
 */
export const graduation: ServiceDefinition = {
  name: 'graduation',
  typeDefs: loadTypeDefs(SCHEMA_PATH),
  resolvers: graduationResolvers,
  entities: [StudentScope, GraduationCase],
  migrations: [
    CreateStudentScope1763800000002,
    CreateGraduationCases1763800004000,
    CreateGraduationModel1763800012000,
    RecallCertificates1763800012500,
    AddCertificateCredentials1763800012600,
    RecordApprovalTiming1763800013120,
    LookupVerificationData1763800013220,
    CredentialCertificates1763800013300,
    VerificationCorrections1763800013310,
    IndexCertificatesForReads1763800013400,
    DiplomaBlanksAndVerification1763800013500,
  ],
  consumes: { topics: (t) => [t.of('enrolment'), t.of('status-change'), t.of('assessment')], handlers },
};
