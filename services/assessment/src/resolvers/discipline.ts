import { canReadSchool, requirePrincipal } from '@xueji/auth';
import { authorizeStudentField } from '@xueji/student-scope';
import { recordAbsence, recordTruancy } from '../application/attendance';
import {
  decideAuthorityAppeal,
  decideSchoolAppeal,
  lodgeAuthorityAppeal,
  lodgeSchoolAppeal,
} from '../application/appeals';
import { recordWorkingDayCalendar } from '../application/calendar';
import { assessInternship, placeInternship, recordGraduationInput, recordReward } from '../application/records';
import {
  approveExpulsionOnce,
  decideSanction,
  recordSanctionNotice,
  rejectExpulsion,
  revokeSanction,
} from '../application/sanctions';
import { DUE_SOON_WORKING_DAYS, workingDaysLeft } from '../domain/appeals';
import { semesterOf } from '../domain/semester';
import type { Resolvers } from '../generated/resolvers-types';
import {
  appealQueue,
  appealsOfSanction,
  attendanceOf,
  calendarYears,
  expulsionQueue,
  readableSanction,
  requestCalendar,
  sanctionLoader,
  sanctionsOf,
  type AppealRow,
} from '../reads/discipline';
import type { ServiceContext } from '@xueji/service-kit';
import { graduationInputsOf, internshipsOf, rewardsOf } from '../reads/records';

/** AS-14: working days left to a pending appeal's answer, on the request's calendar. */
async function daysLeft(appeal: AppealRow, ctx: ServiceContext): Promise<number | null> {
  if (appeal.state !== 'PENDING' || !appeal.answerDue) return null;
  return workingDaysLeft(await requestCalendar(ctx), ctx.today(), appeal.answerDue);
}

/** Part B: attendance, sanctions, appeals and the working-day calendar. Thin: arguments → command or read. */
export const disciplineResolvers = {
  Query: {
    sanction: async (_, { id }, ctx) => {
      const caller = requirePrincipal(ctx.principal);
      const sanction = await readableSanction(ctx, id);
      return sanction && canReadSchool(caller, sanction) ? sanction : null;
    },
    expulsionQueue: (_, { first, after }, ctx) => expulsionQueue(ctx, first, after),
    appealQueue: (_, { first, after }, ctx) => appealQueue(ctx, first, after),
    workingDayCalendar: (_, __, ctx) => {
      requirePrincipal(ctx.principal);
      return calendarYears(ctx);
    },
  },
  Mutation: {
    recordTruancy: (_, { input }, ctx) => recordTruancy.execute(ctx, input),
    recordAbsence: (_, { input }, ctx) => recordAbsence.execute(ctx, input),
    decideSanction: (_, { input }, ctx) => decideSanction.execute(ctx, input),
    approveExpulsion: (_, { id, comment }, ctx) => approveExpulsionOnce.execute(ctx, { id, comment }),
    rejectExpulsion: (_, { id, reason }, ctx) => rejectExpulsion.execute(ctx, { id, reason }),
    recordSanctionNotice: (_, { input }, ctx) => recordSanctionNotice.execute(ctx, input),
    revokeSanction: (_, { input }, ctx) => revokeSanction.execute(ctx, input),
    lodgeSchoolAppeal: (_, { input }, ctx) => lodgeSchoolAppeal.execute(ctx, input),
    decideSchoolAppeal: (_, { input }, ctx) => decideSchoolAppeal.execute(ctx, input),
    lodgeAuthorityAppeal: (_, { input }, ctx) => lodgeAuthorityAppeal.execute(ctx, input),
    decideAuthorityAppeal: (_, { input }, ctx) => decideAuthorityAppeal.execute(ctx, input),
    recordReward: (_, { input }, ctx) => recordReward.execute(ctx, input),
    placeInternship: (_, { input }, ctx) => placeInternship.execute(ctx, input),
    assessInternship: (_, { input }, ctx) => assessInternship.execute(ctx, input),
    recordGraduationInput: (_, { input }, ctx) => recordGraduationInput.execute(ctx, input),
    recordWorkingDayCalendar: async (_, { input }, ctx) => {
      const { year } = await recordWorkingDayCalendar.execute(ctx, input);
      return (await calendarYears(ctx)).find((y) => y.year === year)!;
    },
  },
  Sanction: {
    appeals: (sanction, _, ctx) => appealsOfSanction(ctx).load(sanction.id),
  },
  Appeal: {
    sanction: async (appeal, _, ctx) => {
      const sanction = await sanctionLoader(ctx).load(appeal.sanctionId);
      if (!sanction) throw new Error(`sanction ${appeal.sanctionId} of appeal ${appeal.id} is missing`);
      return sanction;
    },
    workingDaysLeft: (appeal, _, ctx) => daysLeft(appeal, ctx),
    dueSoon: async (appeal, _, ctx) => {
      const left = await daysLeft(appeal, ctx);
      return left !== null && left <= DUE_SOON_WORKING_DAYS;
    },
  },
  Student: {
    sanctions: async (student, { first, after }, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? sanctionsOf(ctx, student.id, first, after) : null,
    attendance: async (student, { semester }, ctx) =>
      (await authorizeStudentField(ctx, student.id))
        ? attendanceOf(ctx, student.id, semester ?? semesterOf(ctx.today()))
        : null,
    rewards: async (student, { first, after }, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? rewardsOf(ctx, student.id, first, after) : null,
    internships: async (student, { first, after }, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? internshipsOf(ctx, student.id, first, after) : null,
    graduationInputs: async (student, _, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? graduationInputsOf(ctx).load(student.id) : null,
  },
} satisfies Resolvers;
