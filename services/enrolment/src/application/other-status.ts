import { selectRows } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { command } from '@xueji/service-kit';
import { OTHER_STATUS_KINDS, type OtherStatusKind } from '@xueji/vocabulary';
import { fields, limits, listOf, text } from '@xueji/rules';
import { normaliseId, otherStatusIdProblem } from '../domain/id-number';

/** One ID number holding another kind of status, as a provincial list gives it. */
export interface OtherStatusRecord {
  idNumber: string;
  kind: OtherStatusKind;
  institution: string;
}

/**
 * ENR-7: import ID numbers that hold another kind of status (general high school, university,
 * technical school). No national registry is reachable, so provincial reviewers import lists.
 */
export const importOtherStatusRecords = command<OtherStatusRecord[], number>({
  name: 'IMPORT_OTHER_STATUS',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(
    listOf(
      'otherStatusRecords',
      fields({ idNumber: { check: otherStatusIdProblem }, institution: text('institution') }),
    ),
    'records',
  ),
  async run(uow, records) {
    if (!uow.actor.regionCode?.endsWith('0000')) {
      throw forbidden({
        zh: '仅省级主管部门可导入其他学籍名单',
        en: 'Only the provincial authority imports other-status lists',
      });
    }
    if (records.length === 0 || records.length > 50_000) {
      throw badUserInput({ zh: '每次导入 1–50000 条', en: 'Import between 1 and 50000 records at a time' });
    }
    const bad = records.findIndex(
      (r) => !OTHER_STATUS_KINDS.includes(r.kind) || !r.institution.trim() || r.idNumber.trim().length < 5,
    );
    if (bad >= 0)
      throw badUserInput({ zh: `第 ${bad + 1} 条记录不完整`, en: `Record ${bad + 1} is incomplete` }, { index: bad });
    // One row per (ID number, kind): the last institution given wins.
    const unique = [...new Map(records.map((r) => [`${normaliseId(r.idNumber)}|${r.kind}`, r])).values()];
    const rows = await selectRows<{ idNumber: string }>(
      uow.manager,
      `INSERT INTO other_status_record (id_number, kind, institution, imported_by)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (id_number, kind) DO UPDATE SET institution = EXCLUDED.institution RETURNING id_number AS "idNumber"`,
      [
        unique.map((r) => normaliseId(r.idNumber)),
        unique.map((r) => r.kind),
        unique.map((r) => r.institution.trim()),
        unique.map(() => uow.actor.subject),
      ],
    );
    return rows.length;
  },
  audit: (imported) => ({ entity: 'other_status_record', entityId: '*', details: { records: imported } }),
});
