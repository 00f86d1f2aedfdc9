import type { ReceivedMessage } from '@xueji/event-bus';
import { mergeByEventTime } from '../src/replay';

const message = (topic: string, partition: number, offset: number, time?: string): ReceivedMessage => ({
  topic,
  partition,
  offset: String(offset),
  key: null,
  value: null,
  headers: time ? { ce_time: time } : {},
});
const label = (m: ReceivedMessage) => `${m.topic}/${m.partition}@${m.offset}`;

describe('a replay meets the events in the order they happened (mergeByEventTime)', () => {
  it('interleaves the topics by ce_time, as a live consumer met them, not topic by topic', () => {
    const enrolment = [
      message('enrolment', 0, 0, '2026-09-01T01:00:00Z'),
      message('enrolment', 0, 1, '2026-09-03T01:00:00Z'),
    ];
    const statusChange = [message('status-change', 0, 0, '2026-09-02T01:00:00Z')];
    expect(mergeByEventTime([statusChange, enrolment]).map(label)).toEqual([
      'enrolment/0@0',
      'status-change/0@0',
      'enrolment/0@1',
    ]);
  });

  it('keeps each partition in its own order, even where its times do not ascend', () => {
    const p0 = [message('t', 0, 0, '2026-09-02T00:00:00Z'), message('t', 0, 1, '2026-09-01T00:00:00Z')];
    const p1 = [message('t', 1, 0, '2026-09-01T12:00:00Z')];
    expect(mergeByEventTime([p0, p1]).map(label)).toEqual(['t/1@0', 't/0@0', 't/0@1']);
  });

  it('breaks ties by topic then partition, and meets a message without a time where it stands', () => {
    const same = '2026-09-01T00:00:00Z';
    const merged = mergeByEventTime([
      [message('b', 0, 0, same)],
      [message('a', 1, 0, same)],
      [message('a', 0, 0), message('a', 0, 1, same)],
    ]);
    expect(merged.map(label)).toEqual(['a/0@0', 'a/0@1', 'a/1@0', 'b/0@0']);
    expect(mergeByEventTime([[], []])).toEqual([]);
  });
});
