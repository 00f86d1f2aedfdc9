/**
 * The registrars' .xlsx exports (issue 12, for the people using it): the audit of a class, a graduate
 * list, the certificates issued. Names and student numbers leave the system, so each export is a
 * command with one audit row saying who took which (ADM-5, as enrolment's roster and subsidy's
 * eligibility roster); one at a time in a process (FILE_WORK_CONCURRENCY). Rows are read a page at a
 * time on the reads' indexes, at most MAX_EXPORT_ROWS; never an ID number, and the student number as
 * the caller may see it (`maskIdentity`).
 */
import type { Principal } from '@xueji/auth';
import { badUserInput, notFound } from '@xueji/errors';
import { command, FILE_WORK_CONCURRENCY } from '@xueji/service-kit';
import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import type { CertificateState, GraduateListState, GraduationOutcome, StudyForm } from '@xueji/vocabulary';
import { CERTIFICATE_TITLES } from '../domain/credential';
import {
  certificatesPage,
  everyPage,
  EXPORT_PAGE,
  schoolForReader,
  type CertificatesFilter,
} from '../reads/certificates';
import { classAuditRows, graduateListRows, type GraduationFile } from '../reads/exports';
import { graduateListById } from '../reads/lists';
import { findSchool, mayReadSchool } from '../reads/schools';

const ROLES = ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER'] as const;
const OUTCOME: Record<GraduationOutcome, string> = { GRADUATE: '毕业', COMPLETION: '结业', NOT_YET: '暂不符合' };
const STUDY_FORM: Record<StudyForm, string> = { FULL_TIME: '全日制', PART_TIME: '非全日制', FLEXIBLE: '弹性学制' };
const CERTIFICATE_STATE: Partial<Record<CertificateState, string>> = {
  VALID: '有效',
  EXCHANGED: '已换发毕业证书',
  RECALLED: '已撤销',
  REPLACED: '已补发学历证明书',
};
const LIST_STATE: Partial<Record<GraduateListState, string>> = {
  SUBMITTED: '待审核',
  APPROVED: '已审核验印',
  REJECTED: '已退回',
};

/** The columns of each export, in Chinese for the people using them (the tests read them back against these). */
const STUDENT_HEADERS = ['序号', '学籍号', '姓名', '入学日期', '专业代码', '学习形式'] as const;
export const CLASS_AUDIT_HEADERS = [...STUDENT_HEADERS, '审核结论', '尚缺条件', '规则'] as const;
export const GRADUATE_LIST_HEADERS = [...STUDENT_HEADERS, '毕业证书编号'] as const;
export const CERTIFICATES_HEADERS = [
  '序号',
  '证书编号',
  '证书类别',
  '状态',
  '姓名',
  '学籍号',
  '专业代码',
  '学习形式',
  '入学日期',
  '发证日期',
] as const;

const file = (fileName: string, rows: number, content: Buffer): GraduationFile => ({
  fileName: fileName.replace(/[^\w.\u4e00-\u9fff-]/g, '_'),
  contentType: XLSX_CONTENT_TYPE,
  contentBase64: content.toString('base64'),
  rows,
});
/** The cells under STUDENT_HEADERS of the `i`-th student listed. */
const studentCells = (
  i: number,
  r: {
    studentNumber: string | null;
    name: string;
    entryDate: string | null;
    majorCode: string | null;
    studyForm: StudyForm | null;
  },
) => [
  i + 1,
  r.studentNumber ?? '',
  r.name,
  r.entryDate ?? '',
  r.majorCode ?? '',
  r.studyForm ? STUDY_FORM[r.studyForm] : '',
];
const orEmpty = (rows: number) => (rows === 0 ? [['无记录 / Nothing to list']] : []);

/** GR-1: the audit of a class as .xlsx: each student, the outcome, what they still lack (in Chinese) and the rules. */
export const exportClassGraduationAudit = command<
  { schoolId: string; entryYear: number },
  GraduationFile & { schoolId: string }
