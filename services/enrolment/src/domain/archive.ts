import { rule, type PolicyProfile } from '@xueji/policy';
import type { ExtraArchiveSection } from '@xueji/vocabulary';

export interface ArchiveSection {
  key: string;
  titleZh: string;
  titleEn: string;
  /** The subgraph that keeps the section. */
  keptBy: string;
}

const BASELINE: ArchiveSection[] = [
  { key: 'PERSONAL_DATA', titleZh: '学生基本信息', titleEn: 'Personal data', keptBy: 'enrolment' },
  { key: 'CONDUCT', titleZh: '操行评定', titleEn: 'Conduct evaluations', keptBy: 'assessment' },
  { key: 'RESULTS', titleZh: '学业成绩', titleEn: 'Course results', keptBy: 'assessment' },
  { key: 'SUBSIDY', titleZh: '资助及免学费记录', titleEn: 'Subsidy and tuition-waiver records', keptBy: 'subsidy' },
  { key: 'REWARDS_SANCTIONS', titleZh: '奖惩记录', titleEn: 'Rewards and sanctions', keptBy: 'assessment' },
  { key: 'GRADUATE_FORM', titleZh: '毕业生登记表', titleEn: 'Graduate form', keptBy: 'graduation' },
];

const EXTRA: Record<ExtraArchiveSection, ArchiveSection> = {
  ADMISSION_PAPERS: { key: 'ADMISSION_PAPERS', titleZh: '录取材料', titleEn: 'Admission papers', keptBy: 'enrolment' },
  HEALTH_RECORD: { key: 'HEALTH_RECORD', titleZh: '健康档案', titleEn: 'Health record', keptBy: 'enrolment' },
};

/** ENR-18: the sections of a student's archive under this profile, and which subgraph keeps each. */
export function archiveSections(profile: PolicyProfile): ArchiveSection[] {
  return [...BASELINE, ...rule(profile, 'ENR-18').extraSections.map((k) => EXTRA[k])];
}
