const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Is this a record id? Checked before a look-up, so that a malformed id from a caller is "not
 * found" rather than a database error (PostgreSQL refuses to compare `uuid` with other text).
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
