/**
 * The registration roster's column layout (新生入学注册名单): one student a row, Chinese headers
 * (English aliases accepted, case-insensitively), values mapped to a `RegistrationInput`.
 * Only the shape of each cell is checked here; the ENR rules judge the result (domain/registration).
 */
import type { EntryLevel, Household, Intake, Origin, Programme, Sex, StudyForm } from '@xueji/vocabulary';
import type { RegistrationInput } from '../domain/registration';

/** A problem with one cell (or, with `column` null, with the row as a whole). */
export interface RowProblem {
  column: string | null;
  messageZh: string;
  messageEn: string;
}

export interface RosterColumn {
  /** The Chinese header, as written in templates and reported in problems. */
  header: string;
  /** The `RegistrationInput` field, also accepted as an English header. */
  field: keyof RegistrationInput;
  required: boolean;
  /** Allowed values, for messages: the Chinese labels and the equivalent enum names. */
  choices?: { zh: string; en: string };
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { header: '姓名', field: 'name', required: true },
  { header: '性别', field: 'sex', required: true, choices: { zh: '男/女', en: 'MALE/FEMALE' } },
  { header: '出生日期', field: 'birthDate', required: true },
  { header: '身份证号', field: 'idNumber', required: true },
  { header: '民族', field: 'ethnicity', required: false },
  {
    header: '户口性质',
    field: 'household',
    required: false,
    choices: { zh: '农村/城镇/城镇困难', en: 'RURAL/URBAN/URBAN_ECONOMIC_DIFFICULTY' },
  },
  { header: '家庭住址', field: 'address', required: false },
  { header: '联系电话', field: 'contact', required: false },
  { header: '照片', field: 'photoRef', required: false },
  { header: '入学日期', field: 'entryDate', required: true },
  { header: '入学批次', field: 'intake', required: true, choices: { zh: '春季/秋季', en: 'SPRING/AUTUMN' } },
  {
    header: '入学起点',
    field: 'entryLevel',
    required: false,
    choices: { zh: '小学/初中/高中/社会', en: 'PRIMARY/JUNIOR/SENIOR/ADULT' },
  },
  { header: '应届初中毕业', field: 'freshJuniorGraduate', required: false, choices: { zh: '是/否', en: 'TRUE/FALSE' } },
  {
    header: '学习形式',
    field: 'studyForm',
    required: false,
    choices: { zh: '全日制/非全日制/弹性', en: 'FULL_TIME/PART_TIME/FLEXIBLE' },
  },
  {
    header: '培养模式',
    field: 'programme',
    required: false,
    choices: { zh: '普通/3+2/五年一贯制/贯通', en: 'REGULAR/THREE_PLUS_TWO/INTEGRATED' },
  },
  { header: '合作高校', field: 'partnerCollege', required: false },
  { header: '专业代码', field: 'majorCode', required: false },
  { header: '专业大类代码', field: 'majorCategoryCode', required: false },
  { header: '班级', field: 'className', required: false },
  { header: '学制', field: 'expectedYears', required: true },
  {
    header: '国籍地区',
    field: 'origin',
    required: false,
    choices: { zh: '内地/香港/澳门/台湾/外籍', en: 'MAINLAND/HONG_KONG/MACAO/TAIWAN/FOREIGN' },
  },
];

/** Headers of the import layout, in order: for templates and generated files. */
export const ROSTER_HEADERS: readonly string[] = ROSTER_COLUMNS.map((c) => c.header);
export const REQUIRED_HEADERS: readonly string[] = ROSTER_COLUMNS.filter((c) => c.required).map((c) => c.header);

/** The ID-number column: read as text, never as a number (ENR-2, ENR-6). */
export const ID_NUMBER_HEADER = '身份证号';
/** Columns holding dates: Excel date cells and serial numbers are accepted there. */
export const DATE_HEADERS: readonly string[] = ['出生日期', '入学日期'];

