/**
 * Issue 13: a list's statement, exactly as its read builds it, run under EXPLAIN (ANALYZE, FORMAT
 * JSON) at a seeded size: the plan tests of each service assert it reads on the index meant for it,
 * never sequentially, and sorts (if at all) in memory.
 */
import type { Queryable } from '@xueji/db';

/** One node of a JSON plan, with what the tests look at. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Sort Method'?: string;
  'Sort Space Type'?: string;
  Plans?: PlanNode[];
}

/** A statement as a read runs it: its text and its positional values. */
export interface PlannedStatement {
  text: string;
  values: unknown[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** Every node of the statement's plan, run (ANALYZE) so that a sort says where it sorted. */
export async function explainPlan(db: Queryable, statement: PlannedStatement): Promise<PlanNode[]> {
  const [row] = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values)) as {
    'QUERY PLAN': [{ Plan: PlanNode }];
  }[];
  return nodes(row!['QUERY PLAN'][0].Plan);
}

/** A plan in one line: `Limit > Index Only Scan student_school_order`. */
export const planSummary = (plan: PlanNode[]) =>
  plan.map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`).join(' > ');

/**
 * The plan reads on one of `indexes` (at least one of them named), with no sequential scan of any
 * table but `options.smallTables` (a directory of a few hundred schools, read whole for a hash
 * join) and no sort spilling to disk. `PLAN_LOG=1` prints each statement and its plan.
 */
export async function expectIndexed(
  db: Queryable,
  statement: PlannedStatement,
  indexes: string[],
  options: { smallTables?: string[] } = {},
): Promise<void> {
  const plan = await explainPlan(db, statement);
  const summary = planSummary(plan);
  if (process.env.PLAN_LOG)
    process.stderr.write(`${statement.text}\n${JSON.stringify(statement.values)}\n${summary}\n`);
  expect({
    summary,
    seqScans: plan
      .filter((n) => n['Node Type'] === 'Seq Scan' && !options.smallTables?.includes(n['Relation Name']!))
      .map((n) => n['Relation Name']),
  }).toMatchObject({ seqScans: [] });
  const used = plan.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
  expect({ summary, named: used.some((i) => indexes.includes(i)) }).toEqual({ summary, named: true });
  for (const n of plan.filter((p) => p['Node Type'] === 'Sort')) {
    expect({ summary, method: n['Sort Method'], space: n['Sort Space Type'] }).toEqual({
      summary,
      method: expect.not.stringMatching(/external/i) as unknown,
      space: 'Memory',
    });
  }
}
