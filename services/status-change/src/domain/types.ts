/** The facts the SC rules judge. The persistence layer builds them; the rules never read a database. */

import type {
  ApprovalStepName,
  CancellationGround,
  ChangeKind,
  CorrectableField,
  MajorChangeGround,
  Programme,
  StatusCode,
  StudyForm,
  SuspensionGround,
  TransferGround,
  WithdrawalGround,
} from '@xueji/vocabulary';

// The closed lists are the vocabulary's; the domain's files import them from here.
export type {
  ApprovalStepName,
  CancellationGround,
  ChangeKind,
  CorrectableField,
  MajorChangeGround,
  Programme,
  StatusCode,
  StudyForm,
  SuspensionGround,
  TransferGround,
  WithdrawalGround,
};

export interface SuspensionPeriod {
  from: string;
  /** Last day (or the day the student resumed); both count the same, see `monthsBetween`. */
  to: string;
  ground: SuspensionGround;
}

export interface StudentFacts {
  status: StatusCode;
  /**
   * YYYY-MM-DD. The study year and semester are counted from it (see `studyPosition`), so pass the entry
   * date of the cohort the student now studies with (it moves on after a repeat or a resumption, SC-11/SC-15).
   */
  entryDate: string;
  expectedYears: number;
  studyForm: StudyForm;
  programme: Programme;
  majorCode: string | null;
  majorCategoryCode: string | null;
  /** SC-10 */
  agricultureRelated: boolean;
  /** SC-10, from subsidy's events */
  hadTuitionWaiver: boolean;
  /** Past and current suspensions, for SC-13 (and SC-15's health certificate after illness). */
  suspensions: SuspensionPeriod[];
  /**
   * SC-13: suspensions approved but not yet in effect (the scheduled job applies them on their date). They
   * count to the cumulative cap like the others; pending requests do not (see docs/decisions.md).
   */
  scheduledSuspensions?: SuspensionPeriod[];
  /** SC-12 fujian: work/start-up from age 16. */
  age?: number | null;
}

export interface ChangeRequestFacts {
  kind: ChangeKind;
  today: string;
  /** Timing rules about applying (SC-5 before/first month, SC-15 lead time) are held to SUBMISSION only. */
  stage: 'SUBMISSION' | 'APPROVAL';
  effectiveDate: string;
  evidenceRefs: string[];
  transfer?: {
    ground: TransferGround;
    direction: 'OUT_AND_IN';
    toSameProvince: boolean;
    toSameCity: boolean;
    fromGeneralHighSchool?: boolean;
    highSchoolMonthsStudied?: number;
  };
  majorChange?: {
    ground: MajorChangeGround;
    toMajorCode: string;
    toMajorCategoryCode: string;
    provincialApproval?: boolean;
  };
  /**
   * SC-11: the school's credit system, and assessment's latest count of the courses the student failed
   * after make-ups in a study year (the most recently counted); null when assessment has published none.
   */
  repeat?: {
    creditSystemSchool: boolean;
    fact: { studyYear: number; failedCourses: number; totalCourses: number } | null;
  };
  suspension?: { ground: SuspensionGround; months: number };
  resumption?: { healthCertificateRef?: string | null };
  withdrawal?: { ground: WithdrawalGround; guardianConsentRef?: string | null };
  cancellation?: { ground: CancellationGround };
  correction?: { fields: { field: CorrectableField; oldValue: string | null; newValue: string }[] };
}
