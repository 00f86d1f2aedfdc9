import { Client } from 'pg';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  readTopic,
  startProcess,
  TEST_JWT_SECRET,
  tokenFor,
  testTopicPrefix,
  waitFor,
  type ServiceProcess,
} from '@xueji/testkit';
import { registration, SUBMIT, TEST_TODAY } from '../support/enrolment';

/** Start the real enrolment service as its own process, as `pnpm start` would, and wait until it serves. */
const spawnEnrolment = (env: Record<string, string>): Promise<ServiceProcess> =>
  startProcess('enrolment', 'services/enrolment/src/main.ts', env, 60_000);

describe('a crash between commit and publish loses no event', () => {
  let databaseUrl: string;
  let db: Client;
  const topicPrefix = testTopicPrefix();
  const env = () => ({
    XUEJI_CLOCK_DATE: TEST_TODAY,
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    XUEJI_JWT_SECRET: TEST_JWT_SECRET,
  });

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('crash');
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await dropTestDatabase(databaseUrl);
  });

  it('publishes the registration after the killed process is restarted', async () => {
    // First life: the change commits, but the process dies (SIGKILL) before its relay publishes.
    const first = await spawnEnrolment({ ...env(), OUTBOX_RELAY_ENABLED: 'false' });
    const [{ id: schoolId }] = (
      await db.query(
        `INSERT INTO school (code, name, region_code, authority_region_code)
         VALUES ('CRASH', '长春市职业学校', '220102', '220102') RETURNING id`,
      )
    ).rows;
    await db.query(`INSERT INTO major_category (code, name) VALUES ('71', '电子与信息大类')`);
    await db.query(
      `INSERT INTO major (code, name, category_code, standard_years) VALUES ('710201', '计算机应用', '71', 3)`,
    );
    await db.query(`INSERT INTO school_major (school_id, major_code) VALUES ($1, '710201')`, [schoolId]);
    const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId });
    const input = registration(schoolId, '220102', 7, { name: '赵六' });
    const registered = await graphql<{ submitRegistration: { id: string } }>(first.url, SUBMIT, { input }, registrar);
    expect(registered.errors).toBeUndefined();
    const studentId = registered.data!.submitRegistration.id;
    first.child.kill('SIGKILL');
    await first.exited;

    const pending = await db.query('SELECT event_type, published_at FROM outbox_message WHERE message_key = $1', [
      studentId,
    ]);
    expect(pending.rows).toEqual([{ event_type: 'xueji.enrolment.student.registered.v1', published_at: null }]);

    // Second life: the relay finds the committed row and publishes it.
    const second = await spawnEnrolment(env());
    try {
      const topic = `${topicPrefix}xueji.enrolment.events`;
      const messages = await readTopic(kafkaBrokers(), topic, (m) => m.some((x) => x.key === studentId));
      const message = messages.find((x) => x.key === studentId)!;
      expect(message.headers.ce_type).toBe('xueji.enrolment.student.registered.v1');
      expect(JSON.parse(message.value!)).toMatchObject({ studentId, schoolId, name: '赵六', regionCode: '220102' });
      await waitFor(async () => {
        const { rows } = await db.query<{ published_at: Date | null }>(
          'SELECT published_at FROM outbox_message WHERE message_key = $1',
          [studentId],
        );
        return rows[0]?.published_at !== null;
      });
    } finally {
      // Graceful shutdown on SIGTERM: exit code 0.
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
