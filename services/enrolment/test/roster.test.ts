import { Workbook } from 'exceljs';
import { CodedError } from '@xueji/errors';
import { checkCharacter } from '../src/domain/id-number';
import {
  buildRosterFile,
  canonicalHeader,
  headerOfField,
  MAX_ROSTER_ROWS,
  MAX_XLSX_UNZIPPED_BYTES,
  normaliseDate,
  parseRoster,
  REQUIRED_HEADERS,
  ROSTER_HEADERS,
  rowToRegistration,
} from '../src/roster';
import { streamedWorkbook } from './streamed-workbook';

const SCHOOL = '00000000-0000-4000-8000-000000000001';

function idNumber(birth: string, sequence: string): string {
  const first17 = `220102${birth.replace(/-/g, '')}${sequence}`;
  return first17 + checkCharacter(first17);
}

const student = (overrides: Record<string, string | number> = {}): Record<string, string | number> => ({
  姓名: '王伟',
  性别: '男',
  出生日期: '2010-09-01',
  身份证号: idNumber('2010-09-01', '123'),
  入学日期: '2026-09-01',
  入学批次: '秋季',
  学制: 3,
  专业代码: '660301',
  班级: '2026级1班',
  ...overrides,
});

async function expectBadInput(promise: Promise<unknown>, fragment: RegExp): Promise<CodedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CodedError);
  expect((error as CodedError).code).toBe('BAD_USER_INPUT');
  expect((error as CodedError).message).toMatch(fragment);
  return error as CodedError;
}

describe('roster columns', () => {
  it('accepts Chinese headers and English aliases in any case, ignoring marks of required columns', () => {
    expect(canonicalHeader('身份证号')).toBe('身份证号');
    expect(canonicalHeader('idNumber')).toBe('身份证号');
    expect(canonicalHeader(' IDNUMBER ')).toBe('身份证号');
    expect(canonicalHeader('*姓名')).toBe('姓名');
    expect(canonicalHeader('majorCategoryCode')).toBe('专业大类代码');
    expect(canonicalHeader('备注')).toBeNull();
    expect(headerOfField('expectedYears')).toBe('学制');
    expect(headerOfField(undefined)).toBeNull();
  });

  it('lists the required columns in the import layout', () => {
    expect(REQUIRED_HEADERS).toEqual(['姓名', '性别', '出生日期', '身份证号', '入学日期', '入学批次', '学制']);
    expect(ROSTER_HEADERS).toEqual(expect.arrayContaining([...REQUIRED_HEADERS, '户口性质', '培养模式', '国籍地区']));
  });

  it('reads dates in the accepted forms and Excel serials only from numeric cells', () => {
    expect(normaliseDate('2010-09-01')).toBe('2010-09-01');
    expect(normaliseDate('2010/9/1')).toBe('2010-09-01');
    expect(normaliseDate('2010-02-30')).toBeNull();
    expect(normaliseDate('40422', true)).toBe('2010-09-01');
    expect(normaliseDate('40422')).toBeNull();
  });

  it('maps labels and enum names to the registration input, with the defaults', () => {
    const values = Object.fromEntries(Object.entries(student()).map(([k, v]) => [k, String(v)]));
    const plain = rowToRegistration(values, SCHOOL);
    expect(plain).toEqual({
      ok: true,
      input: expect.objectContaining({
        schoolId: SCHOOL,
        sex: 'MALE',
        intake: 'AUTUMN',
        expectedYears: 3,
        entryLevel: 'JUNIOR',
        freshJuniorGraduate: true,
        studyForm: 'FULL_TIME',
        programme: 'REGULAR',
        origin: 'MAINLAND',
        household: null,
        majorCode: '660301',
      }) as unknown,
    });

    const mapped = rowToRegistration(
      {
        ...values,
        性别: 'female',
        出生日期: '2010/9/1',
        户口性质: '城镇困难',
        入学批次: 'SPRING',
        入学起点: '高中',
        应届初中毕业: '否',
        学习形式: '弹性',
        培养模式: '3+2',
        国籍地区: '香港',
      },
      SCHOOL,
    );
    expect(mapped).toEqual({
      ok: true,
      input: expect.objectContaining({
        sex: 'FEMALE',
        birthDate: '2010-09-01',
        household: 'URBAN_ECONOMIC_DIFFICULTY',
        intake: 'SPRING',
        entryLevel: 'SENIOR',
        freshJuniorGraduate: false,
        studyForm: 'FLEXIBLE',
        programme: 'THREE_PLUS_TWO',
        origin: 'HONG_KONG',
      }) as unknown,
    });
    expect(rowToRegistration({ ...values, 培养模式: '五年一贯制' }, SCHOOL)).toMatchObject({
      input: { programme: 'INTEGRATED' },
    });
    expect(rowToRegistration({ ...values, 培养模式: '贯通' }, SCHOOL)).toMatchObject({
      input: { programme: 'INTEGRATED' },
    });
    expect(rowToRegistration({ ...values, 入学起点: '社会' }, SCHOOL)).toMatchObject({
      input: { entryLevel: 'ADULT' },
    });
  });

  it('reports every bad cell of a row by its Chinese header', () => {
    const mapped = rowToRegistration(
      {
        姓名: '李娜',
        性别: '女生',
        出生日期: '2010.13.01',
        身份证号: '',
        入学日期: '2026-09-01',
        入学批次: '冬季',
        学制: '三',
      },
      SCHOOL,
    );
    expect(mapped.ok).toBe(false);
    const columns = mapped.ok ? [] : mapped.problems.map((p) => p.column);
    expect(columns.sort()).toEqual(['入学批次', '学制', '出生日期', '性别', '身份证号'].sort());
    if (!mapped.ok) {
      for (const p of mapped.problems) {
        expect(p.messageZh).toBeTruthy();
        expect(p.messageEn).toBeTruthy();
      }
    }
  });

  it('refuses an ID number that came as a number or in scientific notation', () => {
    const values = { ...Object.fromEntries(Object.entries(student()).map(([k, v]) => [k, String(v)])) };
    const numeric = rowToRegistration(values, SCHOOL, ['身份证号']);
    expect(numeric).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          column: '身份证号',
          messageEn: expect.stringMatching(/format the column as text/) as unknown,
        }),
      ],
    });
    const scientific = rowToRegistration({ ...values, 身份证号: '2.20102201009E+17' }, SCHOOL);
    expect(scientific).toMatchObject({ ok: false, problems: [{ column: '身份证号' }] });
  });
});

