import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Household, RegistrationStatus } from '@xueji/vocabulary';
import type { EntryLevel, Intake, Origin, Programme, Sex, StudyForm } from '../domain/registration';
import { Major } from './major';
import { School } from './school';

export type { Household, RegistrationStatus };

/** A student and the registration (注册) of the student's status at a school. */
@Entity({ name: 'student' })
export class Student {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  sex: Sex;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate: string;

  @Column({ name: 'id_number', type: 'text' })
  idNumber: string;

  @Column({ type: 'text' })
  origin: Origin;

  @Column({ type: 'text', nullable: true })
  ethnicity: string | null;

  @Column({ type: 'text', nullable: true })
  household: Household | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  contact: string | null;

  @Column({ name: 'photo_ref', type: 'text', nullable: true })
  photoRef: string | null;

  @Column({ name: 'entry_date', type: 'date' })
  entryDate: string;

  @Column({ type: 'text' })
  intake: Intake;

  @Column({ name: 'entry_level', type: 'text' })
  entryLevel: EntryLevel;

  @Column({ name: 'fresh_junior_graduate', type: 'boolean' })
  freshJuniorGraduate: boolean;

  @Column({ name: 'study_form', type: 'text' })
  studyForm: StudyForm;

  @Column({ type: 'text' })
  programme: Programme;

  @Column({ name: 'partner_college', type: 'text', nullable: true })
  partnerCollege: string | null;

  /** ENR-15: the partner school a joint enrolment is filed with. */
  @Column({ name: 'joint_partner', type: 'text', nullable: true })
  jointPartner: string | null;

  @Column({ name: 'major_code', type: 'text', nullable: true })
  majorCode: string | null;

  @ManyToOne(() => Major)
  @JoinColumn({ name: 'major_code' })
  major?: Major | null;

  @Column({ name: 'major_category_code', type: 'text', nullable: true })
  majorCategoryCode: string | null;

  @Column({ name: 'class_name', type: 'text', nullable: true })
  className: string | null;

  @Column({ name: 'expected_years', type: 'integer' })
  expectedYears: number;

  /** ENR-11: allocated when the authority approves the registration. */
  @Column({ name: 'student_number', type: 'text', nullable: true })
  studentNumber: string | null;

  @Column({ name: 'school_id', type: 'uuid' })
  schoolId: string;

  @ManyToOne(() => School)
  @JoinColumn({ name: 'school_id' })
  school?: School;

  @Column({ name: 'teaching_point_id', type: 'uuid', nullable: true })
  teachingPointId: string | null;

  @Column({ name: 'report_by', type: 'date', nullable: true })
  reportBy: string | null;

  @Column({ name: 'arrived_on', type: 'date', nullable: true })
  arrivedOn: string | null;

  @Column({ name: 'late_arrival_approved', type: 'boolean' })
  lateArrivalApproved: boolean;

  @Column({ name: 'registration_status', type: 'text' })
  registrationStatus: RegistrationStatus;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Column({ name: 'registered_by', type: 'text' })
  registeredBy: string;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decision_comment', type: 'text', nullable: true })
  decisionComment: string | null;

  @Column({ name: 'deferred_until', type: 'date', nullable: true })
  deferredUntil: string | null;

  /** Set when the student leaves (withdrawal, cancellation, death, graduation): frees ENR-7's slot. */
  @Column({ name: 'left_at', type: 'date', nullable: true })
  leftAt: string | null;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId: string | null;

  /** Issue 10: the registrar's idempotency key, unique per registrar; a retry under it gets this record. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** The fingerprint of the submission made under the key (`submissionDigest`). */
  @Column({ name: 'idempotency_digest', type: 'text', nullable: true })
  idempotencyDigest: string | null;
}
