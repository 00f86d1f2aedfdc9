import { createEvent, type EventData, type TypedEvent } from '@xueji/events';

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
