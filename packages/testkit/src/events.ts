import { randomUUID } from 'node:crypto';
import { createEvent, type EventData, type EventType, type TypedEvent } from '@xueji/events';

type Approval = EventData<'xueji.enrolment.registration.approved.v1'>;

/**
 * Enrolment's approval of a registration as tests and benchmarks publish it: a full-time, regular,
 * rural student of major 710201 unless `fields` says otherwise.
 */
export function approvedRegistration(
  fields: Pick<Approval, 'studentId' | 'schoolId' | 'regionCode' | 'entryDate' | 'approvedAt'> & Partial<Approval>,
  options: { time?: Date } = {},
): TypedEvent<'xueji.enrolment.registration.approved.v1'> {
  const majorCode = fields.majorCode ?? '710201';
  return createEvent(
    'xueji.enrolment.registration.approved.v1',
    fields.studentId,
    {
      studentNumber: `G${fields.studentId}`,
      authorityRegionCode: fields.regionCode,
      studyForm: 'FULL_TIME',
      programme: 'REGULAR',
      expectedYears: 3,
      majorCode,
      majorCategoryCode: majorCode ? majorCode.slice(0, 2) : null,
      agricultureRelated: false,
      waiverExcluded: false,
      household: 'RURAL',
      teachingPointId: null,
      ...fields,
    },
    options,
  );
}

/**
 * What assessment publishes of a student who passed every course (32, 172 credits of 170), conduct
 * and the internship (GR-1's facts), as tests and benchmarks publish it. `conductPeriods` adds
 * beijing's appraisal at graduation (AS-2).
 */
export function passedEverything(
  studentId: string,
  schoolId: string,
  options: {
    at: string;
    conductGrade?: EventData<'xueji.assessment.conduct.recorded.v1'>['grade'];
    conductPeriods?: EventData<'xueji.assessment.conduct.recorded.v1'>['period'][];
    internshipId?: string;
  },
): TypedEvent<EventType>[] {
  const { at } = options;
  return [
    createEvent('xueji.assessment.results.changed.v1', studentId, {
      studentId,
      schoolId,
      coursesPassed: 32,
      coursesFailed: 0,
      coursesOutstanding: 0,
      creditsEarned: 172,
      creditsRequired: 170,
      pePassed: true,
      changedAt: at,
    }),
    ...(options.conductPeriods ?? ['SEMESTER']).map((period) =>
      createEvent('xueji.assessment.conduct.recorded.v1', studentId, {
        studentId,
        schoolId,
        period,
        term: '2028-2029-2',
        grade: options.conductGrade ?? 'GOOD',
        recordedAt: at,
      }),
    ),
    createEvent('xueji.assessment.internship.assessed.v1', studentId, {
      internshipId: options.internshipId ?? randomUUID(),
      studentId,
      schoolId,
      passed: true,
      assessedOn: at.slice(0, 10),
      assessedAt: at,
    }),
  ];
}
