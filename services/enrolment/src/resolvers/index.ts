import { mayReadIdNumber, maskIdNumber, requireRole } from '@xueji/auth';
import { refusal } from '@xueji/rules';
import type { SubgraphResolvers, ServiceContext } from '@xueji/service-kit';
import { archiveSections } from '../domain/archive';
import { fullRegionName } from '../domain/regions';
import { followsSeparateRules } from '../domain/registration';
import { MajorCategory } from '../entities/major';
import { School, TeachingPoint } from '../entities/school';
import { Student } from '../entities/student';
import { exportRegistrationRoster, importRoster } from '../roster';
import { readableStudent, requireRegistrarOf, schoolLoader } from './access';
import { listStudents, registrationQueue, studentByIdNumber, studentByNumber, type StudentFilter } from './queries';
import {
  approveRegistrations,
  cancelRegistration,
  deferAdmission,
  readmitDeferred,
  rejectRegistrations,
  submitOne,
  type RegistrationInput,
} from './registration';
import { approvedMajors, headcount, listSchools, majorCategories, majors, schoolById, teachingPoints } from './schools';
import { detectTermRegistrationLapses, recordTermRegistration } from './term';
import { importOtherStatusRecords } from './other-status';

type Args<T> = T;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const resolvers: SubgraphResolvers = {
  Query: {
    student: (_: unknown, a: Args<{ id: string }>, ctx: ServiceContext) => readableStudent(ctx, a.id),
    studentByNumber: (_: unknown, a: Args<{ studentNumber: string }>, ctx: ServiceContext) =>
      studentByNumber(ctx, a.studentNumber),
    studentByIdNumber: (_: unknown, a: Args<{ idNumber: string }>, ctx: ServiceContext) =>
      studentByIdNumber(ctx, a.idNumber),
    students: (_: unknown, a: Args<{ filter?: StudentFilter; first: number; after?: string }>, ctx: ServiceContext) =>
      listStudents(ctx, a.filter ?? {}, a.first, a.after),
    registrationQueue: (_: unknown, a: Args<{ first: number; after?: string }>, ctx: ServiceContext) =>
      registrationQueue(ctx, a.first, a.after),
    school: (_: unknown, a: Args<{ id: string }>, ctx: ServiceContext) => schoolById(ctx, a.id),
    schools: (_: unknown, a: Args<{ regionCode?: string }>, ctx: ServiceContext) => listSchools(ctx, a.regionCode),
    majorCategories: (_: unknown, __: unknown, ctx: ServiceContext) => majorCategories(ctx),
    majors: (_: unknown, a: Args<{ categoryCode?: string }>, ctx: ServiceContext) => majors(ctx, a.categoryCode),
    registrationRoster: (_: unknown, a: Args<{ schoolId: string; entryYear: number }>, ctx: ServiceContext) =>
      exportRegistrationRoster(ctx, a.schoolId, a.entryYear),
  },
  Mutation: {
    submitRegistration: async (_: unknown, { input }: Args<{ input: RegistrationInput }>, ctx: ServiceContext) => {
      const principal = requireRegistrarOf(ctx, input.schoolId);
      const result = await submitOne(ctx, principal, input);
      if (result.outcome === 'REFUSED') throw refusal(result.breaches);
      if (result.outcome === 'ALREADY_REGISTERED') {
        throw refusal([
          {
            rule: 'ENR-6',
            field: 'idNumber',
            message: {
              zh: '该学生已在本校注册，不得重复建立学籍',
              en: 'This student is already registered at this school',
            },
          },
        ]);
      }
      return result.student;
    },
    importRoster: (
      _: unknown,
      { input }: Args<{ input: { schoolId: string; fileName: string; contentBase64: string } }>,
      ctx: ServiceContext,
    ) => importRoster(ctx, input),
    approveRegistrations: (_: unknown, a: Args<{ ids: string[]; comment?: string }>, ctx: ServiceContext) =>
      approveRegistrations(ctx, a.ids, a.comment?.trim() || null),
    rejectRegistrations: (_: unknown, a: Args<{ ids: string[]; reason: string }>, ctx: ServiceContext) =>
      rejectRegistrations(ctx, a.ids, a.reason),
    cancelRegistration: (_: unknown, a: Args<{ id: string; reason: string }>, ctx: ServiceContext) =>
      cancelRegistration(ctx, a.id, a.reason),
    deferAdmission: (_: unknown, a: Args<{ id: string; certificateRef: string }>, ctx: ServiceContext) =>
      deferAdmission(ctx, a.id, a.certificateRef),
    readmitDeferred: (_: unknown, a: Args<{ id: string; certificateRef: string }>, ctx: ServiceContext) =>
      readmitDeferred(ctx, a.id, a.certificateRef),
    recordTermRegistration: (
      _: unknown,
      a: Args<{ studentIds: string[]; term?: string; onLeave: boolean }>,
      ctx: ServiceContext,
    ) => recordTermRegistration(ctx, a.studentIds, a.term ?? null, a.onLeave),
    detectTermRegistrationLapses: (_: unknown, __: unknown, ctx: ServiceContext) => {
      requireRole(ctx.principal, 'AUTHORITY_REVIEWER');
      return detectTermRegistrationLapses(ctx);
    },
    importOtherStatusRecords: (
      _: unknown,
      a: Args<{ records: { idNumber: string; kind: string; institution: string }[] }>,
      ctx: ServiceContext,
    ) => importOtherStatusRecords(ctx, a.records),
  },
  Student: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => readableStudent(ctx, ref.id),
    idNumber: (s: Student, _: unknown, ctx: ServiceContext) =>
      ctx.principal && mayReadIdNumber(ctx.principal) ? s.idNumber : maskIdNumber(s.idNumber),
    followsSeparateRules: (s: Student, _: unknown, ctx: ServiceContext) => followsSeparateRules(s.origin, ctx.profile),
    school: (s: Student, _: unknown, ctx: ServiceContext) => s.school ?? schoolLoader(ctx).load(s.schoolId),
    major: (s: Student, _: unknown, ctx: ServiceContext) =>
      s.majorCode ? majors(ctx).then((all) => all.find((m) => m.code === s.majorCode) ?? null) : null,
    majorCategory: (s: Student, _: unknown, ctx: ServiceContext) =>
      s.majorCategoryCode ? ctx.dataSource.getRepository(MajorCategory).findOneBy({ code: s.majorCategoryCode }) : null,
    teachingPoint: (s: Student, _: unknown, ctx: ServiceContext) =>
      s.teachingPointId ? ctx.dataSource.getRepository(TeachingPoint).findOneBy({ id: s.teachingPointId }) : null,
    isFormal: (s: Student) => s.registrationStatus === 'APPROVED' && s.leftAt === null,
    registeredAt: (s: Student) => s.registeredAt.toISOString(),
    decidedAt: (s: Student) => iso(s.decidedAt),
    archiveSections: (_: Student, __: unknown, ctx: ServiceContext) => archiveSections(ctx.profile),
  },
  Major: {
    category: (m: { categoryCode: string }, _: unknown, ctx: ServiceContext) =>
      ctx.dataSource.getRepository(MajorCategory).findOneBy({ code: m.categoryCode }),
  },
  School: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => schoolById(ctx, ref.id),
    regionName: (s: School) => fullRegionName(s.regionCode),
    approvedMajors: (s: School, _: unknown, ctx: ServiceContext) => approvedMajors(ctx, s),
    teachingPoints: (s: School, _: unknown, ctx: ServiceContext) => teachingPoints(ctx, s),
    headcount: (s: School, a: Args<{ term?: string }>, ctx: ServiceContext) => headcount(ctx, s, a.term),
  },
};
