/**
 * The semester a day (YYYY-MM-DD, the service clock's today) falls in, as `YYYY-YYYY-N`: the
 * autumn semester (1) runs from August to January, the spring semester (2) from February to July.
 */
export function semesterOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (month >= 8) return `${year}-${year + 1}-1`;
  if (month === 1) return `${year - 1}-${year}-1`;
  return `${year - 1}-${year}-2`;
}
