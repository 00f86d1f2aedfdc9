import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One course result of one student in one semester (AS-1). */
@Entity({ name: 'course_result' })
export class CourseResult {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  /** School year and semester, e.g. `2026-2027-1`. */
  @Column({ type: 'text' })
  semester: string;

  @Column({ type: 'text' })
  course: string;

  @Column({ type: 'numeric', precision: 5, scale: 1, nullable: true })
  score: string | null;
}

/** Truant hours of one student in one semester (AS-8). */
@Entity({ name: 'attendance_record' })
export class AttendanceRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  semester: string;

  @Column({ name: 'truant_hours', type: 'integer' })
  truantHours: number;
}
