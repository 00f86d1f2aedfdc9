import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, the change-request lists at province scale. The work queue (`changeRequestQueue`) is
 * read in submission order (`submitted_at, id`) on an index whose leading column is the party
 * that acts next: the school whose registrar decides (SENDING_SCHOOL, RECEIVING_SCHOOL) or the
 * competent authority's region (SENDING_AUTHORITY, RECEIVING_AUTHORITY), instead of two LEFT JOINs
 * to `school_directory` and `LIKE '22%'`. Both are kept on the request by triggers, from its own
 * columns and the directory (a school's authority that changes, or arrives after the request,
 * follows its pending requests). A region is an equality on an indexed expression at each level
 * (`left(queue_region, 2) = '22'`), as enrolment's lists (1763800013600). Pending requests only:
 * the indexes stay small however many requests were decided. Each carries `kind` and `imposed`,
 * so the filters are checked on the index and a page is read from it alone.
 *
 * `monthlyReport` reads a month of effective requests on `change_request_effective` (a range of
 * days, no longer `to_char(effective_date, …)`, which no index serves). `Student.changeRequests`
 * keeps `change_request_student`.
 */
export class IndexChangeRequestLists1763800013700 implements MigrationInterface {
  name = 'IndexChangeRequestLists1763800013700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE change_request ADD COLUMN queue_school_id uuid, ADD COLUMN queue_region char(6)`);
    // Who acts next on a pending request: set on every write of its state, step or schools...
    await runner.query(`
      CREATE FUNCTION change_request_queue_party() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.queue_school_id := CASE WHEN NEW.state <> 'PENDING' THEN NULL
                                    WHEN NEW.next_step = 'SENDING_SCHOOL' THEN NEW.from_school_id
                                    WHEN NEW.next_step = 'RECEIVING_SCHOOL' THEN NEW.to_school_id END;
        NEW.queue_region := CASE WHEN NEW.state <> 'PENDING' THEN NULL
                                 WHEN NEW.next_step = 'SENDING_AUTHORITY' THEN
                                   (SELECT d.authority_region_code FROM school_directory d WHERE d.school_id = NEW.from_school_id)
                                 WHEN NEW.next_step = 'RECEIVING_AUTHORITY' THEN
                                   (SELECT d.authority_region_code FROM school_directory d WHERE d.school_id = NEW.to_school_id) END;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER change_request_queue_party
        BEFORE INSERT OR UPDATE OF state, next_step, from_school_id, to_school_id ON change_request
        FOR EACH ROW EXECUTE FUNCTION change_request_queue_party()`);
    // ...and again for the pending requests of a school whose directory entry arrives or whose authority changes.
    await runner.query(`
      CREATE FUNCTION school_directory_to_queue() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE change_request SET next_step = next_step
         WHERE state = 'PENDING' AND (from_school_id = NEW.school_id OR to_school_id = NEW.school_id);
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER school_directory_added_to_queue AFTER INSERT ON school_directory
        FOR EACH ROW EXECUTE FUNCTION school_directory_to_queue()`);
    await runner.query(`
      CREATE TRIGGER school_directory_changed_to_queue AFTER UPDATE OF authority_region_code ON school_directory
        FOR EACH ROW WHEN (OLD.authority_region_code IS DISTINCT FROM NEW.authority_region_code)
        EXECUTE FUNCTION school_directory_to_queue()`);
    await runner.query(
      `CREATE INDEX change_request_pending_from ON change_request (from_school_id) WHERE state = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX change_request_pending_to ON change_request (to_school_id) WHERE state = 'PENDING'`,
    );
    await runner.query(`UPDATE change_request SET next_step = next_step WHERE state = 'PENDING'`);

    // `changeRequestQueue`: a registrar's school; a reviewer's province, city or county.
    const carried = `INCLUDE (kind, imposed) WHERE state = 'PENDING'`;
    await runner.query(
      `CREATE INDEX change_request_school_queue ON change_request (queue_school_id, submitted_at, id) ${carried}`,
    );
    await runner.query(
      `CREATE INDEX change_request_province_queue ON change_request (left(queue_region, 2), submitted_at, id) ${carried}`,
    );
    await runner.query(
      `CREATE INDEX change_request_city_queue ON change_request (left(queue_region, 4), submitted_at, id) ${carried}`,
    );
    await runner.query(
      `CREATE INDEX change_request_county_queue ON change_request (queue_region, submitted_at, id) ${carried}`,
    );
    // `monthlyReport`: the requests that took effect in a month.
    await runner.query(
      `CREATE INDEX change_request_effective ON change_request (effective_date, submitted_at) WHERE state = 'EFFECTIVE'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of [
      'change_request_effective',
      'change_request_county_queue',
      'change_request_city_queue',
      'change_request_province_queue',
      'change_request_school_queue',
      'change_request_pending_to',
      'change_request_pending_from',
    ])
      await runner.query(`DROP INDEX ${index}`);
    await runner.query(`DROP TRIGGER school_directory_changed_to_queue ON school_directory`);
    await runner.query(`DROP TRIGGER school_directory_added_to_queue ON school_directory`);
    await runner.query(`DROP FUNCTION school_directory_to_queue()`);
    await runner.query(`DROP TRIGGER change_request_queue_party ON change_request`);
    await runner.query(`DROP FUNCTION change_request_queue_party()`);
    await runner.query(`ALTER TABLE change_request DROP COLUMN queue_school_id, DROP COLUMN queue_region`);
  }
}
