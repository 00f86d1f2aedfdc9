/**
 * Issuing (GR-3, GR-4, GR-6), pure: the batch a graduate list is for, the profile's verification
 * windows, and the certificate numbers in the profile's format. The sequence itself is the database's
 * (a row per scope, locked while it is advanced), so concurrent approvals never share a number.
 */
import { rule, type PolicyProfile } from '@xueji/policy';
import { violation, type RuleViolation } from '@xueji/rules';
import type { CertificateKind, DiplomaNumberFormat, GraduationSeason } from '@xueji/vocabulary';

/** A graduation batch (毕业批次): `2027-spring` or `2027-autumn`. */
export interface Batch {
  year: number;
  season: GraduationSeason;
}

const BATCH = /^(\d{4})-(spring|autumn)$/;

export function parseBatch(term: string): Batch | null {
  const m = BATCH.exec(term);
  return m ? { year: Number(m[1]), season: m[2] as GraduationSeason } : null;
}

export const batchMessage = {
  zh: '毕业批次应写作 YYYY-spring 或 YYYY-autumn',
  en: 'The batch must be YYYY-spring or YYYY-autumn',
};

/**
 * GR-3: the authority verifies a batch only within the profile's window of the batch's year (fujian:
 * spring by 05-15, autumn by 08-15; hubei-shiyan: June–July); `submitting`: the school may submit
 * any time until the window closes.
 */
export function checkVerificationWindow(
  profile: PolicyProfile,
  batch: Batch,
  today: string,
  submitting: boolean,
): RuleViolation[] {
  const windows = rule(profile, 'GR-3').verificationWindows;
  if (windows === null) return [];
  const window = windows.find((w) => w.season === batch.season);
  if (!window) return [];
  const from = `${batch.year}-${window.from}`;
  const to = `${batch.year}-${window.to}`;
  if (today > to)
    return [
      violation(
        'GR-3',
        `${batch.year} 年${batch.season === 'spring' ? '春季' : '秋季'}毕业验印已于 ${to} 截止`,
        `Verification of the ${batch.year} ${batch.season} batch closed on ${to}`,
        'term',
      ),
    ];
  if (!submitting && today < from)
    return [
      violation(
        'GR-3',
        `${batch.year} 年${batch.season === 'spring' ? '春季' : '秋季'}毕业验印自 ${from} 开始`,
        `Verification of the ${batch.year} ${batch.season} batch opens on ${from}`,
        'term',
      ),
    ];
  return [];
}

/** Where a certificate's number comes from: its format, the year, the school's code and its authority's region. */
export interface NumberingFacts {
  kind: CertificateKind;
  year: number;
  schoolId: string;
  /** The school's code as enrolment gives it (fujian: the provincial code, its last four digits). */
  schoolCode: string;
  authorityRegionCode: string;
}

/** The digits of a sequence, and its largest value, per format. */
const SEQUENCE_DIGITS: Record<DiplomaNumberFormat, number> = { NATIONAL: 6, CITY_WIDE: 8, FUJIAN_12_DIGIT: 4 };

/**
 * Other certificates are numbered like diplomas, each kind in a sequence of its own, with a prefix:
 * 结业 JY (GR-6), 写实性学习证明 XS and 肄业 YY (GR-7), 学历证明书 ZM (GR-8).
 */
const PREFIX: Record<CertificateKind, string> = {
  DIPLOMA: '',
  COMPLETION: 'JY',
  STUDY_RECORD: 'XS',
  PARTIAL_STUDY: 'YY',
  CREDENTIAL_CERTIFICATE: 'ZM',
};

/**
 * GR-4: the scope whose sequence numbers this certificate — NATIONAL: the authority's region and
 * year; CITY_WIDE (beijing): the whole city and year; FUJIAN_12_DIGIT: the school and year.
 */
export function sequenceScope(format: DiplomaNumberFormat, facts: NumberingFacts): string {
  const owner =
    format === 'NATIONAL' ? facts.authorityRegionCode : format === 'CITY_WIDE' ? 'city' : `school:${facts.schoolId}`;
  return `${facts.kind}:${format}:${facts.year}:${owner}`;
}

/** The largest sequence number a scope may reach. */
export const sequenceCapacity = (format: DiplomaNumberFormat): number => 10 ** SEQUENCE_DIGITS[format] - 1;

/**
 * GR-4: the number — NATIONAL `YYYY` + the authority's 6-digit region + a 6-digit sequence (16 digits);
 * CITY_WIDE `YYYY` + an 8-digit city-wide sequence (12 digits); FUJIAN_12_DIGIT `YYYY` + the last four
 * digits of the school's provincial code + a 4-digit school sequence (12 digits). Other kinds carry
 * their prefix (`JY`, `XS`, `YY`, `ZM`).
 */
export function certificateNumber(format: DiplomaNumberFormat, facts: NumberingFacts, sequence: number): string {
  const seq = String(sequence).padStart(SEQUENCE_DIGITS[format], '0');
  const year = String(facts.year);
  const body =
    format === 'NATIONAL'
      ? `${year}${facts.authorityRegionCode}${seq}`
      : format === 'CITY_WIDE'
        ? `${year}${seq}`
        : `${year}${facts.schoolCode.replace(/\D/g, '').slice(-4).padStart(4, '0')}${seq}`;
  return `${PREFIX[facts.kind]}${body}`;
}

/** GR-4's formats as patterns (the tests and the end-to-end run check numbers against them). */
export const DIPLOMA_NUMBER_PATTERNS: Record<DiplomaNumberFormat, RegExp> = {
  NATIONAL: /^\d{16}$/,
  CITY_WIDE: /^\d{12}$/,
  FUJIAN_12_DIGIT: /^\d{12}$/,
};
