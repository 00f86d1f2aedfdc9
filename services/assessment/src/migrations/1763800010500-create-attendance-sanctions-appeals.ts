import { createRequire } from 'node:module';
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const APPEAL_OUTCOMES = ['UPHOLD', 'CHANGE', 'ANNUL'] as const;
const APPEAL_STAGES = ['SCHOOL', 'AUTHORITY'] as const;
const APPEAL_STATES = ['PENDING', 'DECIDED'] as const;
const DECIDING_BODIES = ['SCHOOL_OFFICE', 'PRINCIPAL_OFFICE_MEETING', 'SCHOOL_AFFAIRS_MEETING'] as const;
const EXPULSION_AUTHORITY_STEPS = ['FILING', 'APPROVAL'] as const;
const SANCTION_KINDS = ['WARNING', 'SERIOUS_WARNING', 'DEMERIT', 'PROBATION', 'EXPULSION'] as const;
const SANCTION_STATES = ['PENDING_AUTHORITY', 'EFFECTIVE', 'REJECTED', 'REVOKED', 'ANNULLED'] as const;

/** `'A', 'B'` for a CHECK … IN (…) of a vocabulary list. */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** One year of `chinese-days`' data (`dist/years/YYYY.json`): holidays and adjusted working days (调休). */
interface PackageYear {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The years `chinese-days` ships, read from its per-year files: what the calendar is seeded with. The
 * package's own functions are never used for deadlines: for a year it has no data for they answer
 * Monday–Friday (AS-14 refuses such a deadline instead, see `domain/working-days.ts`).
 */
export function packagedCalendarYears(): { year: number; holidays: string[]; workdays: string[] }[] {
  const require = createRequire(__filename);
  const dir = path.join(path.dirname(require.resolve('chinese-days/package.json')), 'dist', 'years');
  return readdirSync(dir)
    .filter((name) => /^\d{4}\.json$/.test(name))
    .map((name) => {
      const data = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as PackageYear;
      return {
        year: Number(name.slice(0, 4)),
        holidays: Object.keys(data.holidays).sort(),
        workdays: Object.keys(data.workdays).sort(),
      };
    })
    .sort((a, b) => a.year - b.year);
}

/**
 * Part B of assessment: attendance (AS-8: truant hours per semester, absences without leave by day,
 * SC-17), the students' birth dates (AS-11 minors), sanctions with their authority step, notice and
 * revocation (AS-10 … AS-13), appeals (AS-14) and the working-day calendar they are counted on.
 */
export class CreateAttendanceSanctionsAppeals1763800010500 implements MigrationInterface {
  name = 'CreateAttendanceSanctionsAppeals1763800010500';

