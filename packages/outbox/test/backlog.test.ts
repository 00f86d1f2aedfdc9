import { formatAge } from '@xueji/outbox';

describe('the backlog’s age of the oldest unpublished event, as an operator reads it', () => {
  it.each([
    [null, '-'],
    [0, '0s'],
    [59, '59s'],
    [60, '1m00s'],
    [192, '3m12s'],
    [3600, '1h00m'],
    [18_180, '5h03m'],
    [86_400, '1d00h'],
    [187_200, '2d04h'],
  ])('%p seconds → %s', (seconds, shown) => {
    expect(formatAge(seconds)).toBe(shown);
  });
});
