/**
 * Subsidy's `Student` fields are batched per request: a list of 100 students through the gateway
 * (one `_entities` call) costs the statements one student costs.
 */
import { randomUUID } from 'node:crypto';
import { countStatements, resolveStudents, tokenFor } from '@xueji/testkit';
import { changed, enrolled, startSubsidy, type Running } from './support';

jest.setTimeout(90_000);

const OFFICER = tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });

/** Every field subsidy adds to `Student`, both forms of the timeline included. */
const SELECTION = `
  id
  subsidyEligibility { asOf period grant { eligible reasons { rule met } } tuitionWaiver { eligible } facts { studyYear } }
  subsidyTimeline { period grant { eligible } decidedAt }
  pastTimeline: subsidyTimeline(asOf: "2026-10-01T00:00:00Z") { period }
  entitlements { id period state amountCny }
  fraudSignals { id kind }
  waiverHistory { agricultureRelatedMajor lockedAgainstMajorChange periods { period grantedAt stillGranted } }`;

interface Entity {
  id: string;
  subsidyEligibility: { grant: { eligible: boolean } };
  subsidyTimeline: { period: string; decidedAt: string }[];
  pastTimeline: { period: string }[];
  entitlements: { state: string }[];
  fraudSignals: { kind: string }[];
  waiverHistory: { lockedAgainstMajorChange: boolean; periods: { period: string; grantedAt: string }[] };
}

let r: Running;
const students = Array.from({ length: 100 }, () => randomUUID());
// Two records of one person (signals), an agriculture-related major (SB-5 lock), a suspension (SB-2).
const [twinA, twinB, farm, suspended] = students as [string, string, string, string];

beforeAll(async () => {
  r = await startSubsidy('entities', '2026-11-20');
  await r.publish(
    'enrolment',
    students.flatMap((id) =>
      enrolled(id, {
        ...(id === twinA || id === twinB ? { idNumber: '420302201009018888' } : {}),
        ...(id === farm ? { agricultureRelated: true } : {}),
      }),
    ),
  );
  await r.publish('status-change', [changed(suspended, 'SUSPENSION', '2026-11-01', '2026-11-01T08:00:00.000Z')]);
});

afterAll(async () => {
  await r?.stop();
});

it('resolves 100 students in one _entities call for what one student costs', async () => {
  const one = await countStatements(r.service.dataSource, () =>
    resolveStudents<Entity>(r.service.url, OFFICER, students.slice(0, 1), SELECTION),
  );
  const hundred = await countStatements(r.service.dataSource, () =>
    resolveStudents<Entity>(r.service.url, OFFICER, students, SELECTION),
  );
  expect(one.result.errors).toBeUndefined();
  expect(hundred.result.errors).toBeUndefined();
  // One statement per field (scope, eligibility, timeline, past timeline, entitlements, signals, waiver).
  expect(hundred.statements).toBe(one.statements);
  expect(hundred.statements).toBeLessThanOrEqual(7);

  // Each answer is its own student's.
  const entities = hundred.result.data!._entities as Entity[];
  expect(entities.map((e) => e.id)).toEqual(students);
  const byId = new Map(entities.map((e) => [e.id, e]));
  expect(byId.get(students[10]!)).toMatchObject({
    subsidyEligibility: { grant: { eligible: true } },
    subsidyTimeline: [{ period: '2026-autumn', decidedAt: '2026-08-28T09:00:00.000Z' }],
    pastTimeline: [{ period: '2026-autumn' }],
    entitlements: [{ state: 'PENDING' }],
    fraudSignals: [],
    waiverHistory: { lockedAgainstMajorChange: false, periods: [{ period: '2026-autumn' }] },
  });
  expect(byId.get(twinA)!.fraudSignals).toEqual([{ id: expect.any(String), kind: 'DOUBLE_STATUS' }]);
  expect(byId.get(twinB)!.fraudSignals.map((s) => s.kind)).toEqual(['DOUBLE_STATUS']);
  expect(byId.get(farm)!.waiverHistory.lockedAgainstMajorChange).toBe(true);
  expect(byId.get(suspended)!.subsidyEligibility.grant.eligible).toBe(false);
  expect(entities.filter((e) => e.subsidyEligibility.grant.eligible)).toHaveLength(99);
});
