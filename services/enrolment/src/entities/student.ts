import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { School } from './school';

export type RegistrationStatus = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'CANCELLED';

@Entity({ name: 'student' })
export class Student {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'id_number', type: 'char', length: 18 })
  idNumber: string;

  @Column({ name: 'school_id', type: 'uuid' })
  schoolId: string;

  @ManyToOne(() => School, { eager: false })
  @JoinColumn({ name: 'school_id' })
  school?: School;

  @Column({ name: 'registration_status', type: 'text' })
  registrationStatus: RegistrationStatus;

  @CreateDateColumn({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  /** Who registered the student (subject of the registrar's token). */
  @Column({ name: 'registered_by', type: 'text' })
  registeredBy: string;
}
