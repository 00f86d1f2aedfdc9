/**
 * Benchmark of assessment's results through the real stack: PostgreSQL, Kafka (outbox relay on),
 * the assessment subgraph over HTTP and, for the transcript, the gateway in front of it.
 * `pnpm exec tsx scripts/bench/assessment-results.ts [--classes 20] [--students 1000] [--transcripts 200]`.
 *
 * 1. Recording: `--classes` classes of 50 students × 10 courses, one `recordResults` call per class
 *    and course (50 rows each): rows/s and the latency per call (p50, p99).
 * 2. Import: a `--students`-row results sheet (one row a student, 10 course columns) imported once,
 *    then the same file 5 more times (nothing changes): rows/s and the latency per call.
 * 3. Transcript: one student's `transcript` (.xlsx) through the gateway, `--transcripts` times in a
 *    row: p50 and p99.
 * A fresh database and topics; dropped at the end. Prints figures; no assertions.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createEvent } from '@xueji/events';
import { startService } from '@xueji/service-kit';
import { writeSheet } from '@xueji/spreadsheet';
import {
  approvedRegistration,
  createTestDatabase,
  deleteTopicsAndGroups,
  deliverEvents,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testServiceConfig,
  tokenFor,
  uniqueSuffix,
} from '@xueji/testkit';
import { startGateway } from '../../gateway/src/gateway';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';
import { assessment } from '../../services/assessment/src/service';
import { rosterRow } from '../../test/support/roster-rows';
import { loadInfraEnv, runMain } from './infra-env';
import { percentile } from './subsidy-seed';

const REGION = '220102';
const COURSES = Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);
const CREATE_PLAN = `mutation ($input: TeachingPlanInput!) {
  createTeachingPlan(input: $input) { id courses(first: 20) { edges { node { id code } } } }
}`;
const RECORD = `mutation ($input: RecordResultsInput!) { recordResults(input: $input) { recorded unchanged } }`;
const IMPORT = `mutation ($input: ResultsImportInput!) {
  importResults(input: $input) { rows recorded unchanged rejected problems { row messageEn } }
}`;
const TRANSCRIPT = `query ($id: ID!) { transcript(studentId: $id) { rows contentBase64 } }`;

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

function summary(label: string, latencies: number[], rows: number): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((s, v) => s + v, 0) / 1000;
  console.log(
    `${label}: ${latencies.length} calls, ${rows} rows in ${total.toFixed(2)} s = ${(rows / total).toFixed(0)} rows/s; ` +
      `per call p50 ${ms(percentile(sorted, 0.5))}, p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted.at(-1)!)}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      classes: { type: 'string', default: '20' },
      students: { type: 'string', default: '1000' },
      transcripts: { type: 'string', default: '200' },
    },
  });
  const classes = Number(values.classes);
  const sheetStudents = Number(values.students);
  const transcripts = Number(values.transcripts);
  loadInfraEnv();

  const databaseUrl = await createTestDatabase('assessment_bench');
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const service = await startService(
    assessment,
    testServiceConfig('assessment', { databaseUrl, topicPrefix, today: '2026-10-10', profile: 'national' }),
  );
  // The gateway serves the committed supergraph; only assessment is asked for a transcript.
  const gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: { assessment: service.url },
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    port: 0,
    logLevel: 'warn',
  });
  try {
    const schoolId = randomUUID();
    const token = tokenFor({ subject: 'bench-registrar', role: 'SCHOOL_REGISTRAR', schoolId });
    const classStudents = Array.from({ length: classes * 50 }, () => randomUUID());
    const importStudents = Array.from({ length: sheetStudents }, () => randomUUID());
    const seedStarted = performance.now();
    const events = [
      createEvent('xueji.enrolment.school.registered.v1', schoolId, {
        schoolId,
        code: 'BENCH',
        name: '基准测试学校',
        regionCode: REGION,
        authorityRegionCode: REGION,
        nationalKey: false,
        status: 'ACTIVE',
      }),
      ...[
        ...classStudents.map((id) => [id, '710201'] as const),
        ...importStudents.map((id) => [id, '730301'] as const),
      ].flatMap(([studentId, majorCode], i) => [
        // The name schools write on the results sheet next to the student number (学号, 姓名).
        createEvent('xueji.enrolment.student.registered.v1', studentId, {
          studentId,
          schoolId,
          regionCode: REGION,
          name: String(rosterRow(i).姓名),
          registeredAt: '2026-09-10T02:00:00.000Z',
        }),
        approvedRegistration({
          studentId,
          schoolId,
          regionCode: REGION,
          entryDate: '2026-09-01',
          approvedAt: '2026-09-20T02:00:00.000Z',
          majorCode,
        }),
      ]),
    ];
    for (let i = 0; i < events.length; i += 500)
      await deliverEvents(service, `${topicPrefix}xueji.enrolment.events`, events.slice(i, i + 500));
    console.log(
      `seeded ${(events.length - 1) / 2} approved students in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    const plan = async (majorCode: string) => {
      const r = await graphql<{
        createTeachingPlan: { id: string; courses: { edges: { node: { id: string; code: string } }[] } };
      }>(
        service.url,
        CREATE_PLAN,
        {
          input: {
            schoolId,
            majorCode,
            cohortYear: 2026,
            name: `基准 ${majorCode}`,
            makeUpsPerCourse: 1,
            courses: COURSES.map((code) => ({
              code,
              name: `课程 ${code}`,
              studyYear: 1,
              semester: 1,
              credits: 3,
              classHours: 48,
              assessmentType: 'EXAM',
              requirement: 'COMPULSORY',
              category: 'PROFESSIONAL',
              physicalEducation: false,
            })),
          },
        },
        token,
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.createTeachingPlan;
    };

    // 1. A class of 50 and a course per call.
    const classPlan = await plan('710201');
    const latencies: number[] = [];
    let recorded = 0;
    for (let c = 0; c < classes; c++) {
      const students = classStudents.slice(c * 50, c * 50 + 50);
      for (const { node } of classPlan.courses.edges) {
        const started = performance.now();
        const r = await graphql<{ recordResults: { recorded: number } }>(
          service.url,
          RECORD,
          {
            input: {
              courseId: node.id,
              attempt: 'REGULAR',
              entries: students.map((studentId, i) => ({ studentId, score: 40 + ((i * 7 + c) % 61) })),
            },
          },
          token,
        );
        latencies.push(performance.now() - started);
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        recorded += r.data!.recordResults.recorded;
      }
    }
    summary(`recordResults, ${classes} classes × 50 students × ${COURSES.length} courses`, latencies, recorded);

    // 2. A 1,000-student sheet.
    const importPlan = await plan('730301');
    const file = await writeSheet({
      sheetName: '成绩',
      headers: ['学号', '姓名', ...COURSES.map((c) => `${c} 课程`)],
      rows: importStudents.map((id, i) => [
        `G${id}`, // approvedRegistration's student number
        String(rosterRow(classStudents.length + i).姓名),
        ...COURSES.map((_, j) => 50 + ((i + j) % 51)),
      ]),
    });
    const input = {
      planId: importPlan.id,
      attempt: 'REGULAR',
      fileName: 'bench-results.xlsx',
      contentBase64: file.toString('base64'),
    };
    console.log(
      `sheet: ${sheetStudents} rows × ${COURSES.length} courses, ${(file.length / 1024).toFixed(0)} KiB .xlsx`,
    );
    const importLatencies: number[] = [];
    for (let run = 0; run < 6; run++) {
      const started = performance.now();
      const r = await graphql<{
        importResults: { rows: number; recorded: number; unchanged: number; rejected: number };
      }>(service.url, IMPORT, { input }, token);
      const took = performance.now() - started;
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const report = r.data!.importResults;
      console.log(
        `  import ${run === 0 ? 'first' : `again #${run}`}: rows ${report.rows}, recorded ${report.recorded}, ` +
          `unchanged ${report.unchanged}, rejected ${report.rejected}, ${ms(took)}, ` +
          `${((report.rows * COURSES.length) / (took / 1000)).toFixed(0)} results/s`,
      );
      if (run > 0) importLatencies.push(took);
      else summary('importResults, first import', [took], report.rows);
    }
    summary('importResults, the same file again (idempotent)', importLatencies, importLatencies.length * sheetStudents);

    // 3. A transcript through the gateway.
    const student = classStudents[0]!;
    const transcriptLatencies: number[] = [];
    for (let i = 0; i < transcripts; i++) {
      const started = performance.now();
      const r = await graphql<{ transcript: { rows: number } }>(gateway.url, TRANSCRIPT, { id: student }, token);
      transcriptLatencies.push(performance.now() - started);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }
    const sorted = [...transcriptLatencies].sort((a, b) => a - b);
    console.log(
      `transcript (.xlsx) through the gateway, 1 student × ${transcripts} in a row: ` +
        `p50 ${ms(percentile(sorted, 0.5))}, p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted.at(-1)!)}`,
    );
  } finally {
    await gateway.stop();
    await service.stop();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);
