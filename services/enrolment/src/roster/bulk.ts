/**
 * The bulk registration path of the roster import.
 *
 * Why it exists: a single submission spends about eight statements on each student, which caps an
 * import at a few hundred rows a second. A roster of 10,000 students has to go faster (≥ 2,000/s),
 * so here the facts every row needs are loaded in a handful of statements (`reads/registration`),
 * each row is judged in memory by the same domain functions as a single submission
 * (`registrationFacts`, `checkRegistration`, `duplicateCheck`), and accepted rows are written a
 * chunk at a time: one multi-row insert per chunk, and their events in one outbox statement, all in
 * the import's unit of work. The outcome of each row is the one a single submission would give it;
 * the partial unique index still settles races (ENR-7).
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { Principal } from '@xueji/auth';
import type { RuleViolation } from '@xueji/rules';
import type { UnitOfWork } from '@xueji/service-kit';
import { duplicateCheck, enr6RepeatedRow, ENR7_RACE } from '../domain/decisions';
import { normaliseId } from '../domain/id-number';
import { checkRegistration, type RegistrationFacts, type RegistrationInput } from '../domain/registration';
import type { School } from '../entities/school';
import { newRegistrationRecord, registrationFacts } from '../application/registration';
import { insertStudents, registeredEvent } from '../application/student-records';
import { activeHolders, rosterFacts, type CatalogueLookup, type RosterFacts } from '../reads/registration';
import { ROWS_PER_TURN } from './parse';

/** Students written per statement. */
export const INSERT_CHUNK = 1000;

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

/** The catalogue from the preloaded facts. */
function preloadedLookup(school: School, facts: RosterFacts): CatalogueLookup {
  const majorByCode = new Map(facts.majors.map((m) => [m.code, m]));
  const categoryByCode = new Map(facts.categories.map((c) => [c.code, c]));
  return {
    major: async (code) => majorByCode.get(code) ?? null,
    approvedForSchool: async (schoolId, code) => schoolId === school.id && facts.approvedMajorCodes.has(code),
    category: async (code) => categoryByCode.get(code) ?? null,
  };
}

type Judged =
  | { row: number; outcome: 'ACCEPTED'; input: RegistrationInput; facts: RegistrationFacts }
  | Exclude<BulkOutcome, { outcome: 'REGISTERED' }>;

/** Judge one row exactly as a single submission is judged, with the preloaded facts in place of its queries. */
async function judge(
  uow: UnitOfWork<Principal>,
  school: School,
  data: RosterFacts,
  lookup: CatalogueLookup,
  { row, input }: Candidate,
  firstRowOf: Map<string, number>,
): Promise<Judged> {
  const facts = await registrationFacts(lookup, input, 'SUBMISSION', uow.today(), school);
  const breaches = checkRegistration(facts, uow.profile);
  if (breaches.some((b) => b.input)) return { row, outcome: 'REFUSED', breaches };

  // ENR-6: one person, one record — the same person twice in one file is a mistake in the file.
  const first = firstRowOf.get(facts.idNumber);
  if (first !== undefined) return { row, outcome: 'REFUSED', breaches: [enr6RepeatedRow(first)] };
  firstRowOf.set(facts.idNumber, row);

  const duplicates = duplicateCheck(uow.profile, school.id, {
    activeAtSchool: data.activeAt.get(facts.idNumber) ?? null,
    otherStatus: data.otherStatus.get(facts.idNumber) ?? null,
  });
  if (duplicates.sameSchool) return { row, outcome: 'ALREADY_REGISTERED' };
  breaches.push(...duplicates.breaches);
  if (breaches.length > 0) return { row, outcome: 'REFUSED', breaches };
  return { row, outcome: 'ACCEPTED', input, facts };
}

/** Write one chunk of accepted rows, each student with its `registered` event. */
async function registerChunk(
  uow: UnitOfWork<Principal>,
  school: School,
  chunk: Extract<Judged, { outcome: 'ACCEPTED' }>[],
  importId: string,
): Promise<BulkOutcome[]> {
  const records = chunk.map(({ input, facts }) => newRegistrationRecord(input, facts, uow.actor, importId, uow.now()));
  const inserted = new Map((await insertStudents(uow.manager, records)).map((r) => [r.idNumber, r.id]));
  uow.publish(
    ...records.flatMap((r) => {
      const id = inserted.get(r.idNumber!);
      return id
        ? [
            {
              topic: uow.topics.own,
              event: registeredEvent(
                {
                  id,
                  schoolId: school.id,
                  name: r.name!,
                  registeredAt: r.registeredAt!,
                  idNumber: r.idNumber!,
                  birthDate: r.birthDate ?? null,
                  sex: r.sex ?? null,
                },
                school,
              ),
            },
          ]
        : [];
    }),
  );

  // Rows the index turned away: registered meanwhile, here (the same file imported twice at once) or elsewhere.
  const skipped = records.filter((r) => !inserted.has(r.idNumber!)).map((r) => r.idNumber!);
  const holders = skipped.length === 0 ? new Map<string, string>() : await activeHolders(uow.manager, skipped);
  return chunk.map(({ row, facts }): BulkOutcome => {
    if (inserted.has(facts.idNumber)) return { row, outcome: 'REGISTERED' };
    if (holders.get(facts.idNumber) === school.id) return { row, outcome: 'ALREADY_REGISTERED' };
    return { row, outcome: 'REFUSED', breaches: [ENR7_RACE] };
  });
}

/**
 * Register many students of one (active) school in the import's unit of work: the outcome of each
 * row, in the order given. Rows are judged as a single submission is; a row repeating an earlier
 * row's ID number is refused (ENR-6).
 */
export async function registerInBulk(
  uow: UnitOfWork<Principal>,
  school: School,
  candidates: Candidate[],
  importId: string,
  chunkSize = INSERT_CHUNK,
): Promise<BulkOutcome[]> {
  const unique = <T>(values: T[]) => [...new Set(values)];
  const data = await rosterFacts(
    uow.manager,
    school.id,
    unique(candidates.map((c) => normaliseId(c.input.idNumber))),
    unique(candidates.flatMap((c) => (c.input.majorCode ? [c.input.majorCode] : []))),
    unique(candidates.flatMap((c) => (c.input.majorCategoryCode ? [c.input.majorCategoryCode] : []))),
  );
  const lookup = preloadedLookup(school, data);
  const firstRowOf = new Map<string, number>();
  const judged: Judged[] = [];
  for (const candidate of candidates) {
    judged.push(await judge(uow, school, data, lookup, candidate, firstRowOf));
    // judge() awaits only resolved promises: let other callers of the process in now and then.
    if (judged.length % ROWS_PER_TURN === 0) await turn();
  }

  const outcomes = new Map<number, BulkOutcome>();
  const accepted: Extract<Judged, { outcome: 'ACCEPTED' }>[] = [];
  for (const j of judged) {
    if (j.outcome === 'ACCEPTED') accepted.push(j);
    else outcomes.set(j.row, j);
  }
  for (let i = 0; i < accepted.length; i += chunkSize) {
    for (const o of await registerChunk(uow, school, accepted.slice(i, i + chunkSize), importId)) {
      outcomes.set(o.row, o);
    }
  }
  return candidates.map((c) => outcomes.get(c.row)!);
}