describe.each(['xlsx', 'csv'] as const)('parseRoster (.%s made by buildRosterFile)', (format) => {
  const file = `roster.${format}`;

  it('reads rows under their headers, with file row numbers that count empty rows', async () => {
    const content = await buildRosterFile(
      [
        student(),
        {},
        student({
          姓名: '李娜',
          性别: '女',
          身份证号: idNumber('2010-03-05', '124'),
          出生日期: '2010-03-05',
          家庭住址: '长春市, "南关区"',
        }),
        {},
        {},
        student({ 姓名: '张敏' }),
      ],
      format,
    );
    const parsed = await parseRoster(file, content);
    expect(parsed.header).toEqual(Object.keys(student()).concat('家庭住址'));
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 4, 7]);
    expect(parsed.rows[1]!.values).toMatchObject({
      姓名: '李娜',
      身份证号: idNumber('2010-03-05', '124'),
      家庭住址: '长春市, "南关区"',
    });
    expect(parsed.rows[0]!.values.学制).toBe('3');
    expect(parsed.rows[0]!.numericCells).toBeUndefined();
    const mapped = rowToRegistration(parsed.rows[0]!.values, SCHOOL, parsed.rows[0]!.numericCells);
    expect(mapped).toMatchObject({
      ok: true,
      input: { name: '王伟', idNumber: idNumber('2010-09-01', '123'), expectedYears: 3 },
    });
  });

  it('maps English alias headers to the Chinese columns', async () => {
    const english = {
      name: '王伟',
      SEX: 'MALE',
      BirthDate: '2010/9/1',
      idnumber: idNumber('2010-09-01', '123'),
      entryDate: '2026-09-01',
      intake: 'AUTUMN',
      expectedYears: '3',
      studyForm: 'FULL_TIME',
    };
    const parsed = await parseRoster(file, await buildRosterFile([english], format));
    expect(parsed.header).toEqual(['姓名', '性别', '出生日期', '身份证号', '入学日期', '入学批次', '学制', '学习形式']);
    expect(rowToRegistration(parsed.rows[0]!.values, SCHOOL)).toMatchObject({
      ok: true,
      input: { sex: 'MALE', birthDate: '2010-09-01', intake: 'AUTUMN', studyForm: 'FULL_TIME' },
    });
  });

  it('refuses a file without the required columns, naming them', async () => {
    const content = await buildRosterFile([{ 姓名: '王伟', 性别: '男', 出生日期: '2010-09-01', 学制: 3 }], format);
    const error = await expectBadInput(parseRoster(file, content), /身份证号.*入学日期.*入学批次/);
    expect(error.message).toMatch(/idNumber|身份证号/);
    expect(error.extensions.details).toEqual({ missingColumns: ['身份证号', '入学日期', '入学批次'] });
  });

  it('reads a blank template as a header without rows', async () => {
    const parsed = await parseRoster(file, await buildRosterFile([], format));
    expect(parsed.header).toEqual(ROSTER_HEADERS);
    expect(parsed.rows).toEqual([]);
  });
});

