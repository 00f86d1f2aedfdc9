import { Workbook } from 'exceljs';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  tokenFor,
  testTopicPrefix,
} from '@xueji/testkit';
import { registration, school, seedSchools, TEST_TODAY } from '../../../test/support/enrolment';
import { buildRosterFile } from '../src/roster';
import { enrolment } from '../src/service';
import { streamedWorkbook } from './streamed-workbook';

const IMPORT = /* GraphQL */ `
  mutation Import($input: RosterImportInput!) {
    importRoster(input: $input) {
      rows
      registered
      alreadyRegistered
      rejected
      problems {
        row
        column
        rule
        messageZh
        messageEn
      }
    }
  }
`;

type Report = {
  importRoster: {
    rows: number;
    registered: number;
    alreadyRegistered: number;
    rejected: number;
    problems: { row: number; column: string | null; rule: string | null; messageZh: string; messageEn: string }[];
  };
};

/** One roster line in the registration roster's layout. */
function line(n: number, overrides: Record<string, string | number> = {}): Record<string, string | number> {
  const r = registration('', '220102', n);
  return {
    姓名: r.name,
    性别: r.sex === 'MALE' ? '男' : '女',
    出生日期: r.birthDate,
    身份证号: r.idNumber,
    入学日期: '2026-09-01',
    入学批次: '秋季',
    学习形式: '全日制',
    专业代码: n % 2 ? '710201' : '730301',
    班级: `2026级${(n % 3) + 1}班`,
    学制: 3,
    户口性质: '农村',
    ...overrides,
  };
}

