/**
 * The bulk registration path of the roster import.
 *
 * Why it exists: `submitOne` spends a transaction and about eight queries on each student, which
 * caps an import at a few hundred rows a second. A roster of 10,000 students has to go faster
 * (≥ 2,000/s), so here the facts every row needs are loaded in a handful of queries, each row is
 * judged in memory by the same domain functions as a single submission (`registrationFacts`,
 * `checkRegistration`, `otherStatusViolation`), and accepted rows are written a chunk at a time:
 * one multi-row insert and one multi-row outbox insert per transaction. The outcome of each row is
 * the one `submitOne` would give it; the partial unique index still settles races (ENR-7).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@xueji/auth';
import { appendManyToOutbox } from '@xueji/outbox';
import type { ServiceContext } from '@xueji/service-kit';
import { otherStatusViolation } from '../domain/lifecycle';
import { checkRegistration, type RegistrationFacts } from '../domain/registration';
import { violation, type RuleViolation } from '../domain/rules';
import type { Major, MajorCategory } from '../entities/major';
import type { School } from '../entities/school';
import { Student } from '../entities/student';
import {
  ENR7_OTHER_SCHOOL,
  ENR7_RACE,
  newRegistrationRecord,
  normaliseId,
  registeredEvent,
  registrationFacts,
  type CatalogueLookup,
  type RegistrationInput,
} from '../resolvers/registration';

/** Students written per transaction. */
export const INSERT_CHUNK = 1000;

const ACTIVE = `registration_status IN ('SUBMITTED', 'APPROVED', 'DEFERRED') AND left_at IS NULL`;

export interface Candidate {
  /** Row number in the file, to report against. */
  row: number;
  input: RegistrationInput;
}

export type BulkOutcome = { row: number } & (
  | { outcome: 'REGISTERED' }
  | { outcome: 'ALREADY_REGISTERED' }
  | { outcome: 'REFUSED'; breaches: RuleViolation[] }
);

type OtherStatus = NonNullable<Parameters<typeof otherStatusViolation>[1]>;

/** What judging the rows needs from the database, loaded once for the whole file. */
interface Preloaded {
  lookup: CatalogueLookup;
  /** ID number → school holding an active status for it (ENR-6/7). */
  activeAt: Map<string, string>;
  /** ID number → a status held in another system (ENR-7), the first by kind as `duplicateBreaches` reads it. */
  otherStatus: Map<string, OtherStatus>;
}

async function preload(dataSource: DataSource, school: School, candidates: Candidate[]): Promise<Preloaded> {
  const ids = [...new Set(candidates.map((c) => normaliseId(c.input.idNumber)))];
  const majorCodes = [...new Set(candidates.flatMap((c) => (c.input.majorCode ? [c.input.majorCode] : [])))];
  const categoryCodes = [
    ...new Set(candidates.flatMap((c) => (c.input.majorCategoryCode ? [c.input.majorCategoryCode] : []))),
  ];
  const [majors, categories, approved, active, other] = (await Promise.all([
    dataSource.query(
      `SELECT code, name, category_code AS "categoryCode", agriculture_related AS "agricultureRelated",
              waiver_excluded AS "waiverExcluded", standard_years AS "standardYears"
         FROM major WHERE code = ANY($1::text[])`,
      [majorCodes],
    ),
    dataSource.query('SELECT code, name FROM major_category WHERE code = ANY($1::text[])', [categoryCodes]),
    dataSource.query('SELECT major_code FROM school_major WHERE school_id = $1', [school.id]),
    dataSource.query(`SELECT id_number, school_id FROM student WHERE id_number = ANY($1::text[]) AND ${ACTIVE}`, [ids]),
    dataSource.query(
      `SELECT DISTINCT ON (id_number) id_number, kind, institution FROM other_status_record
        WHERE id_number = ANY($1::text[]) ORDER BY id_number, kind`,
      [ids],
    ),
  ])) as [
    Major[],
    MajorCategory[],
    { major_code: string }[],
    { id_number: string; school_id: string }[],
    ({ id_number: string } & OtherStatus)[],
  ];
  const majorByCode = new Map(majors.map((m) => [m.code, m]));
  const categoryByCode = new Map(categories.map((c) => [c.code, c]));
  const approvedCodes = new Set(approved.map((a) => a.major_code));
  return {
    lookup: {
      major: async (code) => majorByCode.get(code) ?? null,
      approvedForSchool: async (schoolId, code) => schoolId === school.id && approvedCodes.has(code),
      category: async (code) => categoryByCode.get(code) ?? null,
    },
    activeAt: new Map(active.map((a) => [a.id_number, a.school_id])),
    otherStatus: new Map(other.map(({ id_number, kind, institution }) => [id_number, { kind, institution }])),
  };
}

type Judged =
  | { row: number; outcome: 'ACCEPTED'; input: RegistrationInput; facts: RegistrationFacts }
  | Exclude<BulkOutcome, { outcome: 'REGISTERED' }>;

