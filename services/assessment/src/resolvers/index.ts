import { authorizeStudentField } from '@xueji/student-scope';
import { type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { semesterOf } from '../domain/semester';
import { AttendanceRecord, CourseResult } from '../entities/course-result';

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Student: {
    assessment: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const resultsRecorded = await ctx.dataSource.getRepository(CourseResult).countBy({ studentId: student.id });
      const truant = await ctx.dataSource
        .getRepository(AttendanceRecord)
        .sum('truantHours', { studentId: student.id, semester: semesterOf(new Date()) });
      return { resultsRecorded, truantHoursThisSemester: truant ?? 0 };
    },
  },
};
