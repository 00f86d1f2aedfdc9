/** ENR-17: term registration, and the lapses of those who did not register. */
import { selectRows } from '@xueji/db';
import { badUserInput, notFound } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { fields, isUuid, limits, listOf, text } from '@xueji/rules';
import { command, NothingToDo, type SystemActor, type UnitOfWork } from '@xueji/service-kit';
import { termOf, termRegistrationLapsed } from '../domain/lifecycle';
import { lapseCandidates } from '../reads/terms';

/** ENR-17: the registrar records that students of the school registered for a term (or are on leave). */
export const recordTermRegistration = command<
  { studentIds: string[]; term: string | null; onLeave: boolean },
  { term: string; recorded: number }
>({
  name: 'RECORD_TERM_REGISTRATION',
  roles: ['SCHOOL_REGISTRAR'],
  // Ids that are not UUIDs, or not the school's students, are refused as NOT_FOUND by the command itself.
  validate: limits(fields({ studentIds: listOf('studentIds', text('recordId')), term: text('term') })),
  async run(uow, { studentIds, term, onLeave }) {
    const forTerm = term ?? termOf(uow.profile, uow.today()).term;
    if (!/^\d{4}-(autumn|spring)$/.test(forTerm)) {
      throw badUserInput({
        zh: '学期格式应为 2026-autumn 或 2027-spring',
        en: 'A term looks like 2026-autumn or 2027-spring',
      });
    }
    const ids = [...new Set(studentIds)];
    // Issue 10 (scope): another school's student is refused as an unknown id is; nothing is recorded.
    const own = ids.every((id) => isUuid(id))
      ? await selectRows<{ id: string }>(
          uow.manager,
          'SELECT id FROM student WHERE id = ANY($1::uuid[]) AND school_id = $2',
          [ids, uow.actor.schoolId],
        )
      : [];
    if (own.length !== ids.length) {
      throw notFound({ zh: '学生不存在或不属于本校', en: 'A student does not exist or is not of your school' });
    }
    const rows = await selectRows<{ studentId: string }>(
      uow.manager,
      `INSERT INTO term_registration (student_id, term, registered_by, on_leave)
       SELECT s.id, $2, $3, $4 FROM student s
        WHERE s.id = ANY($1::uuid[]) AND s.school_id = $5 AND s.registration_status = 'APPROVED' AND s.left_at IS NULL
       ON CONFLICT (student_id, term) DO NOTHING RETURNING student_id AS "studentId"`,
      [ids, forTerm, uow.actor.subject, onLeave, uow.actor.schoolId],
    );
    return { term: forTerm, recorded: rows.length };
  },
  audit: ({ term, recorded }, { onLeave }) => ({
    entity: 'term',
    entityId: term,
    details: { students: recorded, onLeave },
  }),
});

/** The term a lapse check is for, and whether its limit has passed (ENR-17). */
function lapseCheckTerm(uow: Pick<UnitOfWork, 'profile' | 'today'>) {
  const today = uow.today();
  const { term, startsOn } = termOf(uow.profile, today);
  const due = termRegistrationLapsed(uow.profile, { today, termStartsOn: startsOn, registered: false, onLeave: false });
  return { term, startsOn, due };
}

/**
 * ENR-17: formal students who have not registered for the current term within the profile's
 * limit are recorded and published as lapsed, each once (status-change opens an imposed-withdrawal
 * case, SC-17; ENR-8: a student who no longer attends is not kept on the roll unnoticed, and
 * subsidy flags claims, SB-4).
 */
async function detectLapses(uow: UnitOfWork): Promise<{ term: string; lapsed: number }> {
  const { term, startsOn, due } = lapseCheckTerm(uow);
  if (!due) return { term, lapsed: 0 };
  const candidates = await lapseCandidates(uow.manager, term, startsOn);
  const recorded = await selectRows<{ studentId: string }>(
    uow.manager,
    `INSERT INTO term_registration_lapse (student_id, term)
     SELECT unnest($1::uuid[]), $2
     ON CONFLICT DO NOTHING
     RETURNING student_id AS "studentId"`,
    [candidates.map((c) => c.studentId), term],
  );
  const isNew = new Set(recorded.map((r) => r.studentId));
  const detectedAt = uow.now().toISOString();
  uow.publish(
    ...candidates
      .filter((c) => isNew.has(c.studentId))
      .map((c) => ({
        topic: uow.topics.own,
        event: createEvent('xueji.enrolment.term-registration.lapsed.v1', c.studentId, {
          studentId: c.studentId,
          schoolId: c.schoolId,
          regionCode: c.regionCode,
          term,
          termStartsOn: startsOn,
          detectedAt,
        }),
      })),
  );
  return { term, lapsed: isNew.size };
}

const lapseAudit = ({ term, lapsed }: { term: string; lapsed: number }) => ({
  entity: 'term',
  entityId: term,
  details: { lapsed },
});

/** ENR-17: a reviewer runs the lapse check now (it also runs on a schedule, `jobs/`). */
export const detectTermRegistrationLapses = command<void, { term: string; lapsed: number }>({
  name: 'DETECT_TERM_REGISTRATION_LAPSES',
  roles: ['AUTHORITY_REVIEWER'],
  run: (uow) => detectLapses(uow),
  audit: lapseAudit,
});

/** ENR-17: the same check as the system's scheduled step; a run that finds no new lapse writes nothing. */
export const detectTermRegistrationLapsesAsSystem = command<void, { term: string; lapsed: number }, SystemActor>({
  name: 'DETECT_TERM_REGISTRATION_LAPSES',
  roles: 'SYSTEM',
  async run(uow) {
    const found = await detectLapses(uow);
    if (found.lapsed === 0) throw new NothingToDo();
    return found;
  },
  audit: lapseAudit,
});
