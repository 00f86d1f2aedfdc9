/** Rosters: a school's import of new students (ENR-5), and the registration roster it files (ENR-19). */
import { createHash, randomUUID } from 'node:crypto';
import { regionCovers } from '@xueji/auth';
import { badUserInput, forbidden, notFound, policyViolation } from '@xueji/errors';
import { fields, isUuid, limits, text } from '@xueji/rules';
import { command, FILE_WORK_CONCURRENCY } from '@xueji/service-kit';
import { ADM1_ROSTER_REFUSED } from '../domain/decisions';
import { School } from '../entities/school';
import { registrationRosterRows } from '../reads/roster';
import {
  decodeRosterFile,
  parseRoster,
  registerInBulk,
  registrationRosterFile,
  rosterCandidates,
  rowProblems,
  type RosterFile,
  type RosterImportReport,
} from '../roster';

/** A roster file as the registrar uploads it. */
export interface RosterImportInput {
  schoolId: string;
  fileName: string;
  contentBase64: string;
}

/**
 * A school registrar imports a roster, as one unit of work with one audit row: every valid row is
 * registered (SUBMITTED, awaiting review, ENR-5) with its `student.registered` event, every invalid
 * row reported with its row number, column and reason. Importing the same file again registers
 * nothing new: rows already registered at the school are counted as such.
 */
export const importRoster = command<
  RosterImportInput,
  { importId: string; fileSha256: string; report: RosterImportReport }
>({
  name: 'IMPORT_ROSTER',
  roles: ['SCHOOL_REGISTRAR'],
  // Issue 10: one full import peaks near 340 MiB in the service, two at once over 400 MiB: one file
  // work at a time in a process; another waits up to a second, then is refused as retryable.
  concurrency: FILE_WORK_CONCURRENCY,
  validate: limits(fields({ fileName: text('fileName'), contentBase64: text('fileBase64') }), 'input'),
  async run(uow, input) {
    if (uow.actor.schoolId !== input.schoolId) {
      throw forbidden({ zh: '只能为本校导入注册名单', en: 'You may import a roster only for your own school' });
    }
    const content = decodeRosterFile(input.contentBase64);
    const school = isUuid(input.schoolId)
      ? await uow.manager.getRepository(School).findOneBy({ id: input.schoolId })
      : null;
    if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
    // A single submission refuses every registration of such a school; the whole file is refused at once.
    if (school.status !== 'ACTIVE') throw policyViolation(ADM1_ROSTER_REFUSED.rule, ADM1_ROSTER_REFUSED.message);

    // The parsed file is not held past this line: only its rows as registrations (issue 10).
    const { rows, candidates, problems } = await rosterCandidates(
      await parseRoster(input.fileName, content),
      school.id,
      uow.today(),
    );
    const importId = randomUUID();
    const fileSha256 = createHash('sha256').update(content).digest('hex');
    // Recorded first, so every student written below points at an existing import.
    await uow.manager.query(
      `INSERT INTO roster_import (id, school_id, file_name, file_sha256, imported_by, rows, registered, already, rejected)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0)`,
      [importId, school.id, input.fileName, fileSha256, uow.actor.subject, rows],
    );

    const report: RosterImportReport = {
      rows,
      registered: 0,
      alreadyRegistered: 0,
      rejected: rows - candidates.length,
      problems,
    };
    for (const outcome of await registerInBulk(uow, school, candidates, importId)) {
      if (outcome.outcome === 'REGISTERED') report.registered++;
      else if (outcome.outcome === 'ALREADY_REGISTERED') report.alreadyRegistered++;
      else {
        report.rejected++;
        problems.push(...rowProblems(outcome.row, outcome.breaches));
      }
    }
    problems.sort((a, b) => a.row - b.row);
    await uow.manager.query('UPDATE roster_import SET registered = $2, already = $3, rejected = $4 WHERE id = $1', [
      importId,
      report.registered,
      report.alreadyRegistered,
      report.rejected,
    ]);
    return { importId, fileSha256, report };
  },
  audit: ({ importId, fileSha256, report }, input) => ({
    entity: 'roster_import',
    entityId: importId,
    details: {
      schoolId: input.schoolId,
      fileName: input.fileName,
      fileSha256,
      rows: report.rows,
      registered: report.registered,
      alreadyRegistered: report.alreadyRegistered,
      rejected: report.rejected,
    },
  }),
});

/**
 * ENR-19: the registration roster of a school's intake of one year, as .xlsx. ID numbers are shown
 * in full, so only the school's registrar and the reviewers whose region covers the school may
 * export it, and each export is audited as taking personal data out (ADM-5).
 */
export const exportRegistrationRoster = command<
  { schoolId: string; entryYear: number },
  RosterFile & { schoolId: string }
>({
  name: 'EXPORT_REGISTRATION_ROSTER',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER'],
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { schoolId, entryYear }) {
    const caller = uow.actor;
    if (caller.role === 'SCHOOL_REGISTRAR' && caller.schoolId !== schoolId) {
      throw forbidden({ zh: '只能导出本校的注册名单', en: 'You may export only your own school’s roster' });
    }
    const school = isUuid(schoolId) ? await uow.manager.getRepository(School).findOneBy({ id: schoolId }) : null;
    if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
    if (
      caller.role === 'AUTHORITY_REVIEWER' &&
      !(caller.regionCode && regionCovers(caller.regionCode, school.regionCode))
    ) {
      throw forbidden({ zh: '该校不在您的辖区内', en: 'This school is outside your region' });
    }
    if (!Number.isInteger(entryYear) || entryYear < 2000 || entryYear > 2100) {
      throw badUserInput({ zh: '入学年份无效', en: 'The entry year is not valid' }, { field: 'entryYear' });
    }
    const rows = await registrationRosterRows(uow.manager, school.id, entryYear);
    return { ...(await registrationRosterFile(school, entryYear, rows)), schoolId: school.id };
  },
  audit: (file, { entryYear }) => ({
    entity: 'school',
    entityId: file.schoolId,
    details: { entryYear, rows: file.rows },
  }),
});
