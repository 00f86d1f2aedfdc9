import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ApprovalAction, ApprovalStepName, RequestState } from '@xueji/vocabulary';
import type { ChangeKind, GuardianNotice, Programme, StudyForm, SuspensionGround } from '../domain';

export type { ApprovalStepName, RequestState };

/** A request for a status change or a personal-data correction, moving through its approvals. */
@Entity({ name: 'change_request' })
export class ChangeRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  kind: ChangeKind;

  @Column({ type: 'text' })
  state: RequestState;

  /** SC-3 / ADM-2: the approvals this request needs, in order. */
  @Column({ type: 'text', array: true })
  steps: ApprovalStepName[];

  @Column({ name: 'next_step', type: 'text', nullable: true })
  nextStep: ApprovalStepName | null;

  @Column({ name: 'from_school_id', type: 'uuid' })
  fromSchoolId: string;

  @Column({ name: 'to_school_id', type: 'uuid', nullable: true })
  toSchoolId: string | null;

  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate: string;

  /** The kind's own facts (ground, months, target major, corrections, …). */
  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Column({ name: 'evidence_refs', type: 'text', array: true })
  evidenceRefs: string[];

  /** SC-17: opened by the scheduled check, not by a request of the student. */
  @Column({ type: 'boolean' })
  imposed: boolean;

  /** SC-17 (beijing): the guardian notice and public notice of an imposed withdrawal. */
  @Column({ type: 'jsonb', nullable: true })
  notice: GuardianNotice | null;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;

  @Column({ name: 'submitted_role', type: 'text' })
  submittedRole: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** Rejection or withdrawal reason. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Issue 10: the submitter's idempotency key, unique per submitter; a retry under it gets this request. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** The fingerprint of the submission made under the key (`submissionDigest`). */
  @Column({ name: 'idempotency_digest', type: 'text', nullable: true })
  idempotencyDigest: string | null;
}

/** One step of a request's history: who, when, in what role, what they did and why. */
@Entity({ name: 'approval_step' })
export class ApprovalStep {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @Column({ type: 'text' })
  step: string;

  @Column({ type: 'text' })
  action: ApprovalAction;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text' })
  role: string;

  /** The school a registrar acted for (null for others and for steps recorded before it was kept). */
  @Column({ name: 'actor_school_id', type: 'uuid', nullable: true })
  actorSchoolId: string | null;

  /** The region a reviewer acted for. */
  @Column({ name: 'actor_region_code', type: 'char', length: 6, nullable: true })
  actorRegionCode: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

/** What status-change knows of a student, from events (the facts the SC rules need). */
@Entity({ name: 'student_record' })
export class StudentRecord {
  @PrimaryColumn({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ name: 'school_id', type: 'uuid' })
  schoolId: string;

  @Column({ type: 'boolean' })
  formal: boolean;

  @Column({ name: 'entry_date', type: 'date', nullable: true })
  entryDate: string | null;

  @Column({ name: 'expected_years', type: 'integer', nullable: true })
  expectedYears: number | null;

  @Column({ name: 'study_form', type: 'text', nullable: true })
  studyForm: StudyForm | null;

  @Column({ type: 'text', nullable: true })
  programme: Programme | null;

  @Column({ name: 'major_code', type: 'text', nullable: true })
  majorCode: string | null;

  @Column({ name: 'major_category_code', type: 'text', nullable: true })
  majorCategoryCode: string | null;

  @Column({ name: 'agriculture_related', type: 'boolean' })
  agricultureRelated: boolean;

  @Column({ name: 'had_tuition_waiver', type: 'boolean' })
  hadTuitionWaiver: boolean;
}

@Entity({ name: 'school_directory' })
export class SchoolDirectoryEntry {
  @PrimaryColumn({ name: 'school_id', type: 'uuid' })
  schoolId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'authority_region_code', type: 'char', length: 6 })
  authorityRegionCode: string;
}

@Entity({ name: 'suspension_period' })
export class SuspensionPeriod {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @Column({ type: 'text' })
  ground: SuspensionGround;

  @Column({ name: 'from_date', type: 'date' })
  fromDate: string;

  @Column({ name: 'to_date', type: 'date' })
  toDate: string;

  @Column({ name: 'resumed_on', type: 'date', nullable: true })
  resumedOn: string | null;
}
