/**
 * Demo data for `scripts/start.sh`: schools in enrolment's database, then students registered
 * through the gateway by each school's registrar, so the events flow to every subgraph as in use.
 * Running it again adds nothing.
 */
import { Client } from 'pg';
import { issueToken } from '@xueji/auth';
import { resolveJwtSecret, SERVICES, withDatabase } from '@xueji/config';
import { DEMO_SCHOOLS, demoStudent } from '../services/enrolment/src/seed/demo';

const STUDENTS_PER_SCHOOL = 12;

async function main(): Promise<void> {
  const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  const db = new Client({ connectionString: withDatabase(process.env.XUEJI_PG_URL!, SERVICES.enrolment.database) });
  await db.connect();
  const secret = resolveJwtSecret();
  let registered = 0;
  try {
    for (const school of DEMO_SCHOOLS) {
      const { rows } = await db.query<{ id: string; students: string }>(
        `WITH s AS (
           INSERT INTO school (code, name, region_code) VALUES ($1, $2, $3)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id)
         SELECT s.id, (SELECT count(*) FROM student WHERE school_id = s.id) AS students FROM s`,
        [school.code, school.name, school.regionCode],
      );
      const { id: schoolId, students } = rows[0]!;
      if (Number(students) > 0) continue;
      const token = issueToken({ subject: `registrar-${school.code}`, role: 'SCHOOL_REGISTRAR', schoolId }, secret);
      for (let i = 0; i < STUDENTS_PER_SCHOOL; i++) {
        const student = demoStudent(school.regionCode, i + DEMO_SCHOOLS.indexOf(school) * 100);
        const response = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: 'mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }',
            variables: { input: { schoolId, ...student } },
          }),
        });
        const body = (await response.json()) as { errors?: { message: string }[] };
        if (body.errors) throw new Error(`registering ${student.name}: ${body.errors[0]!.message}`);
        registered++;
      }
    }
    const { rows } = await db.query<{ id: string; code: string }>('SELECT id, code FROM school ORDER BY code LIMIT 1');
    console.log(`demo data: ${DEMO_SCHOOLS.length} schools, ${registered} students registered now`);
    console.log(`first school: ${rows[0]!.code} ${rows[0]!.id}`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
