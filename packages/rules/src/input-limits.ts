/**
 * The limits of every client input, declared once: text lengths and character classes, list sizes
 * and date ranges. Commands name their fields' limits (`limits(...)` below) and the kit refuses a
 * breach with `BAD_USER_INPUT` naming the field (`details.field`, e.g. `input.name`) before any I/O.
 * The schema descriptions state the same limits.
 */
import { badUserInput, type BilingualMessage } from '@xueji/errors';
import { addMonths, isIsoDate } from './dates';
import { isUuid } from './formats';

/**
 * Character classes. Every class refuses NUL and the other C0/C1 control characters, lone
 * surrogates and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069); `text` alone allows tab and line breaks.
 * - `name`: a person's name: letters and marks of any script, `·` (U+00B7, as in 阿卜杜拉·买买提),
 *   `・`, spaces, `-`, `.` and `'`; no digits, no zero-width characters.
 * - `line`: one line of free text (an address, an institution, a reference).
 * - `text`: free text that may span lines (a comment, a reason).
 * - `code`: letters, digits, `-`, `_` and `.` (codes, terms, document numbers).
 */
export type CharClass = 'name' | 'line' | 'text' | 'code';

export interface TextLimit {
  /** At most this many characters (code points). */
  max: number;
  chars: CharClass;
}

export const TEXT_LIMITS = {
  personName: { max: 50, chars: 'name' },
  /** A school principal's name (校长, GR-11). */
  principalName: { max: 30, chars: 'name' },
  /** An ID-card or passport number as typed; its format is judged by the domain (ENR-2). */
  idNumber: { max: 32, chars: 'code' },
  ethnicity: { max: 20, chars: 'line' },
  address: { max: 200, chars: 'line' },
  contact: { max: 50, chars: 'line' },
  institution: { max: 100, chars: 'line' },
  className: { max: 50, chars: 'line' },
  /** Major and major-category codes. */
  code: { max: 20, chars: 'code' },
  term: { max: 20, chars: 'code' },
  /** A reference to a document kept elsewhere (certificate, photo, evidence, notice). */
  reference: { max: 200, chars: 'line' },
  fileName: { max: 200, chars: 'line' },
  comment: { max: 500, chars: 'text' },
  reason: { max: 500, chars: 'text' },
  /** The name of a corrected personal-data field. */
  fieldName: { max: 50, chars: 'code' },
  /** A signed digital credential (compact JWS: Base64url parts and dots). */
  credential: { max: 20_000, chars: 'code' },
  /** A certificate's number as typed in the public lookup (GR-10). */
  certificateNumber: { max: 30, chars: 'code' },
  /** A record id where ids that are not UUIDs are answered as not found. */
  recordId: { max: 36, chars: 'code' },
  /** A corrected value, old or new. */
  fieldValue: { max: 200, chars: 'line' },
  /** A course's or a teaching plan's name. */
  courseName: { max: 100, chars: 'line' },
  /** A written conduct comment or the appraisal at graduation (AS-2). */
  appraisal: { max: 2000, chars: 'text' },
  /** A student number as typed in a lookup (ENR-11: at most 19 characters in any profile). */
  studentNumber: { max: 30, chars: 'code' },
  /** A page cursor (`after`) as a read gave it: Base64url; every cursor a read writes is far shorter. */
  cursor: { max: 500, chars: 'code' },
  /**
   * A client's idempotency key of a submission (a UUID fits): a retry under the same key is answered
   * with the first submission's result.
   */
  idempotencyKey: { max: 100, chars: 'code' },
  /** A roster or results file, Base64: about 2.17 MB of file (a full 20,000-row roster is 2.11 MB of Base64). */
  fileBase64: { max: 2_900_000, chars: 'line' },
} as const satisfies Record<string, TextLimit>;

