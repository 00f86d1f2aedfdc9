import { createEvent } from '@xueji/events';
import { notFound } from '@xueji/errors';
import { fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import { selectOne } from '@xueji/db';
import { checkConduct } from '../domain/conduct';
import type { ConductInput } from '../generated/resolvers-types';
import { CONDUCT_COLUMNS, type ConductRow } from '../reads/conduct';
import { requireStanding } from './standing';

/** AS-2: a conduct evaluation of a student of the registrar's school; the same term again corrects it. */
export const recordConduct = command<ConductInput, ConductRow>({
  name: 'RECORD_CONDUCT',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ studentId: uuid, term: text('term'), comment: text('appraisal') }), 'input'),
  async run(uow, input) {
    const scope = await selectOne<{ schoolId: string; regionCode: string }>(
      uow.manager,
      `SELECT school_id AS "schoolId", region_code AS "regionCode" FROM student_scope WHERE student_id = $1`,
      [input.studentId],
    );
    if (!scope) throw notFound({ zh: '未知的学生', en: 'Unknown student' });
    uow.requireScope(scope);
    await requireStanding(uow, input.studentId, 'CONDUCT');
    const breaches = checkConduct(input, uow.profile).map((b) => ({ ...b, field: `input.${b.field}` }));
    if (breaches.length > 0) throw refusal(breaches);
    const term = input.period === 'GRADUATION' ? '' : input.term!.trim();
    const comment = input.comment?.trim() || null;
    const row = await selectOne<ConductRow>(
      uow.manager,
      `INSERT INTO conduct_evaluation AS e (student_id, school_id, period, term, grade, comment, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (student_id, period, term) DO UPDATE
          SET grade = EXCLUDED.grade, comment = EXCLUDED.comment, school_id = EXCLUDED.school_id,
              recorded_at = EXCLUDED.recorded_at
       RETURNING ${CONDUCT_COLUMNS}`,
      [input.studentId, scope.schoolId, input.period, term, input.grade ?? null, comment, uow.now()],
    );
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.conduct.recorded.v1', input.studentId, {
        studentId: input.studentId,
        schoolId: scope.schoolId,
        period: input.period,
        term: term || null,
        grade: input.grade ?? null,
        recordedAt: uow.now().toISOString(),
      }),
    });
    return row!;
  },
  audit: (row) => ({ entity: 'conduct_evaluation', entityId: row.id }),
});
