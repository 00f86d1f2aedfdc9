/** A `student_status_change h` row as the timeline reads it (`StatusChange`). */
export const STATUS_CHANGE_COLUMNS = `h.event_id AS "eventId", h.kind, to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate",
  h.new_status AS "newStatus", to_char(h.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS time,
  h.to_school_id AS "toSchoolId"`;
