import { isUuid } from '@xueji/rules';
import { requireRole } from '@xueji/auth';
import { badUserInput } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { appendToOutbox } from '@xueji/outbox';
import type { ServiceContext } from '@xueji/service-kit';
import type { DataSource } from 'typeorm';
import type { PolicyProfile } from '@xueji/policy';
import type { TopicNames } from '@xueji/config';
import { audit } from '@xueji/audit';
import { termOf, termRegistrationLapsed } from '../domain/lifecycle';

/** ENR-17: the registrar records that students registered for a term (or are on leave). */
export async function recordTermRegistration(
  ctx: ServiceContext,
  studentIds: string[],
  term: string | null,
  onLeave: boolean,
): Promise<number> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  const forTerm = term ?? termOf(ctx.profile, ctx.today()).term;
  if (!/^\d{4}-(autumn|spring)$/.test(forTerm)) {
    throw badUserInput({
      zh: '学期格式应为 2026-autumn 或 2027-spring',
      en: 'A term looks like 2026-autumn or 2027-spring',
    });
  }
  const ids = studentIds.filter((id) => isUuid(id));
  return ctx.dataSource.transaction(async (manager) => {
    const rows = (await manager.query(
      `INSERT INTO term_registration (student_id, term, registered_by, on_leave)
       SELECT s.id, $2, $3, $4 FROM student s
        WHERE s.id = ANY($1::uuid[]) AND s.school_id = $5 AND s.registration_status = 'APPROVED' AND s.left_at IS NULL
       ON CONFLICT (student_id, term) DO NOTHING RETURNING student_id`,
      [ids, forTerm, principal.subject, onLeave, principal.schoolId],
    )) as { student_id: string }[];
    await audit(manager, principal, {
      action: 'RECORD_TERM_REGISTRATION',
      entity: 'term',
      entityId: forTerm,
      details: { students: rows.length, onLeave },
    });
    return rows.length;
  });
}

export interface LapseCheckEnv {
  dataSource: DataSource;
  profile: PolicyProfile;
  topics: TopicNames;
  today(): string;
}

/**
 * ENR-17: find formal students who have not registered for the current term within the profile's
 * limit, and publish each lapse once (status-change opens an imposed-withdrawal case, SC-17).
 * ENR-8: a student who no longer attends is not kept on the roll unnoticed (subsidy flags claims, SB-4).
 */
export async function detectTermRegistrationLapses(env: LapseCheckEnv): Promise<number> {
  const today = env.today();
  const { term, startsOn } = termOf(env.profile, today);
  if (!termRegistrationLapsed(env.profile, { today, termStartsOn: startsOn, registered: false, onLeave: false }))
    return 0;
  return env.dataSource.transaction(async (manager) => {
    const lapsed = (await manager.query(
      `INSERT INTO term_registration_lapse (student_id, term)
       SELECT s.id, $1 FROM student s
        WHERE s.registration_status = 'APPROVED' AND s.left_at IS NULL AND s.entry_date < $2
          AND NOT EXISTS (SELECT 1 FROM term_registration t WHERE t.student_id = s.id AND t.term = $1)
       ON CONFLICT DO NOTHING
       RETURNING student_id`,
      [term, startsOn],
    )) as { student_id: string }[];
    for (const { student_id: studentId } of lapsed) {
      const [row] = (await manager.query(
        `SELECT s.school_id, sc.region_code FROM student s JOIN school sc ON sc.id = s.school_id WHERE s.id = $1`,
        [studentId],
      )) as { school_id: string; region_code: string }[];
      await appendToOutbox(
        manager,
        env.topics.own,
        createEvent('xueji.enrolment.term-registration.lapsed.v1', studentId, {
          studentId,
          schoolId: row!.school_id,
          regionCode: row!.region_code,
          term,
          termStartsOn: startsOn,
          detectedAt: new Date().toISOString(),
        }),
      );
    }
    return lapsed.length;
  });
}