describe('parseRoster file handling', () => {
  it('flags an ID number held in a numeric xlsx cell', async () => {
    const content = await buildRosterFile([student({ 身份证号: 220102201009011230 })], 'xlsx');
    const [row] = (await parseRoster('roster.xlsx', content)).rows;
    expect(row!.numericCells).toEqual(['身份证号']);
    expect(rowToRegistration(row!.values, SCHOOL, row!.numericCells)).toMatchObject({
      ok: false,
      problems: [{ column: '身份证号', messageZh: expect.stringContaining('文本') as unknown }],
    });
  });

  it('reads Excel date cells, serial numbers in date columns, rich text and formulas', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '性别', '出生日期', '身份证号', '入学日期', '入学批次', '学制']);
    sheet.addRow([
      { richText: [{ text: '王' }, { text: '伟', font: { bold: true } }] },
      '男',
      new Date(Date.UTC(2010, 8, 1)),
      idNumber('2010-09-01', '123'),
      46266, // 2026-09-01 as an Excel serial in a general-format cell
      '秋季',
      { formula: '1+2', result: 3 },
    ]);
    const [row] = (await parseRoster('dates.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()))).rows;
    expect(row!.values).toMatchObject({ 姓名: '王伟', 出生日期: '2010-09-01', 入学日期: '46266', 学制: '3' });
    expect(row!.numericCells).toEqual(['入学日期']);
    expect(rowToRegistration(row!.values, SCHOOL, row!.numericCells)).toMatchObject({
      ok: true,
      input: { name: '王伟', birthDate: '2010-09-01', entryDate: '2026-09-01', expectedYears: 3 },
    });
  });

  it('reads CSV without a byte-order mark and refuses one that is not UTF-8', async () => {
    const withBom = await buildRosterFile([student()], 'csv');
    const parsed = await parseRoster('r.CSV', withBom.subarray(3));
    expect(parsed.rows[0]!.values.姓名).toBe('王伟');
    const gbkLike = Buffer.concat([Buffer.from('姓名,'), Buffer.from([0xcd, 0xf5])]);
    await expectBadInput(parseRoster('r.csv', gbkLike), /UTF-8/);
  });

  it('refuses other file types and unreadable workbooks', async () => {
    await expectBadInput(parseRoster('roster.xls', Buffer.from('x')), /\.xlsx/);
    await expectBadInput(parseRoster('roster.xlsx', Buffer.from('not a zip')), /roster\.xlsx/);
    await expectBadInput(parseRoster('roster.csv', Buffer.from('')), /empty|为空/);
  });

  it(`accepts at most ${MAX_ROSTER_ROWS} data rows`, async () => {
    const header = REQUIRED_HEADERS.join(',');
    const line = '王伟,男,2010-09-01,x,2026-09-01,秋季,3';
    const ok = Buffer.from([header, ...Array<string>(MAX_ROSTER_ROWS).fill(line)].join('\n'));
    expect((await parseRoster('r.csv', ok)).rows).toHaveLength(MAX_ROSTER_ROWS);
    const tooMany = Buffer.from([header, ...Array<string>(MAX_ROSTER_ROWS + 1).fill(line)].join('\n'));
    await expectBadInput(parseRoster('r.csv', tooMany), /20000/);
  });

  it('refuses a CSV over the row limit while parsing, naming the file and the limit (issue 10)', async () => {
    const content = Buffer.from(['姓名,性别', ...Array<string>(800_000).fill('x,')].join('\n'));
    const started = Date.now();
    const error = await expectBadInput(parseRoster('big.csv', content), /big\.csv.*20000/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.extensions.details).toMatchObject({ maxRows: MAX_ROSTER_ROWS });
  });

  it('refuses an .xlsx of 800,000 near-empty rows before loading it, fast and in little memory (issue 10)', async () => {
    const content = await streamedWorkbook(800_000, 'x');
    // A few MB on the wire: within what a request may carry once Base64-encoded at most twice over.
    expect(content.length).toBeLessThan(5_000_000);
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const error = await expectBadInput(parseRoster('big.xlsx', content), /big\.xlsx.*20000/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    expect(error.extensions.details).toMatchObject({ field: 'contentBase64', maxRows: MAX_ROSTER_ROWS });
  }, 60_000);

  it('refuses an .xlsx over the row limit by one, and reads one at a few rows', async () => {
    await expectBadInput(parseRoster('r.xlsx', await streamedWorkbook(MAX_ROSTER_ROWS + 1, '王伟')), /20000/);
    expect((await parseRoster('r.xlsx', await streamedWorkbook(3, '王伟'))).rows).toHaveLength(3);
  }, 30_000);

  it('refuses a small .xlsx that unzips past the limit (a decompression bomb) before loading it (issue 10)', async () => {
    const content = await streamedWorkbook(20, 'a'.repeat(4_000_000));
    expect(content.length).toBeLessThan(1_000_000);
    const rss = process.memoryUsage().rss;
    const error = await expectBadInput(parseRoster('bomb.xlsx', content), /bomb\.xlsx.*64 MB/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    expect(error.extensions.details).toMatchObject({ maxUnzippedBytes: MAX_XLSX_UNZIPPED_BYTES });
  }, 30_000);

  it('refuses a header naming one column twice', async () => {
    const content = Buffer.from(`${REQUIRED_HEADERS.join(',')},name\n`);
    await expectBadInput(parseRoster('r.csv', content), /姓名/);
  });
});
