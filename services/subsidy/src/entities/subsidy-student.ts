import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RegistrationStatus } from '../domain/eligibility';

/** Subsidy's own view of a student, built only from events. */
@Entity({ name: 'subsidy_student' })
export class SubsidyStudent {
  @PrimaryColumn({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ name: 'registration_status', type: 'text' })
  registrationStatus: RegistrationStatus;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;
}
