/**
 * Resident ID-card numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women), and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

import { isKnownProvincePrefix } from './regions';

export type IdNumberProblem = 'LENGTH' | 'CHARACTERS' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT';

export interface IdNumberFacts {
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'MALE' | 'FEMALE';
}

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * The facts an ID number states, or the first problem with it. `today` (YYYY-MM-DD) is the service
 * clock's day: a birth date after it is a problem.
 */
export function readIdNumber(
  raw: string,
  today: string,
): { ok: true; facts: IdNumberFacts } | { ok: false; problem: IdNumberProblem } {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) return { ok: false, problem: 'LENGTH' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'CHARACTERS' };
  // Counties are renumbered over the years and old cards stay valid, so only the province is checked;
  // 81/82/83 are the residence permits of Hong Kong, Macao and Taiwan residents.
  if (!isKnownProvincePrefix(id.slice(0, 6)) && !['81', '82', '83'].includes(id.slice(0, 2))) {
    return { ok: false, problem: 'REGION' };
  }
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const date = new Date(Date.UTC(y, m - 1, d));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1900 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || birthDate > today) {
    return { ok: false, problem: 'BIRTH_DATE' };
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'CHECK_DIGIT' };
  return {
    ok: true,
    facts: {
      regionCode: id.slice(0, 6),
      birthDate,
      sex: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
    },
  };
}

export const ID_NUMBER_PROBLEMS: Record<IdNumberProblem, { zh: string; en: string }> = {
  LENGTH: { zh: '身份证号码应为18位', en: 'The ID-card number must have 18 characters' },
  CHARACTERS: { zh: '身份证号码只能由数字和末位X组成', en: 'The ID-card number may hold only digits and a final X' },
  REGION: { zh: '身份证号码的地区码无效', en: 'The region code of the ID-card number is not valid' },
  BIRTH_DATE: { zh: '身份证号码中的出生日期无效', en: 'The birth date in the ID-card number is not a valid date' },
  CHECK_DIGIT: { zh: '身份证号码校验位错误', en: 'The ID-card number’s check digit is wrong' },
};

/** An ID number as records keep it: trimmed, with a capital X. */
export const normaliseId = (id: string) => id.trim().toUpperCase();

/**
 * An ID number of another kind of status, as a provincial list gives it (ENR-7): an ID-card number
 * (18 characters, valid check character) or a passport number (6–20 letters and digits, at least
 * one letter). The problem, or null.
 */
export function otherStatusIdProblem(raw: string, today: string): { zh: string; en: string } | null {
  const id = normaliseId(raw);
  if (/^\d/.test(id) && /^\d+X?$/.test(id)) {
    const card = readIdNumber(id, today);
    return card.ok ? null : ID_NUMBER_PROBLEMS[card.problem];
  }
  return /^(?=.*[A-Z])[A-Z0-9]{6,20}$/.test(id)
    ? null
    : {
        zh: '应为18位身份证号码或6–20位护照号码（字母和数字）',
        en: 'Expected an 18-character ID-card number or a passport number of 6–20 letters and digits',
      };
}
