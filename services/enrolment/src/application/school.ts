import type { EntityManager } from 'typeorm';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { badUserInput, notFound } from '@xueji/errors';
import { fields, limits, text, uuid } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import { authorityRegionOf, School } from '../entities/school';

/**
 * The event that tells other services of a school's record: region, competent authority (ADM-1),
 * approved majors and teaching points (SB-4 checks claims against them), the principal (GR-11).
 * Other services learn of schools only from it.
 */
export async function schoolRegisteredEvent(manager: EntityManager, school: School) {
  const points = await selectRows<{ id: string }>(
    manager,
    `SELECT id FROM teaching_point WHERE school_id = $1 ORDER BY id`,
    [school.id],
  );
  const majors = await selectRows<{ major_code: string }>(
    manager,
    `SELECT major_code FROM school_major WHERE school_id = $1 ORDER BY major_code`,
    [school.id],
  );
  return createEvent('xueji.enrolment.school.registered.v1', school.id, {
    schoolId: school.id,
    code: school.code,
    name: school.name,
    regionCode: school.regionCode,
    authorityRegionCode: authorityRegionOf(school.authorityTier, school.regionCode),
    nationalKey: school.nationalKey,
    status: school.status,
    approvedMajorCodes: majors.map((m) => m.major_code),
    teachingPointIds: points.map((p) => p.id),
    ...(school.principalName ? { principalName: school.principalName } : {}),
  });
}

/** GR-11: the school states its principal's name (校长), which the public lookup of a certificate shows. */
export const setSchoolPrincipal = command<{ schoolId: string; principalName: string }, School>({
  name: 'SET_SCHOOL_PRINCIPAL',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ schoolId: uuid, principalName: text('principalName') }), 'input'),
  async run(uow, input) {
    const principalName = input.principalName.trim();
    if (!principalName)
      throw badUserInput(
        { zh: '请填写校长姓名', en: 'The principal’s name is required' },
        { field: 'input.principalName' },
      );
    const school = await uow.manager
      .getRepository(School)
      .findOne({ where: { id: input.schoolId }, lock: { mode: 'pessimistic_write' } });
    if (!school) throw notFound({ zh: '未知的学校', en: 'Unknown school' });
    uow.requireScope(
      { schoolId: school.id, regionCode: school.regionCode },
      { zh: '只能办理本校的事务', en: 'You may act only for your own school' },
    );
    school.principalName = principalName;
    await uow.manager.query(`UPDATE school SET principal_name = $2 WHERE id = $1`, [school.id, principalName]);
    uow.publish({ topic: uow.topics.own, event: await schoolRegisteredEvent(uow.manager, school) });
    return school;
  },
  audit: (school) => ({ entity: 'school', entityId: school.id }),
});
