import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { EnsureAuditEntry1763800009000 } from '@xueji/audit';
import type { Principal } from '@xueji/auth';
import { topicNames, fixedOrRealClock } from '@xueji/config';
import { createDataSource, openDataSource, selectRows } from '@xueji/db';
import { policyViolation } from '@xueji/errors';
import { newEnvelope } from '@xueji/events';
import { CreateOutbox1763800000000 } from '@xueji/outbox';
import { loadPolicyProfile } from '@xueji/policy';
import {
  command,
  createLogger,
  NothingToDo,
  systemActor,
  type CommandEnv,
  type ServiceContext,
} from '@xueji/service-kit';
import { auditRows, createTestDatabase, dropTestDatabase } from '@xueji/testkit';

const SCHOOL = randomUUID();
const OTHER_SCHOOL = randomUUID();
const registrar: Principal = { subject: 'registrar-1', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL };

let url: string;
let dataSource: DataSource;
let env: CommandEnv;

const context = (principal: Principal | null): ServiceContext => ({
  ...env,
  principal,
  dataSource,
  requestId: randomUUID(),
});

/** A write of the kind every service has: a row, an event, the rules of a profile. */
const renameStudent = command<{ studentId: string; schoolId: string; name: string }, { id: string }>({
  name: 'RENAME_STUDENT',
  roles: ['SCHOOL_REGISTRAR'],
  async run(uow, input) {
    uow.requireScope({ schoolId: input.schoolId, regionCode: '220102' });
    await uow.manager.query(`INSERT INTO student_name (id, name) VALUES ($1, $2)`, [input.studentId, input.name]);
    if (input.name.length > 10) throw policyViolation('ENR-2', { zh: '姓名过长', en: 'Name too long' });
    uow.publish({
      topic: uow.topics.own,
      event: newEnvelope({ type: 'test.renamed.v1', source: '/test', subject: input.studentId, data: input }),
    });
    return { id: input.studentId };
  },
  audit: (result, input) => ({ entity: 'student', entityId: result.id, reason: `renamed to ${input.name}` }),
});

const applyEvent = command<{ studentId: string }, void>({
  name: 'APPLY_TEST_EVENT',
  roles: 'SYSTEM',
  run: async (uow, input) => {
    await uow.manager.query(`INSERT INTO student_name (id, name) VALUES ($1, 'from an event')`, [input.studentId]);
  },
  audit: (_, input) => ({ entity: 'student', entityId: input.studentId }),
});

const counts = async () =>
  (
    await selectRows<{ students: number; outbox: number; audit: number }>(
      dataSource,
      `SELECT (SELECT count(*)::int FROM student_name) AS students,
              (SELECT count(*)::int FROM outbox_message) AS outbox,
              (SELECT count(*)::int FROM audit_entry) AS audit`,
    )
  )[0]!;

beforeAll(async () => {
  url = await createTestDatabase('command');
  dataSource = await openDataSource(
    createDataSource({ url, entities: [], migrations: [CreateOutbox1763800000000, EnsureAuditEntry1763800009000] }),
  );
  await dataSource.query(`CREATE TABLE student_name (id uuid PRIMARY KEY, name text NOT NULL)`);
  env = {
    profile: loadPolicyProfile('national'),
    topics: topicNames('enrolment', ''),
    logger: createLogger('command-test', 'silent'),
    ...fixedOrRealClock('2026-09-01', false),
  };
});

afterAll(async () => {
  await dataSource?.destroy();
  if (url) await dropTestDatabase(url);
});

it('commits the change, its events and one audit row together', async () => {
  const before = await counts();
  const studentId = randomUUID();
  await expect(
    renameStudent.execute(context(registrar), { studentId, schoolId: SCHOOL, name: '张三' }),
  ).resolves.toEqual({ id: studentId });
  expect(await counts()).toEqual({ students: before.students + 1, outbox: before.outbox + 1, audit: before.audit + 1 });
  expect((await auditRows(dataSource)).at(-1)).toEqual({
    actor: 'registrar-1',
    role: 'SCHOOL_REGISTRAR',
    action: 'RENAME_STUDENT',
    entity: 'student',
    entityId: studentId,
    reason: 'renamed to 张三',
  });
});

