import { requirePrincipal } from '@xueji/auth';
import { subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import {
  exchangeCompletionCertificate,
  issueCompletionCertificate,
  recordHeldCertificate,
} from '../application/certificates';
import { approveGraduateList, rejectGraduateList, submitGraduateList } from '../application/graduate-lists';
import { auditGraduation } from '../domain';
import type { Resolvers } from '../generated/resolvers-types';
import { graduationRecords } from '../reads';
import { classGraduationAudit } from '../reads/class-audit';
import { graduateListById, graduateLists, listEntries, maySeeList } from '../reads/lists';
import { certificateLookup, checkCredentialInput, printFacts } from '../reads/lookup';
import { publishedKeys, verifyCertificateCredential } from '../application/credentials';
import { printableCertificate } from '../application/printable';
import { studentFacts } from '../reads/records';

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
  },
  Mutation: {
    recordHeldCertificate: (_, { input }, ctx) => recordHeldCertificate.execute(ctx, input),
    submitGraduateList: (_, { input }, ctx) => submitGraduateList.execute(ctx, input),
    approveGraduateList: (_, args, ctx) => approveGraduateList.execute(ctx, args),
    rejectGraduateList: (_, args, ctx) => rejectGraduateList.execute(ctx, args),
    issueCompletionCertificate: (_, args, ctx) => issueCompletionCertificate.execute(ctx, args),
    exchangeCompletionCertificate: (_, args, ctx) => exchangeCompletionCertificate.execute(ctx, args),
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
