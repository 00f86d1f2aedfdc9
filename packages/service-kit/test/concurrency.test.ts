import { concurrencyLimit } from '../src';

it('bounds a read as command({ concurrency }) bounds a command: a further caller waits, then is refused', async () => {
  const limit = concurrencyLimit('HEAVY_REPORT', { max: 2, waitMs: 200 });
  const gates: (() => void)[] = [];
  const run = () => limit.run(() => new Promise<string>((resolve) => gates.push(() => resolve('done'))));
  const first = run();
  const second = run();
  await new Promise((resolve) => setImmediate(resolve));
  expect(limit.running).toBe(2);

  const started = Date.now();
  await expect(run()).rejects.toMatchObject({
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      details: { operation: 'HEAVY_REPORT', maxConcurrent: 2 },
    },
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  expect(gates).toHaveLength(2);

  // One that arrives while a place frees within its wait gets it; a failure gives its place back.
  const third = run();
  gates[0]!();
  await expect(first).resolves.toBe('done');
  while (gates.length < 3) await new Promise((resolve) => setImmediate(resolve));
  gates[1]!();
  gates[2]!();
  await expect(Promise.all([second, third])).resolves.toEqual(['done', 'done']);
  await expect(limit.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  expect(limit.running).toBe(0);
});
