import { maskIdentity, ROLES } from '@xueji/auth';
import { command, FILE_WORK_CONCURRENCY } from '@xueji/service-kit';
import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import { wholeRoster, type RosterFilter } from '../reads/roster';

/** A roster handed out as .xlsx. */
export interface RosterFile {
  fileName: string;
  contentType: string;
  content: Buffer;
  rows: number;
  /** What it covers: the school or region asked for, else the caller's own, and the period. */
  covers: string;
}

const YES_NO = (b: boolean) => (b ? '是' : '否');
const ENTITLEMENT_STATE: Record<string, string> = { PENDING: '待发放', PAID: '已发放', CANCELLED: '已取消' };

/**
 * The whole roster of a period as .xlsx for the subsidy office's payment list. ADM-5: names and
 * student numbers leave the system, so the export is a write — one audit row says who took them,
 * and which.
 */
export const exportEligibilityRoster = command<{ filter: RosterFilter }, RosterFile>({
  name: 'EXPORT_ELIGIBILITY_ROSTER',
  // Who may read which roster is the roster's own scope check (listScope), with its own refusals.
  roles: ROLES,
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { filter }) {
    const rows = await wholeRoster(uow.manager, uow.actor, filter);
    const content = await writeSheet({
      sheetName: '资助名单',
      title: `${filter.period} 国家助学金和免学费资格名单`,
      headers: [
        '序号',
        '学籍号',
        '姓名',
        '学校',
        '学期',
        '助学金',
        '免学费',
        '未满足的规则',
        '助学金金额（元）',
        '发放状态',
        '预警',
        '决定时间',
      ],
      widths: [8, 16, 10, 24, 14, 8, 8, 16, 14, 10, 6, 22],
      textColumns: [2],
      landscape: true,
      rows: rows.map((r, i) => [
        i + 1,
        // ADM-5: an ID-derived student number (ENR-6/ENR-11) leaves masked for who may not read it.
        maskIdentity(uow.actor, r.student_number) ?? '',
        r.name ?? '',
        r.school_name ?? r.school_id,
        r.period,
        YES_NO(r.grant_eligible),
        YES_NO(r.waiver_eligible),
        r.unmet_rules.join(' '),
        r.grant_eligible && r.amount_cny ? Number(r.amount_cny) : 0,
        r.entitlement_state ? (ENTITLEMENT_STATE[r.entitlement_state] ?? r.entitlement_state) : '',
        r.signals,
        r.decided_at.toISOString(),
      ]),
      footer: rows.length === 0 ? [['无符合条件的学生 / No students match']] : [],
    });
    const covers = `${filter.schoolId ?? filter.regionCode ?? uow.actor.regionCode ?? uow.actor.schoolId ?? 'all'}-${filter.period}`;
    return {
      fileName: `eligibility-roster-${covers}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      content,
      rows: rows.length,
      covers,
    };
  },
  audit: (file, { filter }) => ({
    entity: 'eligibility_roster',
    entityId: file.covers,
    details: { filter, rows: file.rows },
  }),
});
