import { maskIdentity } from '@xueji/auth';
import { subgraphResolvers } from '@xueji/service-kit';
import { archiveSections } from '../domain/archive';
import { fullRegionName } from '../domain/regions';
import { followsSeparateRules } from '../domain/registration';
import { cancelRegistration, deferAdmission, readmitDeferred } from '../application/admission';
import { approveRegistrations, rejectRegistrations } from '../application/approval';
import { importOtherStatusRecords } from '../application/other-status';
import { submitRegistration } from '../application/registration';
import { setSchoolPrincipal } from '../application/school';
import { exportRegistrationRoster, importRoster } from '../application/roster';
import { detectTermRegistrationLapses, recordTermRegistration } from '../application/term-registration';
import type { Resolvers } from '../generated/resolvers-types';
import { categoryLoader, majorCategories, majorLoader, majors, teachingPointLoader } from '../reads/catalogue';
import {
  approvedMajorsLoader,
  headcountLoader,
  headcountTerm,
  listSchools,
  schoolById,
  schoolLoader,
  teachingPointsLoader,
} from '../reads/schools';
import {
  listStudents,
  readableStudent,
  registrationQueue,
  studentByIdNumber,
  studentByNumber,
} from '../reads/students';

/** A row another row points at must exist (a foreign key); its absence is a fault, not a client's error. */
function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}

const resolvers: Resolvers = {
  Query: {
    student: (_, { id }, ctx) => readableStudent(ctx, id),
    studentByNumber: (_, { studentNumber }, ctx) => studentByNumber(ctx, studentNumber),
    studentByIdNumber: (_, { idNumber }, ctx) => studentByIdNumber(ctx, idNumber),
    students: (_, { filter, first, after }, ctx) => listStudents(ctx, filter ?? {}, first, after),
    registrationQueue: (_, { first, after }, ctx) => registrationQueue(ctx, first, after),
    school: (_, { id }, ctx) => schoolById(ctx, id),
    schools: (_, { regionCode }, ctx) => listSchools(ctx, regionCode),
    majorCategories: (_, __, ctx) => majorCategories(ctx),
    majors: (_, { categoryCode }, ctx) => majors(ctx, categoryCode),
    registrationRoster: (_, { schoolId, entryYear }, ctx) =>
      exportRegistrationRoster.execute(ctx, { schoolId, entryYear }),
  },
  Mutation: {
    submitRegistration: (_, { input }, ctx) => submitRegistration.execute(ctx, input),
    importRoster: async (_, { input }, ctx) => (await importRoster.execute(ctx, input)).report,
    setSchoolPrincipal: (_, { input }, ctx) => setSchoolPrincipal.execute(ctx, input),
    approveRegistrations: (_, { ids, comment }, ctx) => approveRegistrations(ctx, ids, comment?.trim() || null),
    rejectRegistrations: (_, { ids, reason }, ctx) => rejectRegistrations(ctx, ids, reason),
    cancelRegistration: (_, { id, reason }, ctx) => cancelRegistration.execute(ctx, { id, reason }),
    deferAdmission: (_, { id, certificateRef }, ctx) => deferAdmission.execute(ctx, { id, certificateRef }),
    readmitDeferred: (_, { id, certificateRef }, ctx) => readmitDeferred.execute(ctx, { id, certificateRef }),
    recordTermRegistration: async (_, { studentIds, term, onLeave }, ctx) =>
      (await recordTermRegistration.execute(ctx, { studentIds, term: term ?? null, onLeave })).recorded,
    detectTermRegistrationLapses: async (_, __, ctx) =>
      (await detectTermRegistrationLapses.execute(ctx, undefined)).lapsed,
    importOtherStatusRecords: (_, { records }, ctx) => importOtherStatusRecords.execute(ctx, records),
  },
  Student: {
    __resolveReference: (ref, ctx) => readableStudent(ctx, ref.id),
    // ADM-5: the ID number, and a student number derived from it (ENR-6/ENR-11), through the one mask.
    idNumber: (s, _, ctx) => maskIdentity(ctx.principal, s.idNumber, { idDocument: true }),
    studentNumber: (s, _, ctx) => maskIdentity(ctx.principal, s.studentNumber),
    followsSeparateRules: (s, _, ctx) => followsSeparateRules(s.origin, ctx.profile),
    school: async (s, _, ctx) => s.school ?? present(await schoolLoader(ctx).load(s.schoolId), `school ${s.schoolId}`),
    major: (s, _, ctx) => (s.majorCode ? majorLoader(ctx).load(s.majorCode) : null),
    majorCategory: (s, _, ctx) => (s.majorCategoryCode ? categoryLoader(ctx).load(s.majorCategoryCode) : null),
    teachingPoint: (s, _, ctx) => (s.teachingPointId ? teachingPointLoader(ctx).load(s.teachingPointId) : null),
    isFormal: (s) => s.registrationStatus === 'APPROVED' && s.leftAt === null,
    archiveSections: (_, __, ctx) => archiveSections(ctx.profile),
  },
  StudentConnection: {
    // Issue 13: counted only when asked for; exact up to 10,000, past it an estimate (reads/students.ts).
    totalCount: (page) => page.count(),
  },
  Major: {
    category: async (m, _, ctx) =>
      present(await categoryLoader(ctx).load(m.categoryCode), `major category ${m.categoryCode}`),
  },
  School: {
    __resolveReference: (ref, ctx) => schoolById(ctx, ref.id),
    regionName: (s) => fullRegionName(s.regionCode),
    approvedMajors: (s, _, ctx) => approvedMajorsLoader(ctx).load(s.id),
    teachingPoints: (s, _, ctx) => teachingPointsLoader(ctx).load(s.id),
    headcount: (s, { term }, ctx) => headcountLoader(ctx).load({ schoolId: s.id, term: headcountTerm(ctx, term) }),
  },
};

export const enrolmentResolvers = subgraphResolvers(resolvers);
