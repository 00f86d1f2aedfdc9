import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, the students list and search at a million students. Each list is read in its order,
 * oldest registration first (`registered_at, id`), on an index whose leading columns are its scope:
 *
 * - a school (registrars, or a reviewer's `schoolId` filter);
 * - a province, city or county (reviewers and subsidy officers by the school's region; the
 *   registration queue by the school's competent authority). The school's two region codes are
 *   copied onto the student, kept by triggers, so that a region is an equality on an indexed
 *   expression (`left(region_code, 2) = '22'`) instead of `LIKE '22%'` over the schools. The
 *   registration queue (SUBMITTED only, far fewer) is one index carrying the authority's region.
 *
 * Search (the start of a name or of a student number) is a btree prefix range: `text_pattern_ops`
 * serves `LIKE 'x%'` whatever the database's collation, for 1, 2 or 3 CJK characters alike.
 * pg_trgm is not used: trigrams need 3 characters (a surname is 1), and with the C locale the test
 * and CI databases are created with, pg_trgm drops every CJK character (docs/decisions.md).
 */
export class IndexStudentLists1763800013600 implements MigrationInterface {
  name = 'IndexStudentLists1763800013600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE student ADD COLUMN region_code char(6), ADD COLUMN authority_region_code char(6)`);
    await runner.query(`
      UPDATE student s SET region_code = sc.region_code, authority_region_code = sc.authority_region_code
        FROM school sc WHERE sc.id = s.school_id`);
    await runner.query(
      `ALTER TABLE student ALTER COLUMN region_code SET NOT NULL, ALTER COLUMN authority_region_code SET NOT NULL`,
    );
    // The school's regions follow the student on every insert that does not bring them (the bulk
    // insert of new records joins them in) and every change of school...
    await runner.query(`
      CREATE FUNCTION student_school_regions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT sc.region_code, sc.authority_region_code INTO NEW.region_code, NEW.authority_region_code
          FROM school sc WHERE sc.id = NEW.school_id;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER student_school_regions BEFORE INSERT ON student FOR EACH ROW
        WHEN (NEW.region_code IS NULL OR NEW.authority_region_code IS NULL)
        EXECUTE FUNCTION student_school_regions()`);
    await runner.query(`
      CREATE TRIGGER student_changes_school BEFORE UPDATE OF school_id ON student FOR EACH ROW
        WHEN (OLD.school_id IS DISTINCT FROM NEW.school_id)
        EXECUTE FUNCTION student_school_regions()`);
    // ...and a school's change of region follows its students.
    await runner.query(`
      CREATE FUNCTION school_regions_to_students() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE student SET region_code = NEW.region_code, authority_region_code = NEW.authority_region_code
         WHERE school_id = NEW.id;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER school_regions_to_students AFTER UPDATE OF region_code, authority_region_code ON school
        FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code
                        OR OLD.authority_region_code IS DISTINCT FROM NEW.authority_region_code)
        EXECUTE FUNCTION school_regions_to_students()`);

    // `students`: a school, a province, a city, a county, each in registration order.
    await runner.query(`CREATE INDEX student_school_order ON student (school_id, registered_at, id)`);
    await runner.query(`CREATE INDEX student_province_order ON student (left(region_code, 2), registered_at, id)`);
    await runner.query(`CREATE INDEX student_city_order ON student (left(region_code, 4), registered_at, id)`);
    await runner.query(`CREATE INDEX student_county_order ON student (region_code, registered_at, id)`);
    // `registrationQueue`: the submitted registrations in order, with the authority's region beside
    // each so that any level's queue is read from this index alone (small: SUBMITTED only).
    await runner.query(`
      CREATE INDEX student_queue ON student (registered_at, id) INCLUDE (authority_region_code)
        WHERE registration_status = 'SUBMITTED'`);
    // `filter.search`: the start of a name (a surname is one character) or of a student number.
    // Each carries what a page reads and its scope, so the matches are sorted from the index alone.
    await runner.query(
      `CREATE INDEX student_name_prefix ON student (name text_pattern_ops) INCLUDE (registered_at, id, school_id, region_code)`,
    );
    // The numbers' uniqueness (ENR-11) moves to the prefix index, which serves equality as well: one
    // index to keep up on every insert instead of two. The same goes for `student_school`, whose
    // work `student_school_order` does (same leading column): a roster import keeps its pace.
    await runner.query(
      `CREATE UNIQUE INDEX student_number_prefix ON student (student_number text_pattern_ops)
         INCLUDE (registered_at, id, school_id, region_code)`,
    );
    await runner.query(`ALTER TABLE student DROP CONSTRAINT student_student_number_key`);
    await runner.query(`DROP INDEX student_school`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX student_school ON student (school_id, registration_status)`);
    await runner.query(`ALTER TABLE student ADD CONSTRAINT student_student_number_key UNIQUE (student_number)`);
    for (const index of [
      'student_number_prefix',
      'student_name_prefix',
      'student_queue',
      'student_county_order',
      'student_city_order',
      'student_province_order',
      'student_school_order',
    ])
      await runner.query(`DROP INDEX ${index}`);
    await runner.query(`DROP TRIGGER school_regions_to_students ON school`);
    await runner.query(`DROP FUNCTION school_regions_to_students()`);
    await runner.query(`DROP TRIGGER student_changes_school ON student`);
    await runner.query(`DROP TRIGGER student_school_regions ON student`);
    await runner.query(`DROP FUNCTION student_school_regions()`);
    await runner.query(`ALTER TABLE student DROP COLUMN region_code, DROP COLUMN authority_region_code`);
  }
}
