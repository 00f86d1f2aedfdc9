import { chinaDate, fixedOrRealClock, onFixedDate } from '../src';

describe('one clock (XUEJI_CLOCK_DATE)', () => {
  it('a fixed date keeps the time of day in China, so instants still order within a run', () => {
    // 23:30 UTC is 07:30 the next day in China.
    const at = onFixedDate('2026-09-15', new Date('2026-12-01T23:30:00Z'));
    expect(at.toISOString()).toBe('2026-09-14T23:30:00.000Z');
    expect(chinaDate(at)).toBe('2026-09-15');
    // 15:59 UTC is 23:59 in China: still the fixed date.
    expect(chinaDate(onFixedDate('2026-09-15', new Date('2026-12-02T15:59:00Z')))).toBe('2026-09-15');
  });

  it('today() is the China date of now(), fixed or real', () => {
    const fixed = fixedOrRealClock('2026-09-15', false);
    expect(fixed.today()).toBe('2026-09-15');
    expect(chinaDate(fixed.now())).toBe('2026-09-15');
    const real = fixedOrRealClock(undefined, false);
    expect(Math.abs(real.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(real.today()).toBe(chinaDate(new Date()));
  });

  it('is refused in production', () => {
    expect(() => fixedOrRealClock('2026-09-15', true)).toThrow(/may not be set/);
  });
});