/** Judge one row exactly as `submitOne` does, with the preloaded facts in place of its queries. */
async function judge(
  ctx: ServiceContext,
  school: School,
  data: Preloaded,
  { row, input }: Candidate,
  firstRowOf: Map<string, number>,
): Promise<Judged> {
  const facts = await registrationFacts(data.lookup, input, 'SUBMISSION', ctx.today(), school);
  const breaches = checkRegistration(facts, ctx.profile);
  if (breaches.some((b) => b.input)) return { row, outcome: 'REFUSED', breaches };

  // ENR-6: one person, one record — the same person twice in one file is a mistake in the file.
  const first = firstRowOf.get(facts.idNumber);
  if (first !== undefined) {
    const duplicate = violation(
      'ENR-6',
      `身份证号与第 ${first} 行重复，同一学生只能注册一次`,
      `The ID number repeats row ${first}; a student is registered once`,
      'idNumber',
    );
    return { row, outcome: 'REFUSED', breaches: [duplicate] };
  }
  firstRowOf.set(facts.idNumber, row);

  const holder = data.activeAt.get(facts.idNumber);
  if (holder === school.id) return { row, outcome: 'ALREADY_REGISTERED' };
  if (holder) {
    breaches.push(ENR7_OTHER_SCHOOL);
  } else {
    breaches.push(...otherStatusViolation(ctx.profile, data.otherStatus.get(facts.idNumber) ?? null));
  }
  if (breaches.length > 0) return { row, outcome: 'REFUSED', breaches };
  return { row, outcome: 'ACCEPTED', input, facts };
}

/** Student columns of a new record, read from the entity so the insert cannot drift from it. */
function insertColumns(dataSource: DataSource, record: Partial<Student>) {
  // A column that is also a relation's join column (school_id, major_code) is listed once per mapping.
  const columns = new Map<string, { property: keyof Student; name: string; type: string }>();
  for (const c of dataSource.getMetadata(Student).columns) {
    if (c.propertyName in record && !columns.has(c.databaseName)) {
      columns.set(c.databaseName, {
        property: c.propertyName as keyof Student,
        name: c.databaseName,
        type: dataSource.driver.normalizeType(c),
      });
    }
  }
  return [...columns.values()];
}

/**
 * One multi-row insert: every column as one array parameter (`unnest`), so a chunk is a single
 * statement of a few dozen parameters. A row whose ID number gained an active status since the
 * preload (a concurrent registration) is skipped by the partial unique index and not returned.
 */
async function insertStudents(
  manager: EntityManager,
  records: Partial<Student>[],
): Promise<{ id: string; id_number: string }[]> {
  const columns = insertColumns(manager.connection, records[0]!);
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const params = columns.map(({ property }) =>
    records.map((r) => {
      const value = r[property];
      return value instanceof Date ? value.toISOString() : (value ?? null);
    }),
  );
  return (await manager.query(
    `INSERT INTO student (${names})
     SELECT * FROM unnest(${arrays}) AS t(${names})
     ON CONFLICT (id_number) WHERE ${ACTIVE} DO NOTHING
     RETURNING id, id_number`,
    params,
  )) as { id: string; id_number: string }[];
}

/** Write accepted rows a chunk per transaction, each student with its `registered` event. */
async function registerChunk(
  ctx: ServiceContext,
  principal: Principal,
  school: School,
  chunk: Extract<Judged, { outcome: 'ACCEPTED' }>[],
  importId: string,
): Promise<BulkOutcome[]> {
  const records = chunk.map(({ input, facts }) => newRegistrationRecord(input, facts, principal, importId));
  return ctx.dataSource.transaction(async (manager) => {
    const inserted = new Map((await insertStudents(manager, records)).map((r) => [r.id_number, r.id]));
    const events = records.flatMap((r) => {
      const id = inserted.get(r.idNumber!);
      return id
        ? [
            registeredEvent(
              { id, schoolId: school.id, name: r.name!, registeredAt: r.registeredAt!, idNumber: r.idNumber! },
              school,
            ),
          ]
        : [];
    });
    await appendManyToOutbox(manager, ctx.topics.own, events);

    // Rows the index turned away: registered meanwhile, here (the same file imported twice at once) or elsewhere.
    const skipped = records.filter((r) => !inserted.has(r.idNumber!)).map((r) => r.idNumber!);
    const holders =
      skipped.length === 0
        ? new Map<string, string>()
        : new Map(
            (
              (await manager.query(
                `SELECT id_number, school_id FROM student WHERE id_number = ANY($1::text[]) AND ${ACTIVE}`,
                [skipped],
              )) as { id_number: string; school_id: string }[]
            ).map((h) => [h.id_number, h.school_id]),
          );
    return chunk.map(({ row, facts }): BulkOutcome => {
      if (inserted.has(facts.idNumber)) return { row, outcome: 'REGISTERED' };
      if (holders.get(facts.idNumber) === school.id) return { row, outcome: 'ALREADY_REGISTERED' };
      return { row, outcome: 'REFUSED', breaches: [ENR7_RACE] };
    });
  });
}

/**
 * Register many students of one (active) school: the outcome of each row, in the order given.
 * Rows are judged as `submitOne` judges them; a row repeating an earlier row's ID number is refused (ENR-6).
 */
export async function registerInBulk(
  ctx: ServiceContext,
  principal: Principal,
  school: School,
  candidates: Candidate[],
  importId: string,
  chunkSize = INSERT_CHUNK,
): Promise<BulkOutcome[]> {
  const data = await preload(ctx.dataSource, school, candidates);
  const firstRowOf = new Map<string, number>();
  const judged: Judged[] = [];
  for (const candidate of candidates) judged.push(await judge(ctx, school, data, candidate, firstRowOf));

  const outcomes = new Map<number, BulkOutcome>();
  const accepted: Extract<Judged, { outcome: 'ACCEPTED' }>[] = [];
  for (const j of judged) {
    if (j.outcome === 'ACCEPTED') accepted.push(j);
    else outcomes.set(j.row, j);
  }
  for (let i = 0; i < accepted.length; i += chunkSize) {
    for (const o of await registerChunk(ctx, principal, school, accepted.slice(i, i + chunkSize), importId)) {
      outcomes.set(o.row, o);
    }
  }
  return candidates.map((c) => outcomes.get(c.row)!);
}
