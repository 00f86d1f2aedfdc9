import { isRegionCode, regionCovers, regionPrefix, requirePrincipal } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { concurrencyLimit, FILE_WORK_CONCURRENCY, type ServiceContext } from '@xueji/service-kit';
import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import { CERTIFICATE_TITLES } from '../domain/credential';
import { figureCounts, termIssueDays, type FigureCounts, type KindCountRow } from '../domain/figures';
import { batchMessage, parseBatch } from '../domain/issuing';
import type { GraduationFile } from './exports';

/** One school's figures for a term. */
export interface SchoolFigures {
  schoolId: string;
  schoolCode: string;
  schoolName: string;
  counts: FigureCounts;
}

/** The region's figures for a term: per school (every school of the region, zeros too) and in total. */
export interface GraduationFiguresView {
  term: string;
  regionCode: string;
  /** The issue days counted for the certificates on no graduate list. */
  issuedFrom: string;
  issuedTo: string;
  schools: SchoolFigures[];
  total: FigureCounts;
}

interface FigureRow extends KindCountRow {
  schoolId: string | null;
  schoolCode: string | null;
  schoolName: string | null;
}

/**
 * The one grouped statement of the figures: $1 the region's prefix pattern (of the schools' competent
 * authority), $2 the batch, $3 … $4 the issue days of the term.
 */
export const FIGURES_STATEMENT = `WITH schools AS (
       SELECT school_id, code, name FROM graduation_school WHERE authority_region_code LIKE $1
     ), issued AS (
       SELECT c.school_id, c.kind, c.replaces_id
         FROM schools sc
         JOIN graduate_list l ON l.school_id = sc.school_id AND l.term = $2
         JOIN certificate c ON c.list_id = l.id
        WHERE c.state <> 'RECALLED'
       UNION ALL
       SELECT c.school_id, c.kind, c.replaces_id
         FROM schools sc
         JOIN certificate c ON c.school_id = sc.school_id AND c.issued_on BETWEEN $3::date AND $4::date
        WHERE c.list_id IS NULL AND c.state <> 'RECALLED'
     )
     SELECT sc.school_id AS "schoolId", sc.code AS "schoolCode", sc.name AS "schoolName", i.kind,
            count(i.kind)::int AS count, count(i.replaces_id)::int AS exchanges
       FROM schools sc LEFT JOIN issued i ON i.school_id = sc.school_id
      GROUP BY GROUPING SETS ((sc.school_id, sc.code, sc.name, i.kind), (i.kind))
      ORDER BY sc.code NULLS LAST, sc.school_id`;

/**
 * The figures of a reviewer's region (or of a sub-region inside it) for a term: of the schools
 * whose competent authority lies in the region, the certificates issued in the term by kind (every
 * kind of the vocabulary, so a new kind is counted as it comes) and the exchanges (GR-6), per school
 * and in total. A diploma on a graduate list counts in its list's batch (GR-3); every other
 * certificate (completion GR-6, the leaving certificates GR-7, an exchange's diploma) by its issue
 * day: spring 01-01 … 07-31, autumn 08-01 … 12-31. Recalled certificates (GR-9) are void and not
 * counted. One grouped statement: the region's schools, then per school its lists of the batch
 * (`graduate_list_school_term`) and their diplomas (`certificate_list`), and its certificates by issue
 * day (`certificate_school_issued`).
 */
export async function graduationFigures(
  ctx: ServiceContext,
  args: { term: string; regionCode?: string | null },
): Promise<GraduationFiguresView> {
  const principal = requirePrincipal(ctx.principal);
  if (principal.role !== 'AUTHORITY_REVIEWER' || !principal.regionCode)
    throw forbidden({ zh: '只有主管部门可以查看毕业统计', en: 'Only the competent authority sees graduation figures' });
  const batch = parseBatch(args.term);
  if (!batch || batch.year < 1950 || batch.year > 2100) throw badUserInput(batchMessage, { field: 'term' });
  const region = args.regionCode ?? principal.regionCode;
  if (!isRegionCode(region))
    throw badUserInput({ zh: '行政区划代码应为 6 位数字', en: 'A region code is six digits' }, { field: 'regionCode' });
  if (!regionCovers(principal.regionCode, region))
    throw forbidden({ zh: '该地区不在您的辖区内', en: 'This region is outside yours' });
  const days = termIssueDays(batch);
  const rows = await selectRows<FigureRow>(ctx.dataSource, FIGURES_STATEMENT, [
    `${regionPrefix(region)}%`,
    args.term,
    days.from,
    days.to,
  ]);
  const perSchool = new Map<string, { school: FigureRow; rows: FigureRow[] }>();
  const totals: FigureRow[] = [];
  for (const row of rows) {
    if (row.schoolId === null) totals.push(row);
    else {
      const entry = perSchool.get(row.schoolId) ?? { school: row, rows: [] };
      entry.rows.push(row);
      perSchool.set(row.schoolId, entry);
    }
  }
  return {
    term: args.term,
    regionCode: region,
    issuedFrom: days.from,
    issuedTo: days.to,
    schools: [...perSchool.values()].map(({ school, rows: counted }) => ({
      schoolId: school.schoolId!,
      schoolCode: school.schoolCode!,
      schoolName: school.schoolName!,
      counts: figureCounts(counted),
    })),
    total: figureCounts(totals),
  };
}

/** Figures files built at once in this process, like every file export (FILE_WORK_CONCURRENCY). */
const FIGURES_FILES = concurrencyLimit('GRADUATION_FIGURES_FILE', FILE_WORK_CONCURRENCY);

/**
 * The same figures as .xlsx: a row a school and the total, a column a kind (its Chinese title) and the
 * exchanges. Counts only, no student: nothing personal leaves, so no audit row (as status-change's
 * monthly report).
 */
export async function graduationFiguresFile(
  ctx: ServiceContext,
  args: { term: string; regionCode?: string | null },
): Promise<GraduationFile> {
  const figures = await graduationFigures(ctx, args);
  return FIGURES_FILES.run(async () => {
    const kinds = figures.total.byKind.map((k) => k.kind);
    const cells = (counts: FigureCounts) => [...counts.byKind.map((k) => k.count), counts.exchanges];
    const content = await writeSheet({
      sheetName: '毕业统计',
      title: `${figures.regionCode} ${figures.term} 毕业证书及其他证书发放统计`,
      headers: ['学校代码', '学校名称', ...kinds.map((k) => CERTIFICATE_TITLES[k]?.zh ?? k), '结业换发毕业证书'],
      widths: [14, 28, ...kinds.map(() => 16), 16],
      textColumns: [1],
      rows: [
        ...figures.schools.map((s) => [s.schoolCode, s.schoolName, ...cells(s.counts)]),
        ['合计', '', ...cells(figures.total)],
      ],
      footer: [
        [],
        [
          `毕业证书按毕业生名册批次统计；其他证书按发证日期 ${figures.issuedFrom} 至 ${figures.issuedTo} 统计；已撤销的证书不计。`,
        ],
      ],
    });
    return {
      fileName: `graduation-figures-${figures.regionCode}-${figures.term}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      contentBase64: content.toString('base64'),
      rows: figures.schools.length,
    };
  });
}
