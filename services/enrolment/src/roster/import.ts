import { isUuid } from '@xueji/rules';
import { createHash, randomUUID } from 'node:crypto';
import { requireRole } from '@xueji/auth';
import { badUserInput, forbidden, notFound, policyViolation } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { audit } from '@xueji/audit';
import { School } from '../entities/school';
import { registerInBulk, type Candidate } from './bulk';
import { headerOfField, rowToRegistration } from './columns';
import { parseRoster } from './parse';

export interface RosterImportInput {
  schoolId: string;
  fileName: string;
  contentBase64: string;
}

/** GraphQL `RosterRowProblem`. */
export interface RosterRowProblem {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  column: string | null;
  rule: string | null;
  messageZh: string;
  messageEn: string;
}

/** GraphQL `RosterImportReport`. */
export interface RosterImportReport {
  rows: number;
  registered: number;
  alreadyRegistered: number;
  rejected: number;
  problems: RosterRowProblem[];
}

function decodeFile(contentBase64: string): Buffer {
  const text = contentBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s/g, '');
  if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badUserInput(
      { zh: '文件内容应为 Base64 编码', en: 'The file content must be Base64-encoded' },
      { field: 'contentBase64' },
    );
  }
  return Buffer.from(text, 'base64');
}

/**
 * A school registrar imports a roster: every valid row is registered (SUBMITTED, awaiting review,
 * ENR-5), every invalid row reported with its row number, column and reason. Importing the same
 * file again registers nothing new: rows already registered at the school are counted as such.
 */
export async function importRoster(ctx: ServiceContext, input: RosterImportInput): Promise<RosterImportReport> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  if (principal.schoolId !== input.schoolId) {
    throw forbidden({ zh: '只能为本校导入注册名单', en: 'You may import a roster only for your own school' });
  }
  const content = decodeFile(input.contentBase64);
  const school = isUuid(input.schoolId)
    ? await ctx.dataSource.getRepository(School).findOneBy({ id: input.schoolId })
    : null;
  if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
  if (school.status !== 'ACTIVE') {
    // submitOne refuses every registration of such a school; the whole file is refused at once.
    throw policyViolation('ADM-1', {
      zh: '学校已停办或暂停招生，不能注册学生',
      en: 'The school is not active: no registrations',
    });
  }

  const parsed = await parseRoster(input.fileName, content);
  const problems: RosterRowProblem[] = [];
  const candidates: Candidate[] = [];
  for (const { row, values, numericCells } of parsed.rows) {
    const mapped = rowToRegistration(values, school.id, numericCells);
    if (mapped.ok) candidates.push({ row, input: mapped.input });
    else problems.push(...mapped.problems.map((p) => ({ row, rule: null, ...p })));
  }

  const importId = randomUUID();
  const fileSha256 = createHash('sha256').update(content).digest('hex');
  // Recorded first, so every student written below points at an existing import.
  await ctx.dataSource.query(
    `INSERT INTO roster_import (id, school_id, file_name, file_sha256, imported_by, rows, registered, already, rejected)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0)`,
    [importId, school.id, input.fileName, fileSha256, principal.subject, parsed.rows.length],
  );

  const report: RosterImportReport = {
    rows: parsed.rows.length,
    registered: 0,
    alreadyRegistered: 0,
    rejected: parsed.rows.length - candidates.length,
    problems,
  };
  for (const outcome of await registerInBulk(ctx, principal, school, candidates, importId)) {
    if (outcome.outcome === 'REGISTERED') report.registered++;
    else if (outcome.outcome === 'ALREADY_REGISTERED') report.alreadyRegistered++;
    else {
      report.rejected++;
      for (const b of outcome.breaches) {
        problems.push({
          row: outcome.row,
          column: headerOfField(b.field),
          rule: b.rule,
          messageZh: b.message.zh,
          messageEn: b.message.en,
        });
      }
    }
  }
  problems.sort((a, b) => a.row - b.row);

  await ctx.dataSource.transaction(async (manager) => {
    await manager.query('UPDATE roster_import SET registered = $2, already = $3, rejected = $4 WHERE id = $1', [
      importId,
      report.registered,
      report.alreadyRegistered,
      report.rejected,
    ]);
    await audit(manager, principal, {
      action: 'IMPORT_ROSTER',
      entity: 'roster_import',
      entityId: importId,
      details: {
        schoolId: school.id,
        fileName: input.fileName,
        fileSha256,
        rows: report.rows,
        registered: report.registered,
        alreadyRegistered: report.alreadyRegistered,
        rejected: report.rejected,
      },
    });
  });
  return report;
}