it('writes nothing at all when a rule refuses, the role is wrong or the school is not the caller’s', async () => {
  const before = await counts();
  await expect(
    renameStudent.execute(context(registrar), {
      studentId: randomUUID(),
      schoolId: SCHOOL,
      name: '一个非常非常长的名字啊',
    }),
  ).rejects.toMatchObject({ extensions: { code: 'POLICY_VIOLATION', rule: 'ENR-2' } });
  await expect(
    renameStudent.execute(context({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220000' }), {
      studentId: randomUUID(),
      schoolId: SCHOOL,
      name: '李四',
    }),
  ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  await expect(
    renameStudent.execute(context(registrar), { studentId: randomUUID(), schoolId: OTHER_SCHOOL, name: '王五' }),
  ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  await expect(
    renameStudent.execute(context(null), { studentId: randomUUID(), schoolId: SCHOOL, name: '赵六' }),
  ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(await counts()).toEqual(before);
});

it('runs a system write inside a transaction already open, audited as the system', async () => {
  const studentId = randomUUID();
  await dataSource.transaction((manager) =>
    applyEvent.within(manager, env, systemActor('test.event.v1#1'), { studentId }),
  );
  expect((await auditRows(dataSource)).at(-1)).toMatchObject({
    actor: 'test.event.v1#1',
    role: 'SYSTEM',
    action: 'APPLY_TEST_EVENT',
    entityId: studentId,
  });
  await applyEvent.runAsSystem(dataSource, env, systemActor('a-job'), { studentId: randomUUID() });
  expect((await auditRows(dataSource)).at(-1)).toMatchObject({ actor: 'a-job', role: 'SYSTEM' });
});

it('keeps system commands and callers’ commands apart', async () => {
  await expect(applyEvent.execute(context(registrar), { studentId: randomUUID() })).rejects.toThrow(
    /only as the system/,
  );
  await expect(
    renameStudent.runAsSystem(dataSource, env, systemActor('a-job'), {
      studentId: randomUUID(),
      schoolId: SCHOOL,
      name: 'x',
    }),
  ).rejects.toThrow(/not a system command/);
});

it('answers null for a system step with nothing left to do, and writes nothing', async () => {
  const takeIfFree = command<{ studentId: string }, { id: string }>({
    name: 'TAKE_IF_FREE',
    roles: 'SYSTEM',
    async run(uow, input) {
      await uow.manager.query(`INSERT INTO student_name (id, name) VALUES ($1, 'half written')`, [input.studentId]);
      throw new NothingToDo('another instance took it');
    },
    audit: (_, input) => ({ entity: 'student', entityId: input.studentId }),
  });
  const before = await counts();
  await expect(
    takeIfFree.runAsSystem(dataSource, env, systemActor('a-job'), { studentId: randomUUID() }),
  ).resolves.toBe(null);
  expect(await counts()).toEqual(before);
});

it('runs at most `concurrency.max` at once: a further caller waits for a place, then is refused as retryable', async () => {
  let running = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const heavyImport = command<{ studentId: string }, { id: string }>({
    name: 'HEAVY_IMPORT',
    roles: ['SCHOOL_REGISTRAR'],
    concurrency: { max: 2, waitMs: 300 },
    async run(uow, input) {
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.push(resolve));
      await uow.manager.query(`INSERT INTO student_name (id, name) VALUES ($1, 'imported')`, [input.studentId]);
      running--;
      return { id: input.studentId };
    },
    audit: (result) => ({ entity: 'student', entityId: result.id }),
  });
  const run = () => heavyImport.execute(context(registrar), { studentId: randomUUID() });
  const waitFor = async (count: number) => {
    while (gates.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  const first = run();
  const second = run();
  await waitFor(2);
  const before = await counts();
  // A third finds both places taken for longer than it may wait: refused before any transaction, nothing written.
  const started = Date.now();
  await expect(run()).rejects.toMatchObject({
    extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, details: { maxConcurrent: 2 } },
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(gates).toHaveLength(2);
  expect(await counts()).toEqual(before);

  // A fourth that arrives while one place frees within its wait gets that place.
  const fourth = run();
  gates[0]!();
  await first;
  await waitFor(3);
  gates[1]!();
  gates[2]!();
  await expect(Promise.all([second, fourth])).resolves.toHaveLength(2);
  expect(most).toBe(2);

  // A refusal inside the command gives its place back.
  const refusing = command<Record<string, never>, void>({
    name: 'REFUSING_EXPORT',
    roles: ['SCHOOL_REGISTRAR'],
    concurrency: { max: 1, waitMs: 50 },
    run: () => Promise.reject(policyViolation('ENR-2', { zh: '拒绝', en: 'Refused' })),
    audit: () => ({ entity: 'student', entityId: SCHOOL }),
  });
  for (let i = 0; i < 3; i++) {
    await expect(refusing.execute(context(registrar), {})).rejects.toMatchObject({
      extensions: { code: 'POLICY_VIOLATION' },
    });
  }
});
