#!/usr/bin/env node
/* eslint-disable no-console */
// Smoke-test kafkajs against the broker in KAFKA_BROKERS (default 127.0.0.1:59092):
//   admin createTopics -> idempotent producer (200 keyed msgs with headers) -> consumer group
//   reads all (per-key order) -> 2nd consumer in the same group sees only new messages
//   (committed offsets honoured) -> deleteTopics/deleteGroups.
// Exits non-zero on any failure or any kafkajs ERROR log line other than the retriable
// "coordinator loading / not available" ones that any broker returns right after it started.
// Usage: KAFKA_BROKERS=127.0.0.1:59092 node infra/verify-kafkajs.cjs
'use strict';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { Kafka, logLevel } = require('kafkajs');
const crypto = require('node:crypto');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:59092').split(',').map((s) => s.trim());
const runId = crypto.randomBytes(4).toString('hex');
const topic = `xueji.verify.${runId}`;
const groupId = `xueji-verify-${runId}`;
const KEYS = ['student-1', 'student-2', 'student-3', 'student-4', 'student-5', 'student-6', 'student-7'];
const FIRST = 200;
const SECOND = 20;

const problems = [];
const kafkaLogs = [];
const TRANSIENT =
  /coordinator is loading|coordinator is not available|not the correct coordinator|leader not available|no leader for this topic-partition/i;
const logCreator =
  () =>
  ({ level, log }) => {
    const { message, namespace, error } = log;
    const line = `${logLevel[level] ?? level} [${namespace}] ${message}${error ? ` (${error})` : ''}`;
    if (level <= logLevel.WARN) kafkaLogs.push(line);
    if (level === logLevel.ERROR && !TRANSIENT.test(line)) problems.push(`kafkajs logged: ${line}`);
  };

const kafka = new Kafka({
  clientId: `xueji-verify-${runId}`,
  brokers,
  logLevel: logLevel.WARN,
  logCreator,
});

const t0 = Date.now();
const step = (msg) => console.log(`[verify +${((Date.now() - t0) / 1000).toFixed(2)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function check(cond, msg) {
  if (!cond) problems.push(msg);
}

async function waitFor(pred, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(50);
  }
  problems.push(`timeout after ${ms}ms waiting for ${what}`);
  return false;
}

async function produce(producer, from, count) {
  // 10 messages per send, sequential sends: per-key order must be kept.
  for (let i = from; i < from + count; i += 10) {
    const messages = [];
    for (let j = i; j < Math.min(i + 10, from + count); j++) {
      const key = KEYS[j % KEYS.length];
      messages.push({
        key,
        value: JSON.stringify({ seq: j, key }),
        headers: { ce_id: `${runId}-${j}`, ce_type: 'xueji.verify', seq: String(j) },
      });
    }
    await producer.send({ topic, acks: -1, messages });
  }
}

function collector() {
  const got = [];
  const handler = async ({ partition, message }) => {
    got.push({
      partition,
      offset: message.offset,
      key: message.key && message.key.toString(),
      value: JSON.parse(message.value.toString()),
      headers: Object.fromEntries(Object.entries(message.headers || {}).map(([k, v]) => [k, v && v.toString()])),
    });
  };
  return { got, handler };
}

async function main() {
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let c1;
  let c2;
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    step(`connected to ${brokers.join(',')} (cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s))`);

    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    check(created === true, `createTopics returned ${created}`);
    step(`created topic ${topic}`);

    await producer.connect();
    await produce(producer, 0, FIRST);
    step(`produced ${FIRST} messages (idempotent, acks=-1)`);

    // consumer 1: read everything from the beginning
    c1 = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    const r1 = collector();
    await c1.connect();
    await c1.subscribe({ topic, fromBeginning: true });
    await c1.run({ eachMessage: r1.handler });
    await waitFor(() => r1.got.length >= FIRST, 30000, `${FIRST} messages on consumer 1`);
    await sleep(500); // catch possible duplicates
    step(`consumer 1 received ${r1.got.length} messages`);

    check(r1.got.length === FIRST, `consumer 1: expected ${FIRST} messages, got ${r1.got.length}`);
    const seqs = new Set(r1.got.map((m) => m.value.seq));
    check(seqs.size === FIRST, `consumer 1: ${seqs.size} distinct seqs, expected ${FIRST}`);
    for (let i = 0; i < FIRST; i++)
      if (!seqs.has(i)) {
        problems.push(`consumer 1: missing seq ${i}`);
        break;
      }
    for (const key of KEYS) {
      const s = r1.got.filter((m) => m.key === key).map((m) => m.value.seq);
      const sorted = [...s].sort((a, b) => a - b);
      check(JSON.stringify(s) === JSON.stringify(sorted), `per-key order broken for ${key}: ${s.join(',')}`);
      const parts = new Set(r1.got.filter((m) => m.key === key).map((m) => m.partition));
      check(parts.size === 1, `key ${key} spread over partitions ${[...parts]}`);
    }
    check(
      r1.got.every((m) => m.headers.seq === String(m.value.seq) && m.headers.ce_id === `${runId}-${m.value.seq}`),
      'headers missing or wrong on some messages',
    );
    await c1.disconnect(); // stops and commits
    c1 = undefined;
    step('consumer 1 stopped');

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    for (const { partition, offset } of committed[0].partitions) {
      const end = ends.find((e) => e.partition === partition);
      const ok = end && (end.offset === offset || (offset === '-1' && end.offset === '0')); // -1 = nothing to commit
      check(ok, `partition ${partition}: committed ${offset}, end ${end && end.offset}`);
    }
    step(`committed offsets: ${committed[0].partitions.map((p) => `${p.partition}:${p.offset}`).join(' ')}`);

    // more messages while no consumer runs, then consumer 2 in the same group
    await produce(producer, FIRST, SECOND);
    c2 = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    const r2 = collector();
    await c2.connect();
    await c2.subscribe({ topic, fromBeginning: true });
    await c2.run({ eachMessage: r2.handler });
    await waitFor(() => r2.got.length >= SECOND, 30000, `${SECOND} new messages on consumer 2`);
    await sleep(2000); // any re-delivery of the first batch would show up now
    step(`consumer 2 received ${r2.got.length} messages`);
    const redelivered = r2.got.filter((m) => m.value.seq < FIRST).length;
    check(redelivered === 0, `consumer 2: ${redelivered} already-committed messages re-delivered`);
    check(r2.got.length === SECOND, `consumer 2: expected ${SECOND} messages, got ${r2.got.length}`);
    await c2.disconnect();
    c2 = undefined;
  } catch (err) {
    problems.push(`exception: ${err && err.stack ? err.stack : err}`);
  } finally {
    for (const c of [c1, c2]) if (c) await c.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 10000 });
      await admin.deleteGroups([groupId]).catch(() => {});
      step(`deleted topic ${topic}`);
    } catch (err) {
      problems.push(`deleteTopics failed: ${err}`);
    }
    await admin.disconnect().catch(() => {});
  }

  if (kafkaLogs.length)
    console.log(`kafkajs warnings/errors (retriable ones are tolerated):\n  ${kafkaLogs.join('\n  ')}`);
  if (problems.length) {
    console.error(`FAIL (${problems.length} problem(s)):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  step('OK');
}

main();