  async up(runner: QueryRunner): Promise<void> {
    // AS-8: each recording of truant hours is a row of its own (who, when, why); the semester's total is their sum.
    await runner.query(`
      ALTER TABLE attendance_record
        ADD COLUMN recorded_at timestamptz,
        ADD COLUMN recorded_by text,
        ADD COLUMN reason      text`);
    await runner.query(`
      CREATE TABLE absence_day (
        student_id  uuid        NOT NULL,
        day         date        NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text        NOT NULL,
        reason      text,
        PRIMARY KEY (student_id, day)
      )`);
    // SC-17: a run of absence reported once (by its first day), so the threshold event is published once per run.
    await runner.query(`
      CREATE TABLE absence_run_reported (
        student_id  uuid        NOT NULL,
        absent_from date        NOT NULL,
        absent_to   date        NOT NULL,
        reported_at timestamptz NOT NULL,
        PRIMARY KEY (student_id, absent_from)
      )`);
    // AS-11: the birth date enrolment published (optional in its event): a minor on the decision date.
    await runner.query(`
      CREATE TABLE student_birth_date (
        student_id uuid PRIMARY KEY,
        birth_date date NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE sanction (
        id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id           uuid        NOT NULL,
        school_id            uuid        NOT NULL,
        region_code          char(6)     NOT NULL,
        kind                 text        NOT NULL CHECK (kind IN (${list(SANCTION_KINDS)})),
        state                text        NOT NULL CHECK (state IN (${list(SANCTION_STATES)})),
        decided_on           date        NOT NULL,
        deciding_body        text        NOT NULL CHECK (deciding_body IN (${list(DECIDING_BODIES)})),
        reason               text        NOT NULL,
        decision_ref         text        NOT NULL,
        -- AS-11: what the authority does with an expulsion (kept if an appeal later changes the kind).
        authority_step       text        CHECK (authority_step IN (${list(EXPULSION_AUTHORITY_STEPS)})),
        authority_decided_on date,
        authority_decided_by text,
        authority_comment    text,
        effective_on         date,
        notified_on          date,
        notice_ref           text,
        posting_ref          text,
        revoked_on           date,
        revocation_reason    text,
        application_ref      text,
        annulled_on          date,
        recorded_by          text        NOT NULL,
        recorded_at          timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX sanction_student_page ON sanction (student_id, decided_on, id)`);
    // The reviewers' queue: expulsions awaiting the authority, oldest decision first.
    await runner.query(
      `CREATE INDEX sanction_authority_queue ON sanction (decided_on, id) WHERE state = 'PENDING_AUTHORITY'`,
    );
    await runner.query(`
      CREATE TABLE appeal (
        id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        sanction_id           uuid        NOT NULL REFERENCES sanction (id),
        student_id            uuid        NOT NULL,
        school_id             uuid        NOT NULL,
        region_code           char(6)     NOT NULL,
        stage                 text        NOT NULL CHECK (stage IN (${list(APPEAL_STAGES)})),
        state                 text        NOT NULL CHECK (state IN (${list(APPEAL_STATES)})),
        received_on           date        NOT NULL,
        statement_ref         text        NOT NULL,
        answer_due            date,
        outcome               text        CHECK (outcome IN (${list(APPEAL_OUTCOMES)})),
        new_kind              text        CHECK (new_kind IN (${list(SANCTION_KINDS)})),
        decided_on            date,
        decision_ref          text,
        decision_reason       text,
        decided_by            text,
        decision_delivered_on date,
        appeal_deadline       date,
        recorded_by           text        NOT NULL,
        recorded_at           timestamptz NOT NULL,
        UNIQUE (sanction_id, stage)
      )`);
    await runner.query(`CREATE INDEX appeal_student ON appeal (student_id)`);
    // The reviewers' queue: appeals to the authority awaiting an answer, the nearest deadline first.
    await runner.query(
      `CREATE INDEX appeal_authority_queue ON appeal (answer_due, id) WHERE state = 'PENDING' AND stage = 'AUTHORITY'`,
    );
    // AS-14: the national holiday calendar by year, with its adjusted working days (调休); an administrator adds years.
    await runner.query(`
      CREATE TABLE working_day_calendar (
        year        integer     PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        holidays    date[]      NOT NULL,
        workdays    date[]      NOT NULL,
        source      text        NOT NULL,
        recorded_by text        NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    for (const { year, holidays, workdays } of packagedCalendarYears()) {
      await runner.query(
        `INSERT INTO working_day_calendar (year, holidays, workdays, source, recorded_by, recorded_at)
         VALUES ($1, $2::date[], $3::date[], 'chinese-days 1.5.7', 'migration', '2026-12-01T00:00:00Z')`,
        [year, holidays, workdays],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE working_day_calendar`);
    await runner.query(`DROP TABLE appeal`);
    await runner.query(`DROP TABLE sanction`);
    await runner.query(`DROP TABLE student_birth_date`);
    await runner.query(`DROP TABLE absence_run_reported`);
    await runner.query(`DROP TABLE absence_day`);
    await runner.query(
      `ALTER TABLE attendance_record DROP COLUMN recorded_at, DROP COLUMN recorded_by, DROP COLUMN reason`,
    );
  }
}
