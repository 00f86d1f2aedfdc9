/**
 * Students at province scale, seeded in SQL (generate_series), for the list plans test and the
 * list benchmark (`scripts/bench/student-lists.ts`). Deterministic: student `i` always has the
 * same name, school, status and registration instant.
 *
 * - Schools: nine in ten in province 22 (nine cities × five counties), one in ten in province 11
 *   (outside a 22 reviewer's scope); competent authority by turns the province, the city, the county.
 * - Names: a surname of 100 (two compound), skewed as real surnames are (the first few are common),
 *   and one or two given characters: 2–4 CJK characters.
 * - Numbers: ID number `2201` + `i` on 14 digits; student number `G` + ID number (ENR-11 national).
 * - Registered in pairs to the microsecond (ties broken by id), 70% approved, 20% submitted (by a
 *   hash of `i`, so every school has each status, sex, entry year and class).
 */
import type { Queryable } from '@xueji/db';

export const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
].slice(0, 98);
SURNAMES.push('欧阳', '司马');
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文博宇浩然子涵梓轩一诺思雨欣怡嘉俊佳琪晨阳天佑雅',
];

/** How many schools a seed of `students` spreads them over (about 500 a school). */
export const schoolsFor = (students: number) => Math.max(20, Math.round(students / 500));

/** Seed `students` students over `schools` schools. Returns when they are in and the table is analysed. */
export async function seedStudentsBySql(db: Queryable, students: number, schools = schoolsFor(students)) {
  await db.query(
    `INSERT INTO school (code, name, region_code, authority_tier, authority_region_code)
     SELECT 'B' || lpad(k::text, 6, '0'), '学校' || k, r.region,
            (ARRAY['PROVINCE', 'CITY', 'COUNTY'])[1 + k % 3],
            CASE k % 3 WHEN 0 THEN left(r.region, 2) || '0000' WHEN 1 THEN left(r.region, 4) || '00' ELSE r.region END
       FROM generate_series(0, $1 - 1) k,
            LATERAL (SELECT CASE WHEN k % 10 = 9 THEN '11' ELSE '22' END
                            || lpad((1 + k % 9)::text, 2, '0') || lpad((1 + (k / 9) % 5)::text, 2, '0') AS region) r`,
    [schools],
  );
  await db.query(
    `WITH sc AS (SELECT id, region_code, authority_region_code, (row_number() OVER (ORDER BY code) - 1)::int AS k
                 FROM school WHERE code LIKE 'B%'),
          n AS (SELECT i, ((i * 2654435761) % 4294967296) / 4294967296.0 AS h,
                      ((i * 2246822519) % 4294967296) / 4294967296.0 AS h2 FROM generate_series(1, $1::bigint) i)
     INSERT INTO student (name, sex, birth_date, id_number, entry_date, intake, entry_level, study_form, programme,
                          class_name, expected_years, student_number, school_id, registration_status,
                          registered_at, registered_by, region_code, authority_region_code)
     SELECT ($2::text[])[1 + floor(100 * h * h)::int]
              || ($3::text[])[1 + i % cardinality($3::text[])] || CASE WHEN i % 3 = 0 THEN '' ELSE ($3::text[])[1 + (i * 7) % cardinality($3::text[])] END,
            CASE WHEN (i / 3) % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END,
            date '2008-01-01' + (i % 700)::int,
            '2201' || lpad(i::text, 14, '0'),
            CASE WHEN (i / 7) % 2 = 0 THEN date '2024-09-01' ELSE date '2025-09-01' END,
            'AUTUMN', 'JUNIOR', 'FULL_TIME', 'REGULAR', '班' || ((i / 11) % 20), 3,
            'G2201' || lpad(i::text, 14, '0'),
            sc.id,
            CASE WHEN h2 < 0.7 THEN 'APPROVED' WHEN h2 < 0.9 THEN 'SUBMITTED' ELSE 'REJECTED' END,
            timestamptz '2024-06-01 00:00:00+00' + (i / 2) * interval '1.234567 second',
            'seed', sc.region_code, sc.authority_region_code
       FROM n JOIN sc ON sc.k = i % $4`,
    [students, SURNAMES, GIVEN, schools],
  );
  await db.query('VACUUM ANALYZE student');
  await db.query('ANALYZE school');
}
