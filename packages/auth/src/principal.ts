/** Roles of DESIGN.md "Who may do what". */
export const ROLES = ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER', 'SUBSIDY_OFFICER', 'PARTNER', 'PUBLIC'] as const;
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

/**
 * The significant prefix of a region code: a province `220000` covers `22….`, a city `220100`
 * covers `2201..`, a county `220102` only itself.
 */
export function regionPrefix(code: string): string {
  if (!/^\d{6}$/.test(code)) throw new Error(`not a 6-digit region code: ${code}`);
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function regionCovers(scopeRegion: string, regionCode: string): boolean {
  return /^\d{6}$/.test(regionCode) && regionCode.startsWith(regionPrefix(scopeRegion));
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
