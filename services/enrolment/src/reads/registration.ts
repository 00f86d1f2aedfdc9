/**
 * What judging a registration reads, inside the command's transaction: the catalogue, the school's
 * approvals, and the same person's records here and in other systems (ENR-6/7). One record at a
 * time for a single submission; a whole roster file at once for an import.
 */
import type { EntityManager } from 'typeorm';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import type { OtherStatusKind } from '@xueji/vocabulary';
import { Major, MajorCategory } from '../entities/major';

/** A registration in force holds the person's one status (ENR-7); the partial unique index says the same. */
const ACTIVE = `registration_status IN ('SUBMITTED', 'APPROVED', 'DEFERRED') AND left_at IS NULL`;

/** Where the rules look up the catalogue and the school's approved majors (the database, or preloaded maps). */
export interface CatalogueLookup {
  major(code: string): Promise<Major | null>;
  approvedForSchool(schoolId: string, majorCode: string): Promise<boolean>;
  category(code: string): Promise<MajorCategory | null>;
}

/** The catalogue as the database holds it, one look-up at a time. */
export function databaseLookup(manager: EntityManager): CatalogueLookup {
  return {
    major: (code) => manager.getRepository(Major).findOneBy({ code }),
    approvedForSchool: async (schoolId, code) =>
      (await selectOne<{ approved: number }>(
        manager,
        'SELECT 1 AS approved FROM school_major WHERE school_id = $1 AND major_code = $2',
        [schoolId, code],
      )) !== null,
    category: (code) => manager.getRepository(MajorCategory).findOneBy({ code }),
  };
}

/** The school holding an active status for this ID number (another record than `exceptStudentId`), if any. */
export async function activeSchoolOf(
  db: Queryable,
  idNumber: string,
  exceptStudentId?: string,
): Promise<string | null> {
  const row = await selectOne<{ schoolId: string }>(
    db,
    `SELECT school_id AS "schoolId" FROM student
      WHERE id_number = $1 AND ${ACTIVE} AND ($2::uuid IS NULL OR id <> $2::uuid)
      LIMIT 1`,
    [idNumber, exceptStudentId ?? null],
  );
  return row?.schoolId ?? null;
}

/** A status of another kind held in another system (ENR-7), from the imported list. */
export interface OtherStatusRow {
  kind: OtherStatusKind;
  institution: string;
}

/** The first status (by kind) this ID number holds in another system, if any. */
export const otherStatusOf = (db: Queryable, idNumber: string) =>
  selectOne<OtherStatusRow>(
    db,
    'SELECT kind, institution FROM other_status_record WHERE id_number = $1 ORDER BY kind LIMIT 1',
    [idNumber],
  );

/** Is this teaching point a named point of this school (ENR-20)? */
export const isTeachingPointOf = async (db: Queryable, schoolId: string, teachingPointId: string) =>
  (await selectOne<{ found: number }>(db, 'SELECT 1 AS found FROM teaching_point WHERE id = $1 AND school_id = $2', [
    teachingPointId,
    schoolId,
  ])) !== null;

/** What judging a whole roster file needs, loaded in a handful of statements. */
export interface RosterFacts {
  majors: Major[];
  categories: MajorCategory[];
  /** Majors the school is approved for (ENR-16). */
  approvedMajorCodes: Set<string>;
  /** ID number → school holding an active status for it (ENR-6/7). */
  activeAt: Map<string, string>;
  /** ID number → a status held in another system (ENR-7), the first by kind as `otherStatusOf` reads it. */
  otherStatus: Map<string, OtherStatusRow>;
}

export async function rosterFacts(
  db: Queryable,
  schoolId: string,
  idNumbers: string[],
  majorCodes: string[],
  categoryCodes: string[],
): Promise<RosterFacts> {
  const majors = await selectRows<Major>(
    db,
    `SELECT code, name, category_code AS "categoryCode", agriculture_related AS "agricultureRelated",
            waiver_excluded AS "waiverExcluded", standard_years AS "standardYears"
       FROM major WHERE code = ANY($1::text[])`,
    [majorCodes],
  );
  const categories = await selectRows<MajorCategory>(
    db,
    'SELECT code, name FROM major_category WHERE code = ANY($1::text[])',
    [categoryCodes],
  );
  const approved = await selectRows<{ majorCode: string }>(
    db,
    'SELECT major_code AS "majorCode" FROM school_major WHERE school_id = $1',
    [schoolId],
  );
  const other = await selectRows<{ idNumber: string } & OtherStatusRow>(
    db,
    `SELECT DISTINCT ON (id_number) id_number AS "idNumber", kind, institution FROM other_status_record
      WHERE id_number = ANY($1::text[]) ORDER BY id_number, kind`,
    [idNumbers],
  );
  return {
    majors,
    categories,
    approvedMajorCodes: new Set(approved.map((a) => a.majorCode)),
    activeAt: await activeHolders(db, idNumbers),
    otherStatus: new Map(other.map(({ idNumber, kind, institution }) => [idNumber, { kind, institution }])),
  };
}

/** ID number → the school holding an active status for it, for many ID numbers in one statement. */
export async function activeHolders(db: Queryable, idNumbers: string[]): Promise<Map<string, string>> {
  const rows = await selectRows<{ idNumber: string; schoolId: string }>(
    db,
    `SELECT id_number AS "idNumber", school_id AS "schoolId" FROM student WHERE id_number = ANY($1::text[]) AND ${ACTIVE}`,
    [idNumbers],
  );
  return new Map(rows.map((r) => [r.idNumber, r.schoolId]));
}