describe('roster import and export (real PostgreSQL and Kafka)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let schoolId: string;
  const registrar = () => tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId });

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('roster');
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), today: TEST_TODAY }),
    );
    [schoolId] = (await seedSchools(service, [school('R01', '220102', { name: '南关区职业教育中心' })])) as [string];
  });

  afterAll(async () => {
    await service?.stop();
    await dropTestDatabase(databaseUrl);
  });

  const importFile = async (rows: Record<string, string | number>[], format: 'xlsx' | 'csv', token = registrar()) =>
    graphql<Report>(
      service.url,
      IMPORT,
      {
        input: {
          schoolId,
          fileName: `roster.${format}`,
          contentBase64: (await buildRosterFile(rows, format)).toString('base64'),
        },
      },
      token,
    );

  it('registers every valid row, reports every invalid one by row, column and rule, and re-imports to no effect', async () => {
    const rows = [
      line(1),
      line(2, { 出生日期: '2011-01-01' }), // ENR-2: the card says otherwise
      line(3),
      line(4, { 专业代码: '610101' }), // ENR-16: not approved for the school
      {}, // an empty row is skipped, but rows keep their numbers
      line(5, { 性别: '未知' }),
      line(6),
      line(3, { 姓名: '重复' }), // the same ID number twice in one file
    ];
    const first = await importFile(rows, 'xlsx');
    expect(first.errors).toBeUndefined();
    const report = first.data!.importRoster;
    expect(report).toMatchObject({ rows: 7, registered: 3, alreadyRegistered: 0, rejected: 4 });
    const byRow = Object.fromEntries(report.problems.map((p) => [p.row, p]));
    expect(byRow[3]).toMatchObject({ column: '出生日期', rule: 'ENR-2' });
    expect(byRow[5]).toMatchObject({ column: '专业代码', rule: 'ENR-16' });
    expect(byRow[7]).toMatchObject({ column: '性别' });
    expect(byRow[9]).toMatchObject({ column: '身份证号', rule: 'ENR-6' });
    for (const p of report.problems) {
      expect(p.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.messageEn).toMatch(/[a-z]/i);
    }

    const again = await importFile(rows, 'xlsx');
    expect(again.data!.importRoster).toMatchObject({ rows: 7, registered: 0, alreadyRegistered: 3, rejected: 4 });
    const count: unknown = await service.dataSource.query(
      'SELECT count(*)::int AS n FROM student WHERE school_id = $1',
      [schoolId],
    );
    expect(count).toEqual([{ n: 3 }]);
    const events: unknown = await service.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_message WHERE event_type = 'xueji.enrolment.student.registered.v1'`,
    );
    expect(events).toEqual([{ n: 3 }]);
  });

  it('reads .csv in the same layout', async () => {
    const report = await importFile([line(20), line(21, { 学制: 'three' })], 'csv');
    expect(report.data!.importRoster).toMatchObject({ rows: 2, registered: 1, rejected: 1 });
    expect(report.data!.importRoster.problems[0]).toMatchObject({ row: 3, column: '学制' });
  });

  it('refuses another school’s registrar, and a file that is not a roster, with coded errors', async () => {
    const other = tokenFor({
      subject: 'x',
      role: 'SCHOOL_REGISTRAR',
      schoolId: '00000000-0000-4000-8000-000000000000',
    });
    expect((await importFile([line(30)], 'xlsx', other)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noColumns = await graphql(
      service.url,
      IMPORT,
      { input: { schoolId, fileName: 'roster.csv', contentBase64: Buffer.from('a,b\n1,2\n').toString('base64') } },
      registrar(),
    );
    expect(noColumns.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(noColumns.errors?.[0]?.message).toMatch(/姓名/);
  });

  it('ENR-19: exports the registration roster as .xlsx sorted by major, class, student number', async () => {
    const exported = await graphql<{ registrationRoster: { fileName: string; contentBase64: string; rows: number } }>(
      service.url,
      `
        query ($id: ID!) {
          registrationRoster(schoolId: $id, entryYear: 2026) {
            fileName
            contentBase64
            rows
          }
        }
      `,
      { id: schoolId },
      registrar(),
    );
    expect(exported.errors).toBeUndefined();
    const roster = exported.data!.registrationRoster;
    expect(roster.rows).toBe(4);
    const workbook = new Workbook();
    await workbook.xlsx.load(Buffer.from(roster.contentBase64, 'base64') as never);
    const values: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) =>
      values.push(
        (row.values as unknown[]).slice(1).map((v) => String((v as string | number | null | undefined) ?? '')),
      ),
    );
    const header = values.findIndex((v) => v.includes('专业代码'));
    const majorCol = values[header]!.indexOf('专业代码');
    const classCol = values[header]!.indexOf('班级');
    const data = values.slice(header + 1, header + 1 + roster.rows).map((v) => `${v[majorCol]}/${v[classCol]}`);
    expect(data).toEqual([...data].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN', { numeric: true })));
    expect(values.flat().join(' ')).toMatch(/校长签字/);
    const reviewer = tokenFor({ subject: 'r', role: 'AUTHORITY_REVIEWER', regionCode: '350000' });
    const refused = await graphql(
      service.url,
      `
        query ($id: ID!) {
          registrationRoster(schoolId: $id, entryYear: 2026) {
            rows
          }
        }
      `,
      { id: schoolId },
      reviewer,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps every row to the limits of a registration, reporting the row and column (issue 10)', async () => {
    const rows = [
      line(41, { 姓名: '张\u202E三' }),
      line(42, { 家庭住址: '长'.repeat(100_000) }),
      line(43, { 入学日期: '9999-12-31' }),
      line(44),
    ];
    const answer = await importFile(rows, 'csv');
    expect(answer.errors).toBeUndefined();
    const report = answer.data!.importRoster;
    expect(report).toMatchObject({ rows: 4, registered: 1, rejected: 3 });
    expect(report.problems.map((p) => [p.row, p.column])).toEqual([
      [2, '姓名'],
      [3, '家庭住址'],
      [4, '入学日期'],
    ]);
    const stored: unknown = await service.dataSource.query(
      'SELECT count(*)::int AS n FROM student WHERE id_number = ANY($1)',
      [rows.slice(0, 3).map((r) => r['身份证号'])],
    );
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('refuses the largest .xlsx a request can carry when its rows pass the limit, fast and in little memory (issue 10)', async () => {
    // 250,000 one-cell rows: 1.35 MB, in Base64 within the request body limit (3 MiB and a little more).
    const content = await streamedWorkbook(250_000, 'x');
    const contentBase64 = content.toString('base64');
    expect(contentBase64.length).toBeLessThan(2 * 1024 * 1024);
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const answer = await graphql(
      service.url,
      IMPORT,
      { input: { schoolId, fileName: 'huge.xlsx', contentBase64 } },
      registrar(),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { maxRows: 20000 } });
    expect(answer.errors?.[0]?.message).toMatch(/huge\.xlsx/);
  }, 60_000);

  it('answers other queries within a second or two while two large imports are sent at once; one runs at a time (issue 10)', async () => {
    const rows = (from: number) => Array.from({ length: 1_500 }, (_, i) => line(from + i));
    const files = [await buildRosterFile(rows(10_000), 'xlsx'), await buildRosterFile(rows(20_000), 'xlsx')];
    let importing = true;
    const imports = Promise.all(
      files.map((file, i) =>
        graphql<Report>(
          service.url,
          IMPORT,
          { input: { schoolId, fileName: `large-${i}.xlsx`, contentBase64: file.toString('base64') } },
          registrar(),
        ),
      ),
    ).finally(() => (importing = false));
    const latencies: number[] = [];
    while (importing) {
      const started = Date.now();
      const answer = await graphql<{ majorCategories: unknown[] }>(service.url, '{ majorCategories { code } }');
      latencies.push(Date.now() - started);
      expect(answer.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reports = await imports;
    // One import at a time in a process: the other waited a second for its turn, or was refused as retryable.
    for (const [i, report] of reports.entries()) {
      if (report.errors) {
        expect(report.errors[0]!.extensions).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          retryable: true,
          details: { operation: 'IMPORT_ROSTER', maxConcurrent: 1 },
        });
        const retried = await graphql<Report>(
          service.url,
          IMPORT,
          { input: { schoolId, fileName: `large-${i}.xlsx`, contentBase64: files[i]!.toString('base64') } },
          registrar(),
        );
        expect(retried.errors).toBeUndefined();
        expect(retried.data!.importRoster).toMatchObject({ rows: 1_500, registered: 1_500 });
      } else {
        expect(report.data!.importRoster).toMatchObject({ rows: 1_500, registered: 1_500 });
      }
    }
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
  }, 120_000);
});