export const LIST_LIMITS = {
  evidenceRefs: 20,
  correctionFields: 10,
  /** Students whose term registration is recorded in one request (a whole school). */
  studentIds: 20_000,
  entitlementIds: 5_000,
  otherStatusRecords: 50_000,
  /** Courses of one teaching plan. */
  planCourses: 300,
  /** Students whose results for one course are recorded at once (a class, a year group). */
  resultEntries: 2_000,
  /** Days of one year's holiday arrangement (AS-14 working-day calendar): holidays, or adjusted working days. */
  calendarDays: 60,
  /** Event types granted to one partner (the partner topics carry a handful). */
  eventTypes: 20,
} as const satisfies Record<string, number>;

/** A day range: from a fixed earliest day to `yearsAfterToday` years after today (0: today). */
export interface DateLimit {
  earliest: string;
  yearsAfterToday: number;
}

export const DATE_LIMITS = {
  /** Nobody living was born before 1900 (the ID-card rule agrees), nor after today. */
  birthDate: { earliest: '1900-01-01', yearsAfterToday: 0 },
  /**
   * Entry and arrival: records go back to the founding of the vocational schools' register, and an
   * intake is registered at most two years ahead.
   */
  entryDate: { earliest: '1950-01-01', yearsAfterToday: 2 },
  arrivalDate: { earliest: '1950-01-01', yearsAfterToday: 2 },
  /**
   * A status change may be recorded late, but not before the records began; it may be scheduled
   * within the longest course (five years: suspensions planned term by term, SC-13).
   */
  effectiveDate: { earliest: '1990-01-01', yearsAfterToday: 5 },
  /**
   * A day something already happened at school (a decision, a notice delivered, an absence, an appeal
   * received): not before the records began, not after today.
   */
  pastDate: { earliest: '1990-01-01', yearsAfterToday: 0 },
} as const satisfies Record<string, DateLimit>;

/** The limit of one input field. */
export type FieldLimit =
  | { text: keyof typeof TEXT_LIMITS }
  | { date: keyof typeof DATE_LIMITS }
  | { uuid: true }
  | { list: keyof typeof LIST_LIMITS; of: FieldLimit }
  | { object: Record<string, FieldLimit> }
  /**
   * A check of its own (a format the domain knows), given the service clock's day; the message, or
   * null when the value is fine.
   */
  | { check: (value: string, today: string) => BilingualMessage | null };

/** One breached limit, with the field's path (`input.name`, `records[3].idNumber`). */
export interface InputProblem {
  field: string;
  message: BilingualMessage;
}