const byAlias = new Map<string, RosterColumn>();
for (const c of ROSTER_COLUMNS) {
  byAlias.set(c.header, c);
  byAlias.set(c.field.toLowerCase(), c);
}
const byField = new Map<string, RosterColumn>(ROSTER_COLUMNS.map((c) => [c.field, c]));

/** The Chinese header a file's header cell stands for (`idNumber`, `ID_NUMBER `, `*身份证号` → 身份证号), or null. */
export function canonicalHeader(raw: string): string | null {
  const key = raw.replace(/[\s*＊]/g, '').toLowerCase();
  return byAlias.get(key)?.header ?? null;
}

/** The header of the column a `RegistrationInput` field comes from (for rule breaches' `field`). */
export function headerOfField(field: string | undefined | null): string | null {
  return field ? (byField.get(field)?.header ?? null) : null;
}

const choice = <T extends string>(entries: Record<string, T>) => {
  const map = new Map<string, T>();
  for (const [label, value] of Object.entries(entries)) {
    map.set(label.toLowerCase(), value);
    map.set(value.toLowerCase(), value);
  }
  return (raw: string): T | undefined => map.get(raw.replace(/\s/g, '').toLowerCase());
};

const SEX = choice<Sex>({ 男: 'MALE', 女: 'FEMALE' });
const HOUSEHOLD = choice<Household>({ 农村: 'RURAL', 城镇: 'URBAN', 城镇困难: 'URBAN_ECONOMIC_DIFFICULTY' });
const INTAKE = choice<Intake>({ 春季: 'SPRING', 春: 'SPRING', 秋季: 'AUTUMN', 秋: 'AUTUMN' });
const ENTRY_LEVEL = choice<EntryLevel>({ 小学: 'PRIMARY', 初中: 'JUNIOR', 高中: 'SENIOR', 社会: 'ADULT' });
const YES_NO = choice({ 是: 'YES', 否: 'NO', true: 'YES', false: 'NO', y: 'YES', n: 'NO' } as const);
const STUDY_FORM = choice<StudyForm>({
  全日制: 'FULL_TIME',
  非全日制: 'PART_TIME',
  弹性: 'FLEXIBLE',
  弹性学习: 'FLEXIBLE',
});
const PROGRAMME = choice<Programme>({
  普通: 'REGULAR',
  '3+2': 'THREE_PLUS_TWO',
  五年一贯制: 'INTEGRATED',
  贯通: 'INTEGRATED',
  贯通培养: 'INTEGRATED',
});
const ORIGIN = choice<Origin>({ 内地: 'MAINLAND', 香港: 'HONG_KONG', 澳门: 'MACAO', 台湾: 'TAIWAN', 外籍: 'FOREIGN' });

/** `YYYY-MM-DD` of a real day (never throws, unlike `new Date(...).toISOString()` on 2009-13-01). */
function realDay(iso: string): string | null {
  const time = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === iso ? iso : null;
}

