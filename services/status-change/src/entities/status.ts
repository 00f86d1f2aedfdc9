import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { StatusChangeKind } from '@xueji/vocabulary';
import type { StatusCode } from '../domain';

export type { StatusChangeKind, StatusCode };

/** The current status of a student. */
@Entity({ name: 'student_status' })
export class StudentStatus {
  @PrimaryColumn({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  code: StatusCode;

  @Column({ type: 'timestamptz' })
  since: Date;
}

/** One effective status change, in the order they took effect. */
@Entity({ name: 'status_change' })
export class StatusChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  seq: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  kind: StatusChangeKind;

  @Column({ name: 'previous_status', type: 'text', nullable: true })
  previousStatus: StatusCode | null;

  @Column({ name: 'new_status', type: 'text' })
  newStatus: StatusCode;

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId: string | null;

  @Column({ name: 'school_id', type: 'uuid', nullable: true })
  schoolId: string | null;

  @Column({ name: 'to_school_id', type: 'uuid', nullable: true })
  toSchoolId: string | null;
}
