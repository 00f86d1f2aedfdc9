/**
 * GR-3 (beijing): the city authority hands numbered diploma blanks to a school for a year — a range drawn
 * from the city-wide sequence (GR-4) — and approving a graduate list numbers its diplomas from them in
 * order. A registrar records a spoiled blank void; it is never used. Other profiles have no blanks.
 */
import { randomUUID } from 'node:crypto';
import { pgErrorCode, selectOne, selectRows } from '@xueji/db';
import { badUserInput, conflict, notFound, policyViolation } from '@xueji/errors';
import { rule } from '@xueji/policy';
import { fields, limits, text, uuid } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import { blankRange, sequenceCapacity, sequenceScope } from '../domain';
import { blankRangeById, type DiplomaBlankRangeRow } from '../reads/blanks';
import { schoolById, takeSequence } from './issue';

/** At most this many blanks in one allocation (a large city school's year, several times over). */
export const MAX_BLANKS_PER_ALLOCATION = 20_000;

/** GR-3: only where the profile says the city hands numbered blanks to schools (beijing). */
function requireCityBlanks(uow: UnitOfWork): void {
  if (!rule(uow.profile, 'GR-3').cityIssuesBlanks)
    throw policyViolation('GR-3', {
      zh: '本地不由市里向学校发放编号的毕业证书空白证书',
      en: 'Under this profile the city hands no numbered diploma blanks to schools',
    });
}

export const allocateDiplomaBlanks = command<
  { input: { schoolId: string; year: number; count: number } },
  DiplomaBlankRangeRow
>({
  name: 'ALLOCATE_DIPLOMA_BLANKS',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ input: fields({ schoolId: uuid }) })),
  async run(uow, { input }) {
    const thisYear = Number(uow.today().slice(0, 4));
    if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_BLANKS_PER_ALLOCATION)
      throw badUserInput(
        {
          zh: `空白证书数量应为 1–${MAX_BLANKS_PER_ALLOCATION}`,
          en: `Count must be 1 to ${MAX_BLANKS_PER_ALLOCATION}`,
        },
        { field: 'input.count' },
      );
    if (input.year !== thisYear && input.year !== thisYear + 1)
      throw badUserInput(
        { zh: `年份应为 ${thisYear} 或 ${thisYear + 1}`, en: `The year must be ${thisYear} or ${thisYear + 1}` },
        { field: 'input.year' },
      );
    requireCityBlanks(uow);
    const school = await schoolById(uow, input.schoolId);
    // ADM-1: the school's competent authority (a reviewer whose region covers it).
    uow.requireScope({ schoolId: school.schoolId, regionCode: school.authorityRegionCode });
    const facts = {
      kind: 'DIPLOMA' as const,
      year: input.year,
      schoolId: school.schoolId,
      schoolCode: school.code,
      authorityRegionCode: school.authorityRegionCode,
    };
    // GR-4: drawn from the city-wide sequence, its row locked until the unit of work ends.
    const taken = await takeSequence(
      uow,
      sequenceScope('CITY_WIDE', facts),
      input.count,
      sequenceCapacity('CITY_WIDE'),
    );
    const { first, last } = blankRange(facts, taken[taken.length - 1]!, input.count);
    const id = randomUUID();
    try {
      await uow.manager.query(
        `INSERT INTO diploma_blank_range (id, school_id, year, first_number, last_number, next_number, allocated_at, allocated_by)
         VALUES ($1, $2, $3, $4, $5, $4, $6, $7)`,
        [id, school.schoolId, input.year, first, last, uow.now(), uow.actor.subject],
      );
    } catch (error) {
      // The EXCLUDE constraint: ranges never overlap, whatever ran before.
      if (pgErrorCode(error) === '23P01')
        throw conflict({ zh: '该号段已发放', en: 'These blanks were already handed out' }, { rule: 'GR-4' });
      throw error;
    }
    return (await blankRangeById(uow.manager, id))!;
  },
  audit: (range, { input }) => ({
    entity: 'diploma_blank_range',
    entityId: range.id,
    details: { schoolId: input.schoolId, year: input.year, first: range.first, last: range.last },
  }),
});

const BLANK_NUMBER = /^\d{12}$/;

export const voidDiplomaBlank = command<{ schoolId: string; number: string; reason: string }, DiplomaBlankRangeRow>({
  name: 'VOID_DIPLOMA_BLANK',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ schoolId: uuid, number: text('certificateNumber'), reason: text('reason') })),
  async run(uow, input) {
    if (!BLANK_NUMBER.test(input.number))
      throw badUserInput({ zh: '空白证书编号为 12 位数字', en: 'A blank’s number is 12 digits' }, { field: 'number' });
    if (input.reason.trim() === '')
      throw badUserInput({ zh: '需要说明作废原因', en: 'A reason is required' }, { field: 'reason' });
    requireCityBlanks(uow);
    const school = await schoolById(uow, input.schoolId);
    uow.requireScope({ schoolId: school.schoolId, regionCode: school.regionCode });
    // The range is locked, so an approval drawing from it at the same time waits (and then skips the blank).
    const range = await selectOne<{ id: string; next: string }>(
      uow.manager,
      `SELECT id, next_number::text AS next FROM diploma_blank_range
        WHERE school_id = $1 AND first_number <= $2::bigint AND last_number >= $2::bigint FOR UPDATE`,
      [school.schoolId, input.number],
    );
    if (!range) throw notFound({ zh: '本校没有该编号的空白证书', en: 'The school holds no blank of this number' });
    if (BigInt(input.number) < BigInt(range.next))
      throw conflict(
        { zh: '该空白证书已用于毕业证书', en: 'This blank is already numbered on a diploma' },
        { rule: 'GR-3', number: input.number },
      );
    const inserted = await selectRows<{ number: string }>(
      uow.manager,
      `INSERT INTO diploma_blank_void (number, range_id, reason, voided_at, voided_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (number) DO NOTHING RETURNING number::text`,
      [input.number, range.id, input.reason, uow.now(), uow.actor.subject],
    );
    if (inserted.length === 0)
      throw conflict({ zh: '该空白证书已作废', en: 'This blank is already void' }, { number: input.number });
    return (await blankRangeById(uow.manager, range.id))!;
  },
  audit: (range, input) => ({
    entity: 'diploma_blank_range',
    entityId: range.id,
    reason: input.reason,
    details: { number: input.number },
  }),
});
