import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { AuthorityTier, SchoolStatus } from '@xueji/vocabulary';
import { Major } from './major';

export type { AuthorityTier, SchoolStatus };

/** An off-site teaching point of a school (ENR-20: must be named). */
@Entity({ name: 'teaching_point' })
export class TeachingPoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'school_id', type: 'uuid' })
  schoolId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;
}

@Entity({ name: 'school' })
export class School {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** County (district) where the school is (GB/T 2260). */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** ADM-1: the tier of the competent authority that directly manages the school. */
  @Column({ name: 'authority_tier', type: 'text' })
  authorityTier: AuthorityTier;

  /** The competent authority's own region code (province XX0000, city XXXX00 or the county). */
  @Column({ name: 'authority_region_code', type: 'char', length: 6 })
  authorityRegionCode: string;

  /** ENR-11 (fujian): the school's 2-digit code within its county. */
  @Column({ name: 'county_school_code', type: 'char', length: 2, nullable: true })
  countySchoolCode: string | null;

  @Column({ name: 'national_key', type: 'boolean' })
  nationalKey: boolean;

  /** GR-11: the principal's name (校长), shown by the public lookup of a certificate; null until set. */
  @Column({ name: 'principal_name', type: 'text', nullable: true })
  principalName: string | null;

  @Column({ type: 'text' })
  status: SchoolStatus;

  /** ENR-16: majors the school is approved to teach. */
  @ManyToMany(() => Major)
  @JoinTable({ name: 'school_major', joinColumn: { name: 'school_id' }, inverseJoinColumn: { name: 'major_code' } })
  approvedMajors?: Major[];
}

/** The competent authority's region for a school of this tier in this county (ADM-1). */
export function authorityRegionOf(tier: AuthorityTier, countyCode: string): string {
  if (tier === 'PROVINCE') return `${countyCode.slice(0, 2)}0000`;
  if (tier === 'CITY') return `${countyCode.slice(0, 4)}00`;
  return countyCode;
}
