import type { EntityManager } from 'typeorm';
import type { TopicNames } from '@xueji/config';
import { selectOne } from '@xueji/db';
import { appendToOutbox } from '@xueji/outbox';
import { schoolRegisteredEvent } from '../application/school';
import { authorityRegionOf, School } from '../entities/school';
import { MAJOR_CATEGORIES, NATIONAL_MAJOR_CATALOGUE } from './catalogue';
import type { DemoSchool } from './province';

/** Load the national major catalogue (sample) into enrolment's tables; re-running changes nothing. */
export async function loadCatalogue(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO major_category (code, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (code) DO NOTHING`,
    [MAJOR_CATEGORIES.map((c) => c.code), MAJOR_CATEGORIES.map((c) => c.name)],
  );
  const m = NATIONAL_MAJOR_CATALOGUE;
  await manager.query(
    `INSERT INTO major (code, name, category_code, agriculture_related, waiver_excluded, standard_years)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::int[])
     ON CONFLICT (code) DO NOTHING`,
    [
      m.map((x) => x.code),
      m.map((x) => x.name),
      m.map((x) => x.categoryCode),
      m.map((x) => x.agricultureRelated),
      m.map((x) => x.waiverExcluded),
      m.map((x) => x.standardYears),
    ],
  );
}

/** Create (or find) a school with its approved majors and teaching points; returns its id. */
export async function upsertSchool(
  manager: EntityManager,
  topics: Pick<TopicNames, 'own'>,
  school: DemoSchool,
): Promise<string> {
  const { id } = (await selectOne<{ id: string }>(
    manager,
    `INSERT INTO school (code, name, region_code, authority_tier, authority_region_code, county_school_code, national_key,
                         principal_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
       principal_name = COALESCE(EXCLUDED.principal_name, school.principal_name) RETURNING id`,
    [
      school.code,
      school.name,
      school.regionCode,
      school.authorityTier,
      authorityRegionOf(school.authorityTier, school.regionCode),
      school.countySchoolCode,
      school.nationalKey,
      school.principalName ?? null,
    ],
  ))!;
  await manager.query(
    `INSERT INTO school_major (school_id, major_code) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [id, school.approvedMajorCodes],
  );
  for (const point of school.teachingPoints) {
    await manager.query(
      `INSERT INTO teaching_point (school_id, name, region_code)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM teaching_point WHERE school_id = $1 AND name = $2)`,
      [id, point.name, point.regionCode],
    );
  }
  // Other services learn of schools only from this event.
  const record = (await manager.getRepository(School).findOneBy({ id }))!;
  await appendToOutbox(manager, topics.own, await schoolRegisteredEvent(manager, record));
  return id;
}
