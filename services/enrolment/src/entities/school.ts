import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'school' })
export class School {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;
}
