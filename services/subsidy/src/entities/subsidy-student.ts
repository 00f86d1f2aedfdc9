import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Household, RegistrationStatus, StudyForm } from '../domain/eligibility';

/** Subsidy's own view of a student, built only from events (the handlers write it with SQL). */
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
  household: Household | null;

  @Column({ name: 'major_waiver_excluded', type: 'boolean', nullable: true })
  majorWaiverExcluded: boolean | null;

  // student_status, student_status_since and student_status_as_of (migration 5200) are no longer
  // written: the status on any day comes from student_status_change.

  /** The latest day of any event of the student: periods are decided up to it. */
  @Column({ type: 'date', nullable: true })
  horizon: string | null;

  /** Roster columns. */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'student_number', type: 'text', nullable: true })
  studentNumber: string | null;

  /** SB-4: a SHA-256 digest of the ID number, never the number itself. */
  @Column({ name: 'id_number_digest', type: 'text', nullable: true })
  idNumberDigest: string | null;

  @Column({ name: 'major_code', type: 'text', nullable: true })
  majorCode: string | null;

  /** SB-5: an agriculture-related major. */
  @Column({ name: 'agriculture_related', type: 'boolean', nullable: true })
  agricultureRelated: boolean | null;

  @Column({ name: 'teaching_point_id', type: 'uuid', nullable: true })
  teachingPointId: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** ENR-7's slot: approved and not ended by a change (kept by the SB-4 judgement). */
  @Column({ name: 'holds_status', type: 'boolean', default: false })
  holdsStatus: boolean;
}
