/**
 * Benchmark of graduation through the real stack: PostgreSQL, Kafka (outbox relay on), the
 * graduation subgraph over HTTP and, for the public lookup, the gateway in front of it.
 * `pnpm exec tsx scripts/bench/graduation.ts [--students 10000] [--audit 2000] [--clients 50] [--lookups 2000]`.
 *
 * The students are learned from events as in production: enrolment's registration and approval,
 * assessment's results, conduct and internship, delivered through Kafka to graduation's inbox.
 * 1. Audit: a school's `--audit` graduating students, `classGraduationAudit` page by page (200).
 * 2. Issue: one graduate list of all `--students`, approved in one call: diplomas numbered per
 *    second, and a check that no number repeats.
 * 3. Lookup: `--clients` concurrent clients without an account ask `certificateLookup` through the
 *    gateway, `--lookups` in all: p50 and p99 (the gateway's per-client limit raised for the run).
 * A fresh database and topics; dropped at the end. Prints figures; no assertions.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { selectRows } from '@xueji/db';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { startService } from '@xueji/service-kit';
import {
  approvedRegistration,
  createTestDatabase,
  deleteTopicsAndGroups,
  deliverEvents,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  passedEverything,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testServiceConfig,
  tokenFor,
  uniqueSuffix,
} from '@xueji/testkit';
import { startGateway } from '../../gateway/src/gateway';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';
import { graduation } from '../../services/graduation/src/service';
import { rosterRow } from '../../test/support/roster-rows';
import { loadInfraEnv, runMain } from './infra-env';
import { percentile } from './subsidy-seed';

const REGION = '220102';
const TODAY = '2029-06-20';
const AUDIT = `query ($school: ID!, $after: String) {
  classGraduationAudit(schoolId: $school, entryYear: 2026, first: 200, after: $after) {
    edges { node { studentId audit { outcome lacking } } } pageInfo { hasNextPage endCursor }
  }
}`;
const SUBMIT = `mutation ($input: GraduateListInput!) { submitGraduateList(input: $input) { id } }`;
const APPROVE = `mutation ($id: ID!) { approveGraduateList(id: $id, verificationSheetRef: "验印单-基准") { state entries { studentId diplomaNumber } } }`;
const LOOKUP = `query ($number: String!, $name: String!) { certificateLookup(number: $number, name: $name) { number state } }`;

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const latencyLine = (label: string, values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(
    `${label}: ${values.length} calls, p50 ${ms(percentile(sorted, 0.5))}, p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted.at(-1)!)}`,
  );
};

/** What graduation learns of a student who passed everything, as enrolment and assessment publish it. */
function graduate(
  studentId: string,
  schoolId: string,
  name: string,
): { enrolment: EventEnvelope[]; assessment: EventEnvelope[] } {
  const at = '2029-05-30T08:00:00.000Z';
  return {
    enrolment: [
      createEvent('xueji.enrolment.student.registered.v1', studentId, {
        studentId,
        schoolId,
        regionCode: REGION,
        name,
        registeredAt: '2026-09-05T02:00:00.000Z',
      }),
      approvedRegistration({
        studentId,
        schoolId,
        regionCode: REGION,
        entryDate: '2026-09-01',
        approvedAt: '2026-09-20T02:00:00.000Z',
      }),
    ],
    assessment: passedEverything(studentId, schoolId, { at }),
  };
}

