import { buildSchema, graphql } from 'graphql';
import { inTurns } from '../src';

it('answers a long list in turns of the event loop, the same list in the same order', async () => {
  const schema = buildSchema('type Row { n: Int! } type Query { rows: [Row!]! }');
  const rows = Array.from({ length: 2_050 }, (_, n) => ({ n }));
  // Counts turns of the event loop while the answer is built.
  let ticks = 0;
  let ticking = true;
  const tick = () => {
    ticks++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turns: number[] = [];
  const result = await graphql({
    schema,
    source: '{ rows { n } }',
    rootValue: { rows: () => inTurns(rows, 500) },
    fieldResolver: (source: Record<string, unknown>, _args, _ctx, info) => {
      if (info.fieldName === 'n') turns.push(ticks);
      const value = source[info.fieldName];
      return typeof value === 'function' ? (value as () => unknown)() : value;
    },
  });
  ticking = false;
  expect(result).toEqual({ data: { rows: rows.map(({ n }) => ({ n })) } });
  // Five chunks of at most 500, each completed in a turn of its own: other work ran in between.
  expect(new Set(turns).size).toBe(5);
  expect(inTurns(rows.slice(0, 3))).toEqual(rows.slice(0, 3));
});
