import type { HospitalLevel } from '@xueji/vocabulary';
import type { StatusCode } from './types';

/** How registrars name things, in both languages. */

export const STATUS_NAMES: Record<StatusCode, { zh: string; en: string }> = {
  REGISTRATION_PENDING: { zh: '注册待审核', en: 'registration pending' },
  ACTIVE: { zh: '在籍', en: 'enrolled' },
  SUSPENDED: { zh: '休学', en: 'suspended' },
  WITHDRAWN: { zh: '退学', en: 'withdrawn' },
  CANCELLED: { zh: '已注销', en: 'cancelled' },
  DECEASED: { zh: '死亡', en: 'deceased' },
  TRANSFERRED_OUT: { zh: '已转出', en: 'transferred out' },
  EXPELLED: { zh: '开除学籍', en: 'expelled' },
  GRADUATED: { zh: '毕业', en: 'graduated' },
  COMPLETED: { zh: '结业', en: 'completed' },
};

export const HOSPITAL_NAMES: Record<HospitalLevel, { zh: string; en: string }> = {
  COUNTY_OR_ABOVE: { zh: '县级及以上医院', en: 'a county-level or higher hospital' },
  GRADE_2A_OR_ABOVE: { zh: '二级甲等及以上医院', en: 'a grade-2A or higher hospital' },
};

/** "2 年" / "2 years", "6 个月" / "6 months". */
export function duration(months: number): { zh: string; en: string } {
  if (months % 12 === 0) return { zh: `${months / 12} 年`, en: `${months / 12} year${months === 12 ? '' : 's'}` };
  return { zh: `${months} 个月`, en: `${months} month${months === 1 ? '' : 's'}` };
}
