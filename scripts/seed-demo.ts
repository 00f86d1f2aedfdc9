/**
 * Demo data for `scripts/start.sh`: a province's worth of schools (Jilin, GB/T 2260 counties) and
 * a sample of the national major catalogue in enrolment's database; then, through the gateway as
 * the people using it would, each school's registrar imports a roster and the provincial reviewer
 * approves it — so the events reach every subgraph. Running it again adds nothing.
 */
import { issueToken } from '@xueji/auth';
import { resolveJwtSecret, SERVICES, topicNames, withDatabase } from '@xueji/config';
import { createDataSource } from '@xueji/db';
import { readIdNumber } from '../services/enrolment/src/domain/id-number';
import { Major, MajorCategory } from '../services/enrolment/src/entities/major';
import { School, TeachingPoint } from '../services/enrolment/src/entities/school';
import { Student } from '../services/enrolment/src/entities/student';
import { buildRosterFile } from '../services/enrolment/src/roster';
import { demoStudent } from '../services/enrolment/src/seed/demo';
import { loadCatalogue, upsertSchool } from '../services/enrolment/src/seed/load';
import { generateProvinceSchools } from '../services/enrolment/src/seed/province';

const PROVINCE = process.env.DEMO_PROVINCE ?? '220000';
const STUDENTS_PER_SCHOOL = Number(process.env.DEMO_STUDENTS_PER_SCHOOL ?? 30);
const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';

async function call<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors[0]!.message);
  return body.data!;
}

async function main(): Promise<void> {
  const secret = resolveJwtSecret();
  const dataSource = await createDataSource({
    url: withDatabase(process.env.XUEJI_PG_URL!, SERVICES.enrolment.database),
    entities: [School, TeachingPoint, Major, MajorCategory, Student],
    migrations: [],
  }).initialize();
  const schools = generateProvinceSchools(PROVINCE);
  const topics = topicNames('enrolment', process.env.KAFKA_TOPIC_PREFIX ?? '');
  const entryYear = Number(new Date().getFullYear());
  let imported = 0;
  try {
    const ids = await dataSource.transaction(async (manager) => {
      await loadCatalogue(manager);
      const result: string[] = [];
      for (const s of schools) result.push(await upsertSchool(manager, topics, s));
      return result;
    });
    for (const [i, s] of schools.entries()) {
      const schoolId = ids[i]!;
      const [{ n }] = (await dataSource.query('SELECT count(*)::int AS n FROM student WHERE school_id = $1', [
        schoolId,
      ])) as {
        n: number;
      }[];
      if (n > 0) continue;
      const rows = Array.from({ length: STUDENTS_PER_SCHOOL }, (_, k) => {
        const { name, idNumber } = demoStudent(s.regionCode, i * 1000 + k);
        const card = readIdNumber(idNumber);
        if (!card.ok) throw new Error(`generated an invalid ID number ${idNumber}`);
        const major = s.approvedMajorCodes[k % s.approvedMajorCodes.length]!;
        return {
          姓名: name,
          性别: card.facts.sex === 'MALE' ? '男' : '女',
          出生日期: card.facts.birthDate,
          身份证号: idNumber,
          入学日期: `${entryYear}-09-01`,
          入学批次: '秋季',
          专业代码: major,
          班级: `${entryYear}级${major}-${(k % 2) + 1}班`,
          学制: 3,
          户口性质: k % 3 === 0 ? '城镇' : '农村',
        };
      });
      const token = issueToken({ subject: `registrar-${s.code}`, role: 'SCHOOL_REGISTRAR', schoolId }, secret);
      const { importRoster } = await call<{ importRoster: { registered: number; rejected: number } }>(
        `mutation($input: RosterImportInput!) { importRoster(input: $input) { registered rejected } }`,
        {
          input: {
            schoolId,
            fileName: `${s.code}.xlsx`,
            contentBase64: (await buildRosterFile(rows, 'xlsx')).toString('base64'),
          },
        },
        token,
      );
      imported += importRoster.registered;
    }
    // The provincial reviewer approves what waits, so the demo students hold formal status.
    const reviewer = issueToken({ subject: 'demo-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: PROVINCE }, secret);
    const pending = (await dataSource.query(`SELECT id FROM student WHERE registration_status = 'SUBMITTED'`)) as {
      id: string;
    }[];
    for (let k = 0; k < pending.length; k += 100) {
      await call(
        `mutation($ids: [ID!]!) { approveRegistrations(ids: $ids, comment: "演示数据") { decided { id } } }`,
        { ids: pending.slice(k, k + 100).map((p) => p.id) },
        reviewer,
      );
    }
    const first = schools[0]!;
    console.log(
      `demo data: ${schools.length} schools in ${PROVINCE}, ${imported} students registered now, ${pending.length} approved`,
    );
    console.log(`a school: ${first.name} ${ids[0]}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
