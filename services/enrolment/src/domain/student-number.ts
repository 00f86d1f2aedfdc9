import { rule, type PolicyProfile } from '@xueji/policy';

/** What a student number is built from; the sequence comes from the database (gap-tolerant, unique). */
export interface StudentNumberFacts {
  idNumber: string;
  entryDate: string;
  /** County code of the school (6 digits). */
  schoolRegionCode: string;
  /** The school's 2-digit code within its county (fujian). */
  countySchoolCode: string | null;
}

/** Does this format need a per-school sequence number? */
export function needsSequence(profile: PolicyProfile): boolean {
  return rule(profile, 'ENR-11').format === 'FUJIAN_10_DIGIT';
}

/** The sequence's scope: numbers are unique within it (fujian: a school's entry year). */
export function sequenceScope(facts: StudentNumberFacts, schoolId: string): string {
  return `${schoolId}:${facts.entryDate.slice(0, 4)}`;
}

/**
 * ENR-11: `national` (and ENR-6, one person one number for life) — "G" + the ID-card number;
 * `fujian` — 10 digits YY entry year · CC county · SS school · NNNN school sequence.
 */
export function studentNumber(profile: PolicyProfile, facts: StudentNumberFacts, sequence?: number): string {
  const format = rule(profile, 'ENR-11').format;
  if (format === 'ID_DERIVED') return `G${facts.idNumber.toUpperCase()}`;
  if (!facts.countySchoolCode || !/^\d{2}$/.test(facts.countySchoolCode)) {
    throw new Error('ENR-11: the school has no 2-digit county school code');
  }
  if (sequence === undefined || sequence < 1 || sequence > 9999)
    throw new Error(`ENR-11: sequence ${sequence} out of range`);
  return `${facts.entryDate.slice(2, 4)}${facts.schoolRegionCode.slice(4, 6)}${facts.countySchoolCode}${String(sequence).padStart(4, '0')}`;
}

/**
 * ENR-11 (fujian): a transferred, repeating or resuming student keeps the number; one from another
 * province or from a general high school gets a new one.
 */
export function keepsNumberOnArrival(
  profile: PolicyProfile,
  arrival: { fromProvinceCode: string; toProvinceCode: string; fromGeneralHighSchool: boolean },
): boolean {
  if (rule(profile, 'ENR-11').format === 'ID_DERIVED') return true;
  return arrival.fromProvinceCode === arrival.toProvinceCode && !arrival.fromGeneralHighSchool;
}