// Controls except tab and line breaks, for `text`; all controls otherwise. Matching them is the point.
/* eslint-disable no-control-regex */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
/* eslint-enable no-control-regex */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;
const NAME = /^[\p{L}\p{M}\u00B7\u30FB .'-]*$/u;
const CODE = /^[A-Za-z0-9._-]*$/;

const describe = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function badCharacter(value: string, re: RegExp): string | null {
  const found = re.exec(value);
  return found ? describe(found[0].codePointAt(0)!) : null;
}

/** What is wrong with a text against its limit, or null. */
function textProblem(value: string, limit: TextLimit): BilingualMessage | null {
  const length = [...value].length;
  if (length > limit.max) {
    return {
      zh: `不得超过 ${limit.max} 个字符（现有 ${length} 个）`,
      en: `At most ${limit.max} characters (${length} given)`,
    };
  }
  const lone = badCharacter(value, LONE_SURROGATE);
  if (lone) return { zh: `含有无效字符 ${lone}`, en: `Contains an invalid character ${lone}` };
  const control = badCharacter(value, limit.chars === 'text' ? CONTROL : CONTROL_OR_BREAK);
  if (control) return { zh: `不得含有控制字符 ${control}`, en: `Must not contain the control character ${control}` };
  const bidi = badCharacter(value, BIDI);
  if (bidi) return { zh: `不得含有文字方向控制字符 ${bidi}`, en: `Must not contain the bidi control ${bidi}` };
  if (limit.chars === 'name' && !NAME.test(value)) {
    const other = [...value].find((c) => !NAME.test(c))!;
    return {
      zh: `姓名只能由文字、“·”和空格组成，不得含有 ${describe(other.codePointAt(0)!)}`,
      en: `A name may hold only letters, “·” and spaces, not ${describe(other.codePointAt(0)!)}`,
    };
  }
  if (limit.chars === 'code' && !CODE.test(value)) {
    return { zh: '只能由字母、数字和 - _ . 组成', en: 'May hold only letters, digits and - _ .' };
  }
  return null;
}

/** What is wrong with a day against its range, or null. */
function dateProblem(value: string, limit: DateLimit, today: string): BilingualMessage | null {
  if (!isIsoDate(value)) {
    return { zh: `日期无效：${value}（应为 YYYY-MM-DD）`, en: `Not a valid date: ${value} (YYYY-MM-DD expected)` };
  }
  const latest = addMonths(today, 12 * limit.yearsAfterToday);
  if (value < limit.earliest || value > latest) {
    return {
      zh: `日期应在 ${limit.earliest} 至 ${latest} 之间`,
      en: `The date must lie between ${limit.earliest} and ${latest}`,
    };
  }
  return null;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

const typeProblem: BilingualMessage = { zh: '类型错误', en: 'Wrong type' };

/** Every breached limit of a value, depth first; absent (null or undefined) values pass. */
export function inputProblems(limit: FieldLimit, value: unknown, today: string, path: string): InputProblem[] {
  if (value === null || value === undefined) return [];
  const one = (message: BilingualMessage | null): InputProblem[] => (message ? [{ field: path, message }] : []);
  if ('object' in limit) {
    if (typeof value !== 'object') return one(typeProblem);
    const record = value as Record<string, unknown>;
    return Object.entries(limit.object).flatMap(([key, inner]) =>
      inputProblems(inner, record[key], today, join(path, key)),
    );
  }
  if ('list' in limit) {
    if (!Array.isArray(value)) return one(typeProblem);
    const max = LIST_LIMITS[limit.list];
    if (value.length > max) {
      return one({
        zh: `最多 ${max} 项（现有 ${value.length} 项）`,
        en: `At most ${max} items (${value.length} given)`,
      });
    }
    return value.flatMap((item, i) => inputProblems(limit.of, item, today, `${path}[${i}]`));
  }
  if (typeof value !== 'string') return one(typeProblem);
  if ('text' in limit) return one(textProblem(value, TEXT_LIMITS[limit.text]));
  if ('date' in limit) return one(dateProblem(value, DATE_LIMITS[limit.date], today));
  if ('uuid' in limit) {
    return one(
      isUuid(value) ? null : { zh: `标识无效：${value.slice(0, 40)}`, en: `Not a valid id: ${value.slice(0, 40)}` },
    );
  }
  return one(limit.check(value, today));
}

/** The `BAD_USER_INPUT` of the first problem, naming its field; every problem is in `details.problems`. */
export function inputRefusal(problems: InputProblem[]) {
  const [first] = problems;
  if (!first) return null;
  return badUserInput(
    { zh: `${first.field}：${first.message.zh}`, en: `${first.field}: ${first.message.en}` },
    {
      field: first.field,
      problems: problems
        .slice(0, 100)
        .map((p) => ({ field: p.field, messageZh: p.message.zh, messageEn: p.message.en })),
    },
  );
}

/**
 * A command's input check (the kit's `CommandDefinition.validate`): throws `BAD_USER_INPUT` naming
 * the first field over its limit. `path` is where the command's input sits in the GraphQL request
 * (`input` for an `input:` argument; '' when the command's input holds the arguments themselves).
 */
export function limits<I>(limit: FieldLimit, path = ''): (input: I, today: string) => void {
  return (input, today) => {
    const refused = inputRefusal(inputProblems(limit, input, today, path));
    if (refused) throw refused;
  };
}

/** Shorthands for command specifications. */
export const text = (key: keyof typeof TEXT_LIMITS): FieldLimit => ({ text: key });
export const day = (key: keyof typeof DATE_LIMITS): FieldLimit => ({ date: key });
export const uuid: FieldLimit = { uuid: true };
export const listOf = (key: keyof typeof LIST_LIMITS, of: FieldLimit): FieldLimit => ({ list: key, of });
export const fields = (object: Record<string, FieldLimit>): FieldLimit => ({ object });