/** `2009-09-01`, `2009/9/1`, `2009-9-1`, `2009.9.1` → `2009-09-01`; an Excel serial where the cell was a number. */
export function normaliseDate(raw: string, numericCell = false): string | null {
  const text = raw.trim();
  if (numericCell && /^\d{1,6}(\.\d+)?$/.test(text)) {
    // Excel's 1900 date system: serial 25569 is 1970-01-01.
    const date = new Date(Math.round((Number(text) - 25569) * 86_400_000));
    return Number.isNaN(date.getTime()) ? null : realDay(date.toISOString().slice(0, 10));
  }
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (!m) return null;
  return realDay(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
}

/**
 * One parsed row (header → cell text) as a registration of `schoolId`, or the problems found in
 * its cells. `numericCells` names the cells the spreadsheet held as numbers: an ID number stored
 * as a number has lost its last digits (Excel keeps 15 significant digits) and cannot be trusted.
 */
export function rowToRegistration(
  values: Readonly<Record<string, string>>,
  schoolId: string,
  numericCells: readonly string[] = [],
): { ok: true; input: RegistrationInput } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (column: string, zh: string, en: string) => problems.push({ column, messageZh: zh, messageEn: en });
  const text = (header: string): string => (values[header] ?? '').trim();
  const optional = (header: string): string | null => text(header) || null;

  for (const c of ROSTER_COLUMNS) {
    if (c.required && !text(c.header)) problem(c.header, `${c.header}为必填项`, `${c.field} is required`);
  }

  const enumOf = <T>(header: string, read: (raw: string) => T | undefined): T | undefined => {
    const raw = text(header);
    if (!raw) return undefined;
    const value = read(raw);
    if (value === undefined) {
      const c = ROSTER_COLUMNS.find((col) => col.header === header)!;
      problem(
        header,
        `${header}“${raw}”无效，应为：${c.choices!.zh}`,
        `${c.field} "${raw}" is not one of ${c.choices!.zh} (${c.choices!.en})`,
      );
    }
    return value;
  };
  const dateOf = (header: string): string => {
    const raw = text(header);
    if (!raw) return '';
    const iso = normaliseDate(raw, numericCells.includes(header));
    if (!iso) problem(header, `${header}“${raw}”应为 YYYY-MM-DD 日期`, `${header} "${raw}" must be a date YYYY-MM-DD`);
    return iso ?? '';
  };

  let idNumber = text(ID_NUMBER_HEADER);
  if (idNumber && (numericCells.includes(ID_NUMBER_HEADER) || /^\d(\.\d+)?e\+?\d+$/i.test(idNumber))) {
    problem(
      ID_NUMBER_HEADER,
      '身份证号被保存为数字，末几位已丢失：请将该列设置为“文本”格式后重新填写',
      'The ID number was stored as a number and lost its last digits: format the column as text and enter it again',
    );
    idNumber = '';
  }

  const sex = enumOf('性别', SEX);
  const birthDate = dateOf('出生日期');
  const entryDate = dateOf('入学日期');
  const intake = enumOf('入学批次', INTAKE);
  const household = enumOf('户口性质', HOUSEHOLD);
  const entryLevel = enumOf('入学起点', ENTRY_LEVEL);
  const fresh = enumOf('应届初中毕业', YES_NO);
  const studyForm = enumOf('学习形式', STUDY_FORM);
  const programme = enumOf('培养模式', PROGRAMME);
  const origin = enumOf('国籍地区', ORIGIN);

  const yearsText = text('学制').replace(/年$/, '');
  const expectedYears = Number(yearsText);
  if (yearsText && !/^\d+$/.test(yearsText)) {
    problem(
      '学制',
      `学制“${text('学制')}”应为整数年`,
      `expectedYears "${text('学制')}" must be a whole number of years`,
    );
  }

  const majorCode = optional('专业代码');
  const majorCategoryCode = optional('专业大类代码');
  // Catalogue codes nest: a major's first two digits are its category. Two that disagree are a typo.
  if (majorCode && majorCategoryCode && !majorCode.startsWith(majorCategoryCode)) {
    problem(
      '专业大类代码',
      `专业大类代码 ${majorCategoryCode} 与专业代码 ${majorCode} 不一致`,
      `Major category ${majorCategoryCode} does not contain major ${majorCode}`,
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      schoolId,
      name: text('姓名'),
      sex: sex!,
      birthDate,
      idNumber,
      origin: origin ?? 'MAINLAND',
      ethnicity: optional('民族'),
      household: household ?? null,
      address: optional('家庭住址'),
      contact: optional('联系电话'),
      photoRef: optional('照片'),
      entryDate,
      intake: intake!,
      entryLevel: entryLevel ?? 'JUNIOR',
      freshJuniorGraduate: fresh === undefined ? true : fresh === 'YES',
      studyForm: studyForm ?? 'FULL_TIME',
      programme: programme ?? 'REGULAR',
      partnerCollege: optional('合作高校'),
      majorCode,
      majorCategoryCode,
      className: optional('班级'),
      expectedYears,
    },
  };
}
