/**
 * Issue 10 (P2), through running services: one student's event that the broker refuses for good is
 * parked by status-change's relay; another student's withdrawal still reaches subsidy and ends the
 * eligibility (SB-3); the parked student's later events wait behind it, to keep their order; after
 * the operator fixes the cause, `pnpm outbox --service status-change release <event id>` (the CLI,
 * a child process) lets them through and subsidy catches up.
 */
import { createEvent, toBusMessage } from '@xueji/events';
import { alterTopicConfig, auditRows, kafkaBrokers, runScript, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { formalStudent, grantOf, statusChangeKnowsSchools, withdrawStudent } from '../support/students';

jest.setTimeout(180_000);

/** The topic refuses records above this size for the scenario (the broker's `max.message.bytes`). */
const SMALL_TOPIC_BYTES = 16_384;
/** Kafka's default, restored by the operator before the release. */
const DEFAULT_TOPIC_BYTES = 1_048_588;

interface OutboxRow {
  event_id: string;
  event_type: string;
  published_at: Date | null;
  parked_at: Date | null;
  parked_error: string | null;
}

/** `pnpm outbox --service status-change …` against the stack's status-change database, as an operator runs it. */
const outbox = (databaseUrl: string, args: string[]) =>
  runScript('packages/outbox/src/cli.ts', ['--service', 'status-change', ...args], { DATABASE_URL: databaseUrl });

describe('a poison event through the running services (issue 10)', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-poison', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-poison', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });
  const officer = tokenFor({ subject: 'officer-poison', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
  let topic = '';

  const outboxOf = async (studentId: string): Promise<OutboxRow[]> =>
    (await stack.services['status-change'].dataSource.query(
      `SELECT event_id, event_type, published_at, parked_at, parked_error FROM outbox_message
        WHERE message_key = $1 ORDER BY seq`,
      [studentId],
    )) as OutboxRow[];

  /** The school asks for a withdrawal; the school and the county approve: EFFECTIVE at once. */
  async function withdraw(studentId: string): Promise<void> {
    await withdrawStudent(stack, studentId, { registrar: registrar(), reviewer }, '2026-09-15');
  }

  beforeAll(async () => {
    stack = await startStack({ today: '2026-03-10' });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('PZ-A01', '220102', { name: '南关区职业教育中心' }),
    ])) as [string];
    topic = stack.services['status-change'].topics.own;
    await statusChangeKnowsSchools(stack, 1);
  });

  afterAll(async () => {
    if (topic) await alterTopicConfig(kafkaBrokers(), topic, { 'max.message.bytes': String(DEFAULT_TOPIC_BYTES) });
    await stack?.stop();
  });

  it('parks one student’s event; another’s withdrawal still ends eligibility; the parked student’s wait until `pnpm outbox release`', async () => {
    const who = { schoolId: A, regionCode: '220102', registrar: registrar(), reviewer };
    const parked = await formalStudent(stack, who, 401, { entryDate: '2026-03-01', intake: 'SPRING' });
    const other = await formalStudent(stack, who, 402, { entryDate: '2026-03-01', intake: 'SPRING' });
    for (const id of [parked, other]) {
      await waitFor(async () => (await grantOf(stack, id, officer))?.eligible === true, {
        what: 'subsidy to decide the formal student eligible',
      });
    }
    stack.setToday('2026-09-15');

    // The poison: an event of the first student that the broker refuses for good (larger than the
    // topic takes), as the 1.2 MB address correction was. It is an ordinary suspension otherwise.
    await alterTopicConfig(kafkaBrokers(), topic, { 'max.message.bytes': String(SMALL_TOPIC_BYTES) });
    const poison = createEvent('xueji.status-change.status.changed.v1', parked, {
      studentId: parked,
      kind: 'SUSPENSION',
      effectiveDate: '2026-09-01',
      previousStatus: 'ACTIVE',
      newStatus: 'SUSPENDED',
      schoolId: A,
      regionCode: '220102',
    });
    const message = toBusMessage(poison);
    const headers = { ...message.headers, 'x-test-padding': 'x'.repeat(2 * SMALL_TOPIC_BYTES) };
    await stack.services['status-change'].dataSource.query(
      `INSERT INTO outbox_message (event_id, topic, message_key, event_type, headers, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [poison.id, topic, parked, poison.type, JSON.stringify(headers), message.value!.toString('utf8')],
    );
    await stack.services['status-change'].dataSource.query(`SELECT pg_notify('xueji_outbox', '')`);
    const [parkedRow] = await waitFor(
      async () => {
        const rows = (await outboxOf(parked)).filter((r) => r.event_id === poison.id && r.parked_at);
        return rows.length ? rows : null;
      },
      { what: 'the relay to park the poison event', timeoutMs: 30_000 },
    );
    expect(parkedRow!.parked_error).toMatch(/too large|size/i);

    // The same student's withdrawal: approved and committed, its events wait behind the parked one.
    await withdraw(parked);
    // Another student's withdrawal flows: subsidy ends the eligibility within seconds (SB-3).
    await withdraw(other);
    const ended = await waitFor(
      async () => {
        const grant = await grantOf(stack, other, officer);
        return grant && !grant.eligible ? grant : null;
      },
      { what: 'subsidy to end the other student’s eligibility', timeoutMs: 20_000 },
    );
    expect(ended.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-3', met: false }));
    // Every event of the other student is published; none of the parked student's after the poison.
    expect((await outboxOf(other)).every((r) => r.published_at !== null)).toBe(true);
    const waiting = (await outboxOf(parked)).filter((r) => r.published_at === null && r.parked_at === null);
    expect(waiting.map((r) => r.event_type)).toContain('xueji.status-change.status.changed.v1');
    expect(await grantOf(stack, parked, officer)).toMatchObject({ eligible: true });

    // The operator sees it, fixes the cause (the topic takes larger records again) and releases it.
    const listed = await outbox(stack.databases['status-change'], ['list-parked']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(poison.id);
    expect(listed.stdout).toContain(`waiting=${waiting.length}`);
    await alterTopicConfig(kafkaBrokers(), topic, { 'max.message.bytes': String(DEFAULT_TOPIC_BYTES) });
    const released = await outbox(stack.databases['status-change'], ['release', poison.id, '--operator', 'ops-e2e']);
    expect(released).toMatchObject({ code: 0, stderr: '' });
    expect(released.stdout).toContain(`released ${poison.id}`);

    // The parked event and those behind it go out, in order; subsidy applies the withdrawal.
    await waitFor(async () => (await outboxOf(parked)).every((r) => r.published_at !== null && !r.parked_at), {
      what: 'the relay to publish the released event and those behind it',
      timeoutMs: 30_000,
    });
    // The released suspension arrives first and already ends eligibility (SB-2); wait for the
    // withdrawal behind it, which subsidy applies next (SB-3).
    const caughtUp = await waitFor(
      async () => {
        const grant = await grantOf(stack, parked, officer);
        return grant && !grant.eligible && grant.reasons.some((r) => r.rule === 'SB-3' && !r.met) ? grant : null;
      },
      { what: 'subsidy to catch up with the parked student’s withdrawal', timeoutMs: 20_000 },
    );
    expect(caughtUp.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-3', met: false }));
    const audited = (await auditRows(stack.services['status-change'].dataSource)).filter(
      (r) => r.entityId === poison.id,
    );
    expect(audited).toEqual([expect.objectContaining({ action: 'RELEASE_PARKED_EVENT', actor: 'ops-e2e' })]);
  });
});