>({
  name: 'EXPORT_CLASS_GRADUATION_AUDIT',
  roles: ROLES,
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { schoolId, entryYear }) {
    const actor = uow.actor as Principal;
    const school = await schoolForReader(uow.manager, actor, schoolId, 'schoolId');
    if (!Number.isInteger(entryYear) || entryYear < 1950 || entryYear > 2100)
      throw badUserInput({ zh: '入学年份无效', en: 'Invalid entry year' }, { field: 'entryYear' });
    const rows = await classAuditRows(
      uow.manager,
      { principal: actor, profile: uow.profile, today: uow.today() },
      schoolId,
      entryYear,
    );
    const content = await writeSheet({
      sheetName: '毕业审核',
      title: `${school?.name ?? ''} ${entryYear}级 毕业审核（${uow.today()}）`,
      headers: CLASS_AUDIT_HEADERS,
      widths: [6, 22, 10, 12, 10, 10, 10, 60, 14],
      textColumns: [2],
      landscape: true,
      rows: rows.map((r, i) => [
        ...studentCells(i, r),
        OUTCOME[r.outcome],
        r.lacking.map((c) => c.message.zh).join('；'),
        [...new Set(r.lacking.map((c) => c.rule))].join(' '),
      ]),
      footer: orEmpty(rows.length),
    });
    return { ...file(`毕业审核-${school?.code ?? schoolId}-${entryYear}.xlsx`, rows.length, content), schoolId };
  },
  audit: (result, { entryYear }) => ({
    entity: 'school',
    entityId: result.schoolId,
    details: { export: 'class-graduation-audit', entryYear, rows: result.rows },
  }),
});

/** GR-3, GR-4: a graduate list as .xlsx: its students, with their diploma numbers once approved. */
export const exportGraduateList = command<{ id: string }, GraduationFile & { listId: string }>({
  name: 'EXPORT_GRADUATE_LIST',
  roles: ROLES,
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { id }) {
    const actor = uow.actor as Principal;
    const list = await graduateListById(uow.manager, id);
    // A list the caller may not see answers as an unknown one.
    if (!list || !mayReadSchool(actor, list.schoolId, list))
      throw notFound({ zh: '毕业生名册不存在', en: 'No such graduate list' });
    const school = await findSchool(uow.manager, list.schoolId);
    const rows = await graduateListRows(uow.manager, actor, list.id);
    const content = await writeSheet({
      sheetName: '毕业生名册',
      title: `${school?.name ?? ''} ${list.term} 毕业生名册（${LIST_STATE[list.state] ?? list.state}）`,
      headers: GRADUATE_LIST_HEADERS,
      widths: [6, 22, 10, 12, 10, 10, 20],
      textColumns: [2, 7],
      rows: rows.map((r, i) => [...studentCells(i, r), r.diplomaNumber ?? '']),
      footer: [
        ...orEmpty(rows.length),
        [],
        ['验印单：', list.verificationSheetRef ?? '', '', '学校（盖章）：', '', '主管部门（盖章）：'],
      ],
    });
    return {
      ...file(`毕业生名册-${school?.code ?? list.schoolId}-${list.term}.xlsx`, rows.length, content),
      listId: list.id,
    };
  },
  audit: (result) => ({
    entity: 'graduate_list',
    entityId: result.listId,
    details: { export: 'graduate-list', rows: result.rows },
  }),
});

/** The certificates a school issued as .xlsx, with the same filter as `certificates`. */
export const exportCertificates = command<{ filter: CertificatesFilter }, GraduationFile & { schoolId: string }>({
  name: 'EXPORT_CERTIFICATES',
  roles: ROLES,
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { filter }) {
    const actor = uow.actor as Principal;
    const school = await schoolForReader(uow.manager, actor, filter.schoolId, 'filter.schoolId');
    const rows = await everyPage(
      (after) => certificatesPage(uow.manager, actor, { filter, first: EXPORT_PAGE, after }, EXPORT_PAGE),
      'filter',
    );
    const period = `${filter.issuedFrom ?? ''}–${filter.issuedTo ?? ''}`;
    const content = await writeSheet({
      sheetName: '证书发放',
      title: `${school?.name ?? ''} 证书发放名单${filter.kind ? `（${CERTIFICATE_TITLES[filter.kind]?.zh ?? filter.kind}）` : ''}${period === '–' ? '' : ` ${period}`}`,
      headers: CERTIFICATES_HEADERS,
      widths: [6, 20, 24, 14, 10, 22, 10, 10, 12, 12],
      textColumns: [2, 6],
      landscape: true,
      rows: rows.map((r, i) => [
        i + 1,
        r.number,
        CERTIFICATE_TITLES[r.kind]?.zh ?? r.kind,
        CERTIFICATE_STATE[r.state] ?? r.state,
        r.name,
        r.studentNumber ?? '',
        r.majorCode ?? '',
        STUDY_FORM[r.studyForm] ?? r.studyForm,
        r.entryDate,
        r.issuedOn,
      ]),
      footer: orEmpty(rows.length),
    });
    return {
      ...file(`证书发放-${school?.code ?? filter.schoolId}.xlsx`, rows.length, content),
      schoolId: filter.schoolId,
    };
  },
  audit: (result, { filter }) => ({
    entity: 'school',
    entityId: result.schoolId,
    details: { export: 'certificates', filter, rows: result.rows },
  }),
});
