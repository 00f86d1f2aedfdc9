/**
 * Demo data for `scripts/start.sh`: a province's worth of schools (`DEMO_PROVINCE`, Jilin by
 * default; GB/T 2260 counties) and a sample of the national major catalogue in enrolment's
 * database; then, through the gateway as the people using it would, each school's registrar imports
 * a roster and the provincial reviewer approves it — so the events reach every subgraph. Running
 * it again adds nothing.
 *
 * The demo runs the policy profile of the province it loads (`profileForRegion`) unless
 * `XUEJI_POLICY_PROFILE` names one: `tsx scripts/seed-demo.ts --profile` prints it, and start.sh
 * starts the services with it.
 */
import { issueToken, localJwtSecret } from '@xueji/auth';
import { chinaDate, SERVICES, topicNames, withDatabase } from '@xueji/config';
import { createDataSource } from '@xueji/db';
import { loadPolicyProfile, profileForRegion, registrationWindowOf } from '@xueji/policy';
import { readIdNumber } from '../services/enrolment/src/domain/id-number';
import { Major, MajorCategory } from '../services/enrolment/src/entities/major';
import { School, TeachingPoint } from '../services/enrolment/src/entities/school';
import { Student } from '../services/enrolment/src/entities/student';
import { buildRosterFile } from '../services/enrolment/src/roster';
import { demoStudent } from '../services/enrolment/src/seed/demo';
import { loadCatalogue, upsertSchool } from '../services/enrolment/src/seed/load';
import { generateDemoSchools } from '../services/enrolment/src/seed/province';

const PROVINCE = process.env.DEMO_PROVINCE || '220000';
/** The demo's policy profile: `XUEJI_POLICY_PROFILE` if set, else the demo province's. */
const PROFILE = loadPolicyProfile(process.env.XUEJI_POLICY_PROFILE || profileForRegion(PROVINCE)).id;
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

/**
 * ENR-4: the intake whose registration window is open today — this spring's, this autumn's or next
 * spring's — so the demo registers students whenever it is run. Where a spring intake takes only
 * students who are not this year's junior graduates (Jilin), the demo's students are not.
 */
function openIntake(
  today: string,
  profileId: string,
): { entryDate: string; label: '春季' | '秋季'; onlyNonFreshGraduates: boolean } {
  const profile = loadPolicyProfile(profileId);
  const year = Number(today.slice(0, 4));
  const candidates = [
    { entryDate: `${year}-03-01`, label: '春季' as const },
    { entryDate: `${year}-09-01`, label: '秋季' as const },
    { entryDate: `${year + 1}-03-01`, label: '春季' as const },
  ];
  for (const c of candidates) {
    const window = registrationWindowOf(profile, c.entryDate);
    if (window && today <= window.deadline) return { ...c, onlyNonFreshGraduates: window.onlyNonFreshGraduates };
  }
  throw new Error(`no registration window is open on ${today} under the ${profileId} profile`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--profile')) {
    console.log(PROFILE);
    return;
  }
  // The secret the services verify with: start.sh's, generated once per state directory.
  const secret = localJwtSecret();
  const dataSource = await createDataSource({
    url: withDatabase(process.env.XUEJI_PG_URL!, SERVICES.enrolment.database),
    entities: [School, TeachingPoint, Major, MajorCategory, Student],
    migrations: [],
  }).initialize();
  const schools = generateDemoSchools(PROVINCE);
  const topics = topicNames('enrolment', process.env.KAFKA_TOPIC_PREFIX ?? '');
  const today = chinaDate();
  const intake = openIntake(today, PROFILE);
  const entryYear = Number(intake.entryDate.slice(0, 4));
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
        const card = readIdNumber(idNumber, today);
        if (!card.ok) throw new Error(`generated an invalid ID number ${idNumber}`);
        const major = s.approvedMajorCodes[k % s.approvedMajorCodes.length]!;
        return {
          姓名: name,
          性别: card.facts.sex === 'MALE' ? '男' : '女',
          出生日期: card.facts.birthDate,
          身份证号: idNumber,
          入学日期: intake.entryDate,
          入学批次: intake.label,
          专业代码: major,
          班级: `${entryYear}级${major}-${(k % 2) + 1}班`,
          学制: 3,
          户口性质: k % 3 === 0 ? '城镇' : '农村',
          ...(intake.onlyNonFreshGraduates ? { 应届初中毕业: '否' } : {}),
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
    const provinceCode = `${PROVINCE.slice(0, 2)}0000`; // a city's demo is reviewed by its province too
    const reviewer = issueToken(
      { subject: 'demo-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: provinceCode },
      secret,
    );
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
      `demo data: ${schools.length} schools in ${PROVINCE} (policy profile ${PROFILE}), ${imported} students registered now, ${pending.length} approved`,
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
