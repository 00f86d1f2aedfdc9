import { requirePrincipal } from '@xueji/auth';
import { subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import {
  exchangeCompletionCertificate,
  issueCompletionCertificate,
  recordHeldCertificate,
} from '../application/certificates';
import { allocateDiplomaBlanks, voidDiplomaBlank } from '../application/blanks';
import {
  approveVerificationDataCorrection,
  rejectVerificationDataCorrection,
  requestVerificationDataCorrection,
} from '../application/corrections';
import { issueCredentialCertificate } from '../application/lost-certificates';
import {
  approveGraduateList,
  recordDiplomaVerification,
  rejectGraduateList,
  submitGraduateList,
} from '../application/graduate-lists';
import { auditGraduation } from '../domain';
import { exportCertificates, exportClassGraduationAudit, exportGraduateList } from '../application/exports';
import type { Resolvers } from '../generated/resolvers-types';
import { graduationRecords } from '../reads';
import { diplomaBlanks } from '../reads/blanks';
import { certificatesPage } from '../reads/certificates';
import { classGraduationAudit } from '../reads/class-audit';
import { certificateCorrections, verificationDataCorrections } from '../reads/corrections';
import { graduationFigures, graduationFiguresFile } from '../reads/figures';
import { type GraduationFile } from '../reads/exports';
import { graduateListById, graduateLists, listEntries, maySeeList } from '../reads/lists';
import { certificateLookup, checkCredentialInput, printFacts } from '../reads/lookup';
import { publishedKeys, verifyCertificateCredential } from '../application/credentials';
import { printableCertificate } from '../application/printable';
import { studentFacts } from '../reads/records';

/** A file as GraphQL `GraduationFile` gives it (without what the audit row names). */
const strip = ({ fileName, contentType, contentBase64, rows }: GraduationFile): GraduationFile => ({
  fileName,
  contentType,
  contentBase64,
  rows,
});

const resolvers: Resolvers = {
  Query: {
    certificateLookup: (_, args, ctx) => certificateLookup(ctx, args),
    credentialKeys: async (_, __, ctx) => JSON.stringify(await publishedKeys(ctx.now())),
    verifyCredential: (_, args, ctx) => {
      checkCredentialInput(args, ctx.today());
      return verifyCertificateCredential(ctx.dataSource, args.credential, ctx.now());
    },
    classGraduationAudit: (_, args, ctx) => classGraduationAudit(ctx, args),
    graduateList: async (_, { id }, ctx) => {
      requirePrincipal(ctx.principal);
      const list = await graduateListById(ctx.dataSource, id);
      return list && maySeeList(ctx, list) ? list : null;
    },
    graduateLists: (_, args, ctx) => graduateLists(ctx, args),
    verificationDataCorrections: (_, args, ctx) => verificationDataCorrections(ctx, args),
    certificates: (_, args, ctx) => certificatesPage(ctx.dataSource, requirePrincipal(ctx.principal), args),
    certificatesFile: async (_, { filter }, ctx) => strip(await exportCertificates.execute(ctx, { filter })),
    classGraduationAuditFile: async (_, args, ctx) => strip(await exportClassGraduationAudit.execute(ctx, args)),
    graduateListFile: async (_, args, ctx) => strip(await exportGraduateList.execute(ctx, args)),
    graduationFigures: (_, args, ctx) => graduationFigures(ctx, args),
    graduationFiguresFile: (_, args, ctx) => graduationFiguresFile(ctx, args),
    diplomaBlanks: (_, args, ctx) => diplomaBlanks(ctx, args),
  },
  Mutation: {
    recordHeldCertificate: (_, { input }, ctx) => recordHeldCertificate.execute(ctx, input),
    submitGraduateList: (_, { input }, ctx) => submitGraduateList.execute(ctx, input),
    approveGraduateList: (_, args, ctx) => approveGraduateList.execute(ctx, args),
    rejectGraduateList: (_, args, ctx) => rejectGraduateList.execute(ctx, args),
    recordDiplomaVerification: (_, args, ctx) => recordDiplomaVerification.execute(ctx, args),
    allocateDiplomaBlanks: (_, args, ctx) => allocateDiplomaBlanks.execute(ctx, args),
    voidDiplomaBlank: (_, args, ctx) => voidDiplomaBlank.execute(ctx, args),
    issueCompletionCertificate: (_, args, ctx) => issueCompletionCertificate.execute(ctx, args),
    exchangeCompletionCertificate: (_, args, ctx) => exchangeCompletionCertificate.execute(ctx, args),
    issueCredentialCertificate: (_, { input }, ctx) => issueCredentialCertificate.execute(ctx, input),
    requestVerificationDataCorrection: (_, { input }, ctx) => requestVerificationDataCorrection.execute(ctx, input),
    approveVerificationDataCorrection: (_, args, ctx) => approveVerificationDataCorrection.execute(ctx, args),
    rejectVerificationDataCorrection: (_, args, ctx) => rejectVerificationDataCorrection.execute(ctx, args),
  },
  Student: {
    graduation: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      return graduationRecords(ctx).load(student.id);
    },
  },
  GraduationRecord: {
    audit: async (record, _, ctx) => {
      const facts = await studentFacts(ctx).load(record.studentId);
      if (!facts?.student.entryDate) return null;
      return { studentId: record.studentId, ...auditGraduation(facts.facts, ctx.profile, ctx.today()) };
    },
    certificates: async (record, _, ctx) => (await studentFacts(ctx).load(record.studentId))?.certificates ?? [],
  },
  Certificate: {
    credential: (certificate) => certificate.credential ?? null,
    standsForId: (certificate) => certificate.lostId ?? null,
    corrections: (certificate, _, ctx) => certificateCorrections(ctx).load(certificate.id),
    printable: async (certificate, _, ctx) => {
      const facts = await printFacts(ctx.dataSource, certificate.id);
      if (!facts) throw new Error(`certificate ${certificate.id} is missing`);
      return printableCertificate(facts);
    },
  },
  GraduationAudit: {
    conditions: (audit) =>
      audit.conditions.map((c) => ({
        condition: c.condition,
        rule: c.rule,
        met: c.met,
        factsJson: JSON.stringify(c.facts),
        messageZh: c.message.zh,
        messageEn: c.message.en,
      })),
  },
  GraduateList: {
    entries: (list, _, ctx) => listEntries(ctx).load(list.id),
  },
};

export const graduationResolvers = subgraphResolvers(resolvers);
