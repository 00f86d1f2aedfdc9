import type { TypedEvent } from './contracts';

/** A registration that ended, whichever way enrolment said it: rejected by the authority, or cancelled (ENR-9). */
export interface RegistrationEnded {
  studentId: string;
  endedAt: string;
  outcome: 'REJECTED' | 'CANCELLED';
}

export const endedByRejection = ({
  data,
}: TypedEvent<'xueji.enrolment.registration.rejected.v1'>): RegistrationEnded => ({
  studentId: data.studentId,
  endedAt: data.rejectedAt,
  outcome: 'REJECTED',
});

export const endedByCancellation = ({
  data,
}: TypedEvent<'xueji.enrolment.registration.cancelled.v1'>): RegistrationEnded => ({
  studentId: data.studentId,
  endedAt: data.cancelledAt,
  outcome: 'CANCELLED',
});