async function main(): Promise<void> {
  loadInfraEnv();
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '10000' },
      audit: { type: 'string', default: '2000' },
      clients: { type: 'string', default: '50' },
      lookups: { type: 'string', default: '2000' },
    },
  });
  const students = Number(values.students);
  const auditStudents = Math.min(Number(values.audit), students);
  const clients = Number(values.clients);
  const lookups = Number(values.lookups);
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const databaseUrl = await createTestDatabase('bench_graduation');
  const service = await startService(graduation, {
    ...testServiceConfig('graduation', { databaseUrl, topicPrefix, profile: 'national', today: TODAY }),
  });
  const gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: { graduation: service.url },
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    port: 0,
    logLevel: 'warn',
    publicRequestsPerMinute: lookups * 2,
  });
  try {
    const schoolId = randomUUID();
    const registrar = tokenFor({ subject: 'registrar-bench', role: 'SCHOOL_REGISTRAR', schoolId });
    const reviewer = tokenFor({ subject: 'reviewer-bench', role: 'AUTHORITY_REVIEWER', regionCode: REGION });
    const ids = Array.from({ length: students }, () => randomUUID());
    const names = ids.map((_, i) => String(rosterRow(i).姓名));
    const seedStarted = performance.now();
    await deliverEvents(service, `${topicPrefix}xueji.enrolment.events`, [
      createEvent('xueji.enrolment.school.registered.v1', schoolId, {
        schoolId,
        code: 'BENCH',
        name: '基准测试学校',
        regionCode: REGION,
        authorityRegionCode: REGION,
        nationalKey: false,
        status: 'ACTIVE',
      }),
    ]);
    for (let i = 0; i < students; i += 500) {
      const batch = ids.slice(i, i + 500).map((id, j) => graduate(id, schoolId, names[i + j]!));
      await deliverEvents(
        service,
        `${topicPrefix}xueji.enrolment.events`,
        batch.flatMap((b) => b.enrolment),
      );
      await deliverEvents(
        service,
        `${topicPrefix}xueji.assessment.events`,
        batch.flatMap((b) => b.assessment),
      );
    }
    console.log(
      `seeded ${students} graduating students from ${students * 5} events in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    // 1. The audit of a school's class, page by page.
    const pageLatencies: number[] = [];
    let after: string | null = null;
    let audited = 0;
    const auditStarted = performance.now();
    while (audited < auditStudents) {
      const started = performance.now();
      const r: Awaited<
        ReturnType<
          typeof graphql<{
            classGraduationAudit: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
          }>
        >
      > = await graphql(service.url, AUDIT, { school: schoolId, after }, registrar);
      pageLatencies.push(performance.now() - started);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      audited += r.data!.classGraduationAudit.edges.length;
      after = r.data!.classGraduationAudit.pageInfo.endCursor;
      if (!r.data!.classGraduationAudit.pageInfo.hasNextPage) break;
    }
    const auditSeconds = (performance.now() - auditStarted) / 1000;
    console.log(
      `audit: ${audited} students in ${auditSeconds.toFixed(2)} s = ${(audited / auditSeconds).toFixed(0)} students/s`,
    );
    latencyLine('classGraduationAudit, pages of 200', pageLatencies);

    // 2. One list of every student, approved in one call.
    const submitted = await graphql<{ submitGraduateList: { id: string } }>(
      service.url,
      SUBMIT,
      { input: { schoolId, term: '2029-spring', studentIds: ids } },
      registrar,
    );
    if (submitted.errors) throw new Error(JSON.stringify(submitted.errors));
    const issueStarted = performance.now();
    const approved = await graphql<{
      approveGraduateList: { entries: { studentId: string; diplomaNumber: string | null }[] };
    }>(service.url, APPROVE, { id: submitted.data!.submitGraduateList.id }, reviewer);
    const issueSeconds = (performance.now() - issueStarted) / 1000;
    if (approved.errors) throw new Error(JSON.stringify(approved.errors));
    const entries = approved.data!.approveGraduateList.entries;
    const numbers = entries.map((e) => e.diplomaNumber!);
    const nameOf = new Map<string, string>(ids.map((id, i) => [id, names[i]!]));
    const holders = entries.map((e) => nameOf.get(e.studentId)!);
    const stored = await selectRows<{ n: number; distinct: number }>(
      service.dataSource,
      `SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct FROM certificate WHERE kind = 'DIPLOMA'`,
    );
    console.log(
      `issue: ${numbers.length} diplomas in one approval in ${issueSeconds.toFixed(2)} s = ${(numbers.length / issueSeconds).toFixed(0)} diplomas/s ` +
        `(each signed as a credential); numbers ${stored[0]!.distinct} distinct of ${stored[0]!.n} stored`,
    );

    // 3. The public lookup through the gateway, `clients` at once.
    const lookupLatencies: number[] = [];
    let next = 0;
    const lookupStarted = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < lookups) {
          const i = next++ % numbers.length;
          const started = performance.now();
          const r = await graphql<{ certificateLookup: { state: string } | null }>(gateway.url, LOOKUP, {
            number: numbers[i],
            name: holders[i],
          });
          lookupLatencies.push(performance.now() - started);
          if (r.data?.certificateLookup?.state !== 'VALID') throw new Error(`lookup ${i}: ${JSON.stringify(r)}`);
        }
      }),
    );
    const lookupSeconds = (performance.now() - lookupStarted) / 1000;
    console.log(
      `lookup: ${lookupLatencies.length} in ${lookupSeconds.toFixed(2)} s = ${(lookupLatencies.length / lookupSeconds).toFixed(0)}/s with ${clients} clients`,
    );
    latencyLine('certificateLookup through the gateway', lookupLatencies);
  } finally {
    await gateway.stop();
    await service.stop();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);
