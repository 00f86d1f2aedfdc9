import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import type { RegistrationStatus } from '@xueji/vocabulary';
import { rosterOrder } from '../domain/lifecycle';
import type { School } from '../entities/school';
import type { RegistrationRosterRow } from '../reads/roster';

/** GraphQL `RosterFile`. */
export interface RosterFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
  rows: number;
}

/** Columns of the registration roster filed with the authority (ENR-19). */
export const REGISTRATION_ROSTER_HEADERS = [
  '序号',
  '学号',
  '姓名',
  '性别',
  '出生日期',
  '身份证号',
  '专业代码',
  '专业名称',
  '班级',
  '入学日期',
  '学习形式',
  '注册状态',
] as const;

const WIDTHS = [6, 14, 10, 6, 12, 22, 10, 24, 16, 12, 10, 10];
const SEX = { MALE: '男', FEMALE: '女' } as const;
const STUDY_FORM = { FULL_TIME: '全日制', PART_TIME: '非全日制', FLEXIBLE: '弹性' } as const;
const STATUS: Partial<Record<RegistrationStatus, string>> = { APPROVED: '已审核', SUBMITTED: '待审核' };

/**
 * ENR-19: the registration roster (新生入学注册备案名单) of a school's intake of one year as .xlsx —
 * its approved and submitted students sorted by major, class and student number, with a line for
 * the principal's signature. ID numbers are shown in full (ADM-5: who may export it, and the audit
 * of each export, are the command's, `application/roster.ts`).
 */
export async function registrationRosterFile(
  school: Pick<School, 'code' | 'name'>,
  entryYear: number,
  found: RegistrationRosterRow[],
): Promise<RosterFile> {
  const rows = rosterOrder(found);
  const content = await writeSheet({
    sheetName: '注册名单',
    title: `${school.name} ${entryYear}年新生入学注册备案名单`,
    headers: REGISTRATION_ROSTER_HEADERS,
    widths: WIDTHS,
    landscape: true,
    rows: rows.map((r, i) => [
      i + 1,
      r.studentNumber ?? '',
      r.name,
      SEX[r.sex],
      r.birthDate,
      r.idNumber,
      r.majorCode ?? '',
      r.majorName ?? '',
      r.className ?? '',
      r.entryDate,
      STUDY_FORM[r.studyForm],
      STATUS[r.registrationStatus] ?? r.registrationStatus,
    ]),
    textColumns: [2, 6],
    footer: [[], ['校长签字：', '', '', '', '', '', '', '学校（盖章）：', '', '日期：']],
  });
  return {
    fileName: `新生入学注册备案名单-${school.code}-${entryYear}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    contentBase64: content.toString('base64'),
    rows: rows.length,
  };
}
