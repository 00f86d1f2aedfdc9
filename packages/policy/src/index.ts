import {
  PolicyProfileSchema,
  type PolicyProfile,
  type ProfileOverride,
  type RuleId,
  type RuleParameters,
} from './schema';
import { national } from './profiles/national';
import { jilin } from './profiles/jilin';
import { beijing } from './profiles/beijing';
import { fujian } from './profiles/fujian';
import { hubeiShiyan } from './profiles/hubei-shiyan';

export * from './schema';

const OVERRIDES: ProfileOverride[] = [jilin, beijing, fujian, hubeiShiyan];
export const PROFILE_IDS = ['national', ...OVERRIDES.map((o) => o.id)] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in the override replace the baseline's. */
export function mergeOverride<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeOverride(merged[key], value);
  return merged as T;
}

/** Build and validate a profile; throws with every problem listed when the data is wrong. */
export function buildProfile(override: ProfileOverride, baseline: PolicyProfile = national): PolicyProfile {
  const merged = { ...mergeOverride(baseline, override), rules: mergeOverride(baseline.rules, override.rules) };
  const result = PolicyProfileSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`policy profile "${override.id}" is invalid: ${problems}`);
  }
  return result.data;
}

/** The profile a deployment runs, chosen by configuration (XUEJI_POLICY_PROFILE). */
export function loadPolicyProfile(id: string): PolicyProfile {
  if (id === 'national') return PolicyProfileSchema.parse(national);
  const override = OVERRIDES.find((o) => o.id === id);
  if (!override) throw new Error(`unknown policy profile "${id}"; known: ${PROFILE_IDS.join(', ')}`);
  return buildProfile(override);
}

/**
 * The regions with rules of their own (GB/T 2260 codes) and their profiles; everywhere else runs
 * `national`. The one place that says which profile a region's deployment (or the demo of a region)
 * runs.
 */
export const REGION_PROFILES: Readonly<Record<string, (typeof PROFILE_IDS)[number]>> = {
  '220000': 'jilin', // 吉林省
  '110000': 'beijing', // 北京市
  '350000': 'fujian', // 福建省
  '420300': 'hubei-shiyan', // 湖北省十堰市
};

/**
 * The profile of a region (a 6-digit province, city or county code): its own, its city's or its
 * province's, the nearest first; `national` where none has rules of its own.
 * `profileForRegion('420302')` is `hubei-shiyan`, `profileForRegion('420100')` is `national`.
 */
export function profileForRegion(code6: string): (typeof PROFILE_IDS)[number] {
  if (!/^\d{6}$/.test(code6)) throw new Error(`not a 6-digit region code: "${code6}"`);
  for (const candidate of [code6, `${code6.slice(0, 4)}00`, `${code6.slice(0, 2)}0000`]) {
    const id = REGION_PROFILES[candidate];
    if (id) return id;
  }
  return 'national';
}

/** One rule's parameters under a profile: `rule(profile, 'SC-13').cumulativeCapMonths`. */
export function rule<R extends RuleId>(profile: PolicyProfile, id: R): RuleParameters[R] {
  return profile.rules[id];
}

/** ENR-4: an intake's registration window, with its days in the entry year. */
export interface RegistrationWindow {
  intake: RuleParameters['ENR-4']['windows'][number]['intake'];
  /** Registered (filed) by this day; "当年学籍当年申报，隔年不得再补". */
  deadline: string;
  /** Reviewed by this day, where the profile sets one. */
  reviewBy: string | null;
  onlyNonFreshGraduates: boolean;
}

/** ENR-4: the registration window of a student entering on `entryDate`, or null when no intake covers that month. */
export function registrationWindowOf(profile: PolicyProfile, entryDate: string): RegistrationWindow | null {
  const month = Number(entryDate.slice(5, 7));
  const year = entryDate.slice(0, 4);
  const window = rule(profile, 'ENR-4').windows.find((w) => month >= w.entryMonths[0] && month <= w.entryMonths[1]);
  if (!window) return null;
  return {
    intake: window.intake,
    deadline: `${year}-${window.deadline}`,
    reviewBy: window.reviewBy ? `${year}-${window.reviewBy}` : null,
    onlyNonFreshGraduates: window.onlyNonFreshGraduates,
  };
}
