/**
 * The semester a day falls in, as `YYYY-YYYY-N`: the autumn semester (1) runs from August to
 * January, the spring semester (2) from February to July.
 */
export function semesterOf(day: Date): string {
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth() + 1;
  if (month >= 8) return `${year}-${year + 1}-1`;
  if (month === 1) return `${year - 1}-${year}-1`;
  return `${year - 1}-${year}-2`;
}
