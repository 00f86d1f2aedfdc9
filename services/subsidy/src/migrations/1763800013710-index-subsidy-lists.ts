import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, subsidy's lists at province scale.
 *
 * - `eligibilityRoster` is read in student-number order (`COALESCE(student_number, ''), student_id`).
 *   The order was indexed (`subsidy_student_roster_order`) but the scope lived in `student_scope`:
 *   a school's or a county's page walked the province's students in order until it found its own.
 *   The student's school and region are now copied onto `subsidy_student` (kept by triggers, from
 *   `student_scope`, whichever arrives first), and the order is indexed behind each scope: a school,
 *   a province, a city, a county (`left(region_code, 2) = '22'`, as enrolment's 1763800013600). Each
 *   page probes the period's current decision by `eligibility_decision_current`. The old order
 *   index is dropped: the province index does its work.
 * - `fraudSignals` (newest first, keyset on `raised_at, id` read backwards) on `fraud_signal_list`.
 * - `eligibilityChangedSince` (`recorded_at, student_id, period_starts_on`, current decisions) on
 *   `eligibility_decision_changes`, the whole order: a batch recorded in one transaction (a period
 *   opened for 100,000 students) shares one `recorded_at` and was sorted whole for each page.
 */
export class IndexSubsidyLists1763800013710 implements MigrationInterface {
  name = 'IndexSubsidyLists1763800013710';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE subsidy_student ADD COLUMN school_id uuid, ADD COLUMN region_code char(6)`);
    await runner.query(`
      UPDATE subsidy_student st SET school_id = s.school_id, region_code = s.region_code
        FROM student_scope s WHERE s.student_id = st.student_id`);
    // A student subsidy hears of after its scope takes the scope along...
    await runner.query(`
      CREATE FUNCTION subsidy_student_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT s.school_id, s.region_code INTO NEW.school_id, NEW.region_code
          FROM student_scope s WHERE s.student_id = NEW.student_id;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER subsidy_student_scope BEFORE INSERT ON subsidy_student
        FOR EACH ROW WHEN (NEW.school_id IS NULL) EXECUTE FUNCTION subsidy_student_scope()`);
    // ...and a scope that arrives or changes (a transfer) follows to the student.
    await runner.query(`
      CREATE FUNCTION student_scope_to_subsidy_student() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE subsidy_student SET school_id = NEW.school_id, region_code = NEW.region_code
         WHERE student_id = NEW.student_id
           AND (school_id, region_code) IS DISTINCT FROM (NEW.school_id, NEW.region_code);
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER student_scope_to_subsidy_student AFTER INSERT OR UPDATE OF school_id, region_code ON student_scope
        FOR EACH ROW EXECUTE FUNCTION student_scope_to_subsidy_student()`);

    const order = `(COALESCE(student_number, '')), student_id`;
    await runner.query(`CREATE INDEX subsidy_student_school_roster ON subsidy_student (school_id, ${order})`);
    await runner.query(
      `CREATE INDEX subsidy_student_province_roster ON subsidy_student (left(region_code, 2), ${order})`,
    );
    await runner.query(`CREATE INDEX subsidy_student_city_roster ON subsidy_student (left(region_code, 4), ${order})`);
    await runner.query(`CREATE INDEX subsidy_student_county_roster ON subsidy_student (region_code, ${order})`);
    await runner.query(`DROP INDEX subsidy_student_roster_order`);

    await runner.query(`CREATE INDEX fraud_signal_list ON fraud_signal (raised_at, id)`);
    await runner.query(`
      CREATE INDEX eligibility_decision_changes ON eligibility_decision (recorded_at, student_id, period_starts_on)
        WHERE superseded_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX eligibility_decision_changes`);
    await runner.query(`DROP INDEX fraud_signal_list`);
    await runner.query(
      `CREATE INDEX subsidy_student_roster_order ON subsidy_student ((COALESCE(student_number, '')), student_id)`,
    );
    for (const index of ['county', 'city', 'province', 'school'])
      await runner.query(`DROP INDEX subsidy_student_${index}_roster`);
    await runner.query(`DROP TRIGGER student_scope_to_subsidy_student ON student_scope`);
    await runner.query(`DROP FUNCTION student_scope_to_subsidy_student()`);
    await runner.query(`DROP TRIGGER subsidy_student_scope ON subsidy_student`);
    await runner.query(`DROP FUNCTION subsidy_student_scope()`);
    await runner.query(`ALTER TABLE subsidy_student DROP COLUMN school_id, DROP COLUMN region_code`);
  }
}
