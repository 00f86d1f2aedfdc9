import DataLoader from 'dataloader';
import { requirePrincipal } from '@xueji/auth';
import { selectOne, selectRows, SqlParams, type Queryable } from '@xueji/db';
import { forbidden } from '@xueji/errors';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { VerificationCorrectionState } from '@xueji/vocabulary';
import type { VerificationData } from '../domain';
import { callerSchools } from './schools';

/** GR-12: a correction of a certificate's verification data, and on approval what was shown before. */
export interface CorrectionRow {
  id: string;
  certificateId: string;
  certificateNumber: string;
  schoolId: string;
  state: VerificationCorrectionState;
  /** The fields the school asked to correct, with their new values. */
  requested: Partial<VerificationData>;
  /** On approval: what those fields showed before. */
  before: Partial<VerificationData> | null;
  reason: string;
  evidenceRef: string;
  requestedAt: Date;
  requestedBy: string;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

const COLUMNS = `
  v.id, v.certificate_id AS "certificateId", c.number AS "certificateNumber", v.school_id AS "schoolId", v.state,
  jsonb_strip_nulls(jsonb_build_object('name', v.name, 'sex', v.sex, 'birthDate', to_char(v.birth_date, 'YYYY-MM-DD'),
    'majorCode', v.major_code, 'studyForm', v.study_form)) AS requested,
  v.before, v.reason, v.evidence_ref AS "evidenceRef", v.requested_at AS "requestedAt", v.requested_by AS "requestedBy",
  v.decided_at AS "decidedAt", v.decided_by AS "decidedBy", v.decision_reason AS "decisionReason"`;
const FROM = `FROM verification_correction v JOIN certificate c ON c.id = v.certificate_id`;

/** One correction; `lock`: its row held until the unit of work ends (one decision at a time). */
export function correctionById(db: Queryable, id: string, lock = false): Promise<CorrectionRow | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return selectOne<CorrectionRow>(db, `SELECT ${COLUMNS} ${FROM} WHERE v.id = $1 ${lock ? 'FOR UPDATE OF v' : ''}`, [
    id,
  ]);
}

const mayNotSee = () =>
  forbidden({
    zh: '只有学校学籍管理员和主管部门可以查看验证信息的更正',
    en: 'Only registrars and the competent authority see corrections of verification data',
  });

/**
 * GR-12: the corrections a reviewer's region decides (its schools' competent authority), or a
 * registrar's school submitted, oldest first; by state on `verification_correction_state` (keyset on
 * requested_at, id), a registrar's on `verification_correction_school`.
 */
export async function verificationDataCorrections(
  ctx: ServiceContext,
  args: { state?: VerificationCorrectionState | null; first: number; after?: string | null },
): Promise<Page<CorrectionRow>> {
  requirePageSize(args.first, 200);
  const params = new SqlParams();
  const where = [callerSchools(ctx.principal, params, { schoolId: 'v.school_id' }, mayNotSee)];
  if (args.state) where.push(`v.state = ${params.add(args.state)}`);
  if (args.after) {
    const [at, id] = decodeCursor(args.after, ['instant', 'uuid']) as [string, string];
    where.push(`(v.requested_at, v.id) > (${params.add(at)}::timestamptz, ${params.add(id)}::uuid)`);
  }
  const rows = await selectRows<CorrectionRow>(
    ctx.dataSource,
    `SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY v.requested_at, v.id LIMIT ${params.add(args.first + 1)}`,
    params.values,
  );
  return toPage(rows, args.first, args.after, (r) => [r.requestedAt.toISOString(), r.id]);
}

/**
 * GR-12: the corrections of the certificates a request asks for (their history, oldest first), in one
 * statement on `verification_correction_certificate`; for registrars and reviewers only.
 */
export function certificateCorrections(ctx: ServiceContext): DataLoader<string, CorrectionRow[]> {
  const p = requirePrincipal(ctx.principal);
  if (p.role !== 'SCHOOL_REGISTRAR' && p.role !== 'AUTHORITY_REVIEWER') throw mayNotSee();
  return perRequest(
    ctx,
    'certificate-corrections',
    () =>
      new DataLoader<string, CorrectionRow[]>(async (certificateIds) => {
        const rows = await selectRows<CorrectionRow>(
          ctx.dataSource,
          `SELECT ${COLUMNS} ${FROM} WHERE v.certificate_id = ANY($1::uuid[]) ORDER BY v.requested_at, v.id`,
          [certificateIds],
        );
        return certificateIds.map((id) => rows.filter((r) => r.certificateId === id));
      }),
  );
}
