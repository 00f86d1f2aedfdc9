import type { MigrationInterface, QueryRunner } from 'typeorm';

// GRADUATE_LIST_STATES of @xueji/vocabulary as this migration writes it (a landed migration never changes).
const GRADUATE_LIST_STATES = ['SUBMITTED', 'APPROVED', 'VERIFIED', 'REJECTED'] as const;
const GRADUATE_LIST_STATES_BEFORE = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;

const stateCheck = (values: readonly string[]) =>
  `ALTER TABLE graduate_list ADD CONSTRAINT graduate_list_state_check CHECK (state IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * GR-3 (beijing): the city's numbered diploma blanks, handed to a school in ranges drawn from the
 * city-wide sequence (GR-4): a range of numbers never overlaps another (the EXCLUDE constraint, on the
 * 12-digit numbers themselves), `next_number` is the first blank not yet used, and a spoiled blank is
 * voided once. GR-3: the authority's verification stamp (验印) on an approved list's printed diplomas.
 */
export class DiplomaBlanksAndVerification1763800013500 implements MigrationInterface {
  name = 'DiplomaBlanksAndVerification1763800013500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE diploma_blank_range (
        id           uuid        PRIMARY KEY,
        school_id    uuid        NOT NULL,
        year         integer     NOT NULL,
        first_number bigint      NOT NULL,
        last_number  bigint      NOT NULL,
        next_number  bigint      NOT NULL,
        allocated_at timestamptz NOT NULL,
        allocated_by text        NOT NULL,
        CHECK (first_number <= last_number),
        CHECK (next_number BETWEEN first_number AND last_number + 1),
        CHECK (first_number / 100000000 = year AND last_number / 100000000 = year),
        EXCLUDE USING gist (int8range(first_number, last_number, '[]') WITH &&)
      )`);
    // A school's blanks of a year in order: drawn at approval, listed in keyset pages.
    await runner.query(
      `CREATE INDEX diploma_blank_range_school ON diploma_blank_range (school_id, year, first_number)`,
    );
    await runner.query(`
      CREATE TABLE diploma_blank_void (
        number    bigint      PRIMARY KEY,
        range_id  uuid        NOT NULL REFERENCES diploma_blank_range (id),
        reason    text        NOT NULL,
        voided_at timestamptz NOT NULL,
        voided_by text        NOT NULL
      )`);
    await runner.query(`CREATE INDEX diploma_blank_void_range ON diploma_blank_void (range_id, number)`);

    await runner.query(`ALTER TABLE graduate_list DROP CONSTRAINT graduate_list_state_check`);
    await runner.query(stateCheck(GRADUATE_LIST_STATES));
    await runner.query(
      `ALTER TABLE graduate_list ADD COLUMN verified_on date, ADD COLUMN verified_at timestamptz, ADD COLUMN verified_by text`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE graduate_list DROP COLUMN verified_on, DROP COLUMN verified_at, DROP COLUMN verified_by`,
    );
    await runner.query(`ALTER TABLE graduate_list DROP CONSTRAINT graduate_list_state_check`);
    await runner.query(stateCheck(GRADUATE_LIST_STATES_BEFORE));
    await runner.query(`DROP TABLE diploma_blank_void`);
    await runner.query(`DROP TABLE diploma_blank_range`);
  }
}
