import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { HouseholdCategory, RegistrationStatus, StudyForm } from '../domain/eligibility';

/** Subsidy's own view of a student, built only from events. */
@Entity({ name: 'subsidy_student' })
export class SubsidyStudent {
  @PrimaryColumn({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ name: 'registration_status', type: 'text' })
  registrationStatus: RegistrationStatus;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  /** Time of the event that set the registration status; an older event never overrides a newer one. */
  @Column({ name: 'status_as_of', type: 'timestamptz', nullable: true })
  statusAsOf: Date | null;

  @Column({ name: 'entry_date', type: 'date', nullable: true })
  entryDate: string | null;

  @Column({ name: 'study_form', type: 'text', nullable: true })
  studyForm: StudyForm | null;

  @Column({ type: 'text', nullable: true })
  household: HouseholdCategory | null;

  @Column({ name: 'major_waiver_excluded', type: 'boolean', nullable: true })
  majorWaiverExcluded: boolean | null;

  /** The status status-change last published (ACTIVE, SUSPENDED, WITHDRAWN, …), and since when. */
  @Column({ name: 'student_status', type: 'text', nullable: true })
  studentStatus: string | null;

  @Column({ name: 'student_status_since', type: 'date', nullable: true })
  studentStatusSince: string | null;

  @Column({ name: 'student_status_as_of', type: 'timestamptz', nullable: true })
  studentStatusAsOf: Date | null;
}
