import type { GraduationStage } from '@xueji/vocabulary';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type { GraduationStage };

/** A student's graduation case: the audit and the certificate issued. */
@Entity({ name: 'graduation_case' })
export class GraduationCase {
  @PrimaryColumn({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  stage: GraduationStage;

  @Column({ name: 'diploma_number', type: 'text', nullable: true, unique: true })
  diplomaNumber: string | null;
}
