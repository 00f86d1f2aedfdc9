import { isUuid } from '@xueji/rules';
import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import { regionCovers, requireRole } from '@xueji/auth';
import { badUserInput, forbidden, notFound } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { audit } from '@xueji/audit';
import { rosterOrder } from '../domain/lifecycle';
import { School } from '../entities/school';
import type { RegistrationStatus } from '../entities/student';

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

interface RosterRow {
  studentNumber: string | null;
  name: string;
  sex: keyof typeof SEX;
  birthDate: string;
  idNumber: string;
  majorCode: string | null;
  majorName: string | null;
  className: string | null;
  entryDate: string;
  studyForm: keyof typeof STUDY_FORM;
  registrationStatus: RegistrationStatus;
}

/** The school's registrar, or a reviewer whose region covers the school; anyone else is refused. */
async function readableSchool(ctx: ServiceContext, schoolId: string): Promise<School> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER');
  if (principal.role === 'SCHOOL_REGISTRAR' && principal.schoolId !== schoolId) {
    throw forbidden({ zh: '只能导出本校的注册名单', en: 'You may export only your own school’s roster' });
  }
  const school = isUuid(schoolId) ? await ctx.dataSource.getRepository(School).findOneBy({ id: schoolId }) : null;
  if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
  if (
    principal.role === 'AUTHORITY_REVIEWER' &&
    !(principal.regionCode && regionCovers(principal.regionCode, school.regionCode))
  ) {
    throw forbidden({ zh: '该校不在您的辖区内', en: 'This school is outside your region' });
  }
  return school;
}

/**
 * ENR-19: the registration roster (新生入学注册备案名单) of a school's intake of one year — its
 * approved and submitted students sorted by major, class and student number, as .xlsx, with a
 * line for the principal's signature. ID numbers are shown in full: only the school's registrar
 * and its reviewers may export it (ADM-5), and each export is audited.
 */
export async function exportRegistrationRoster(
  ctx: ServiceContext,
  schoolId: string,
  entryYear: number,
): Promise<RosterFile> {
  const school = await readableSchool(ctx, schoolId);
  if (!Number.isInteger(entryYear) || entryYear < 2000 || entryYear > 2100) {
    throw badUserInput({ zh: '入学年份无效', en: 'The entry year is not valid' }, { field: 'entryYear' });
  }
  const found = (await ctx.dataSource.query(
    `SELECT s.student_number AS "studentNumber", s.name, s.sex, to_char(s.birth_date, 'YYYY-MM-DD') AS "birthDate",
            s.id_number AS "idNumber", COALESCE(s.major_code, s.major_category_code) AS "majorCode",
            COALESCE(m.name, c.name) AS "majorName", s.class_name AS "className",
            to_char(s.entry_date, 'YYYY-MM-DD') AS "entryDate", s.study_form AS "studyForm",
            s.registration_status AS "registrationStatus"
       FROM student s
       LEFT JOIN major m ON m.code = s.major_code
       LEFT JOIN major_category c ON c.code = s.major_category_code
      WHERE s.school_id = $1 AND s.registration_status IN ('APPROVED', 'SUBMITTED')
        AND s.entry_date >= make_date($2, 1, 1) AND s.entry_date < make_date($2 + 1, 1, 1)`,
    [school.id, entryYear],
  )) as RosterRow[];
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
  await audit(ctx.dataSource.manager, ctx.principal!, {
    action: 'EXPORT_REGISTRATION_ROSTER',
    entity: 'school',
    entityId: school.id,
    details: { entryYear, rows: rows.length },
  });
  return {
    fileName: `新生入学注册备案名单-${school.code}-${entryYear}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    contentBase64: content.toString('base64'),
    rows: rows.length,
  };
}
