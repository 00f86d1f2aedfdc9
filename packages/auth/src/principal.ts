/**
 * Roles of DESIGN.md "Who may do what", and the administrator, who keeps reference data that is no
 * one school's or region's (the working-day calendar of AS-14) and reads no student.
 */
export const ROLES = [
  'SCHOOL_REGISTRAR',
  'AUTHORITY_REVIEWER',
  'SUBSIDY_OFFICER',
  'PARTNER',
  'PUBLIC',
  'ADMINISTRATOR',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, and the part of the province they act for. */
export interface Principal {
  /** Stable user id from the identity provider. */
  subject: string;
  role: Role;
  /** SCHOOL_REGISTRAR: the one school. */
  schoolId?: string;
  /** AUTHORITY_REVIEWER, SUBSIDY_OFFICER: a GB/T 2260 code of a province, city or county. */
  regionCode?: string;
  /** PARTNER: the event types it is granted. */
  eventTypes?: string[];
  /** Display name, for audit records. */
  name?: string;
}

/** Where a record lives: its school and that school's county code. */
export interface SchoolScope {
  schoolId: string;
  regionCode: string;
}

/** A GB/T 2260 region code: six digits. */
export function isRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * The significant prefix of a region code: a province `220000` covers `22….`, a city `220100`
 * covers `2201..`, a county `220102` only itself.
 */
export function regionPrefix(code: string): string {
  if (!isRegionCode(code)) throw new Error(`not a 6-digit region code: ${code}`);
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function regionCovers(scopeRegion: string, regionCode: string): boolean {
  return isRegionCode(regionCode) && regionCode.startsWith(regionPrefix(scopeRegion));
}

/** May this principal see records of a school in this region? */
export function canReadSchool(principal: Principal, scope: SchoolScope): boolean {
  switch (principal.role) {
    case 'SCHOOL_REGISTRAR':
      return principal.schoolId === scope.schoolId;
    case 'AUTHORITY_REVIEWER':
    case 'SUBSIDY_OFFICER':
      return principal.regionCode !== undefined && regionCovers(principal.regionCode, scope.regionCode);
    default:
      return false;
  }
}

/** ID-card numbers are shown whole only to the school and the authority reviewing it (ADM-5). */
export function mayReadIdNumber(principal: Principal): boolean {
  return principal.role === 'SCHOOL_REGISTRAR' || principal.role === 'AUTHORITY_REVIEWER';
}

/** `220102200801011234` → `2201**********1234`. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 8) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 4) + '*'.repeat(idNumber.length - 8) + idNumber.slice(-4);
}

/**
 * An 18-character resident ID-card number (GB 11643) wherever it sits in a value: alone, after a
 * student number's letter prefix (ENR-6 / ENR-11 `ID_DERIVED`: `G` + the ID number), or inside a
 * message or a JSON text. Digits on either side make it part of a longer number, not an ID number.
 */
const EMBEDDED_ID_NUMBER = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;

/**
 * ADM-5: the one mask for every value that may carry an ID-card number — `Student.idNumber`, a
 * student number derived from it (`G220102200801011234` → `G2201**********1234`), a fraud
 * signal's message or evidence, a roster cell. Whole for a principal who may read ID numbers
 * (mayReadIdNumber); otherwise every embedded ID number is masked and the rest left as is, so
 * numbers that carry none (fujian's 10-digit student numbers) pass untouched. `idDocument`: the
 * value is an identity document number itself (a passport too), masked whole.
 */
export function maskIdentity<T extends string | null | undefined>(
  principal: Principal | null | undefined,
  value: T,
  options: { idDocument?: boolean } = {},
): T {
  if (value === null || value === undefined) return value;
  if (principal && mayReadIdNumber(principal)) return value;
  if (options.idDocument) return maskIdNumber(value) as T;
  return value.replace(EMBEDDED_ID_NUMBER, (id) => maskIdNumber(id)) as T;
}
