/**
 * Numbering and issuing certificates inside a command's unit of work (GR-4, GR-5, GR-6). Numbers come
 * from `certificate_sequence`, one row per scope advanced by an upsert that holds the row's lock until
 * the transaction ends, so two approvals at once take turns and never share a number; the UNIQUE
 * constraints on `certificate` (its number; one per student, programme and kind) stand behind it.
 * Under beijing a diploma's number is the school's next blank (GR-3), its ranges locked likewise.
 */
import { randomUUID } from 'node:crypto';
import { pgErrorCode, selectRows } from '@xueji/db';
import { conflict, notFound, policyViolation } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { rule } from '@xueji/policy';
import type { UnitOfWork } from '@xueji/service-kit';
import { CERTIFICATE_KINDS, type CertificateKind } from '@xueji/vocabulary';
import {
  certificateNumber,
  drawBlanks,
  remainingBlanks,
  sequenceCapacity,
  sequenceScope,
  statedDuration,
  type BlankRange,
  type NumberingFacts,
} from '../domain';
import type { CertificateRow, StudentFacts } from '../reads/facts';
import { findSchool, type SchoolRow } from '../reads/schools';
import { signedCertificate } from './credentials';

/** The school as graduation learned it (`findSchool`), or NOT_FOUND before it did. */
export async function schoolById(uow: UnitOfWork, schoolId: string, lock = false): Promise<SchoolRow> {
  const school = await findSchool(uow.manager, schoolId, lock);
  if (!school) throw notFound({ zh: '毕业管理尚不知道该学校', en: 'Graduation does not know this school' });
  return school;
}

/**
 * GR-4: the constraints decide a race the checks before could not see (two approvals, exchanges or
 * completions of one student at once): one student, one certificate of a kind per programme.
 */
async function insertCertificate(uow: UnitOfWork, row: CertificateRow, values: unknown[]): Promise<void> {
  try {
    await uow.manager.query(
      `INSERT INTO certificate (id, student_id, school_id, kind, state, number, programme, study_form, major_code,
                                entry_date, issued_on, stated_duration, list_id, replaces_id, issued_at, credential)
       VALUES ($1, $2, $3, $4, 'VALID', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      values,
    );
  } catch (error) {
    if (pgErrorCode(error) === '23505')
      throw policyViolation(
        'GR-4',
        {
          zh: '该学生已持有该专业的同类证书',
          en: 'The student already holds this kind of certificate for the programme',
        },
        { studentId: row.studentId, kind: row.kind },
      );
    throw error;
  }
}

/** Take `count` numbers of a scope's sequence: the row stays locked until the unit of work ends. */
export async function takeSequence(uow: UnitOfWork, scope: string, count: number, capacity: number): Promise<number[]> {
  const [row] = await selectRows<{ last: number }>(
    uow.manager,
    `INSERT INTO certificate_sequence (scope, last_value) VALUES ($1, $2)
     ON CONFLICT (scope) DO UPDATE SET last_value = certificate_sequence.last_value + EXCLUDED.last_value
     RETURNING last_value AS last`,
    [scope, count],
  );
  const last = row!.last;
  if (last > capacity)
    throw conflict(
      { zh: `证书编号已用完（${scope}）`, en: `The certificate numbers of ${scope} are used up` },
      { rule: 'GR-4', scope, capacity },
    );
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}

/**
 * GR-3 (beijing): the numbers of `count` diplomas of a school issued in `year`, from its blanks in order,
 * voided ones skipped. Its ranges stay locked until the unit of work ends, so concurrent approvals take
 * turns and never share a blank. Too few blanks left: POLICY_VIOLATION GR-3 (the unit of work writes nothing).
 */
export async function takeBlanks(uow: UnitOfWork, school: SchoolRow, year: number, count: number): Promise<string[]> {
  const ranges = await selectRows<{ id: string; first: string; last: string; next: string }>(
    uow.manager,
    `SELECT id, first_number::text AS first, last_number::text AS last, next_number::text AS next
       FROM diploma_blank_range WHERE school_id = $1 AND year = $2 ORDER BY first_number FOR UPDATE`,
    [school.schoolId, year],
  );
  const open: BlankRange[] = ranges
    .map((r) => ({ id: r.id, first: Number(r.first), last: Number(r.last), next: Number(r.next) }))
    .filter((r) => r.next <= r.last);
  const voided = await selectRows<{ number: string }>(
    uow.manager,
    `SELECT number::text FROM diploma_blank_void WHERE range_id = ANY($1::uuid[])`,
    [open.map((r) => r.id)],
  );
  const voidedSet = new Set(voided.map((v) => Number(v.number)));
  const draw = drawBlanks(open, voidedSet, count);
  if (!draw) {
    const left = open.reduce((n, r) => n + remainingBlanks(r, voidedSet), 0);
    throw policyViolation(
      'GR-3',
      {
        zh: `本校 ${year} 年的毕业证书空白证书不足：需要 ${count} 张，尚余 ${left} 张`,
        en: `The school holds too few diploma blanks of ${year}: ${count} needed, ${left} left`,
      },
      { schoolId: school.schoolId, year, needed: count, remaining: left },
    );
  }
  for (const a of draw.advances)
    await uow.manager.query(`UPDATE diploma_blank_range SET next_number = $2 WHERE id = $1`, [a.rangeId, a.next]);
  return draw.numbers;
}

export interface Issue {
  student: StudentFacts;
  kind: CertificateKind;
  listId: string | null;
  /** GR-6: the certificate of completion a diploma replaces. */
  replaces: CertificateRow | null;
  /** The day it is dated (default today): GR-7's leaving certificates, the day the student left. */
  issuedOn?: string;
  /** GR-7: what a leaving certificate states (a diploma's GR-5 statement is made here). */
  stated?: string;
  /** GR-8: the lost certificate a credential certificate stands for: its data are carried over (equal force). */
  lost?: CertificateRow;
}

/**
 * Number and issue certificates of one school, record the case's stage, and publish a diploma or a
 * certificate of completion: `diploma.issued` (status-change records GRADUATED) or
 * `completion.issued` (COMPLETED). GR-7's leaving certificates follow a status change and publish
 * nothing.
 */
export async function issueCertificates(
  uow: UnitOfWork,
  school: SchoolRow,
  issues: Issue[],
): Promise<CertificateRow[]> {
  const format = rule(uow.profile, 'GR-4').format;
  const issued: CertificateRow[] = [];
  for (const kind of CERTIFICATE_KINDS) {
    const ofKind = issues.filter((i) => i.kind === kind);
    if (ofKind.length === 0) continue;
    const today = ofKind[0]!.issuedOn ?? uow.today();
    const numbering: NumberingFacts = {
      kind,
      year: Number(today.slice(0, 4)),
      schoolId: school.schoolId,
      schoolCode: school.code,
      authorityRegionCode: school.authorityRegionCode,
    };
    // GR-3 (beijing): diplomas are numbered from the school's blanks; every other number from a sequence.
    const numbers =
      kind === 'DIPLOMA' && rule(uow.profile, 'GR-3').cityIssuesBlanks
        ? await takeBlanks(uow, school, numbering.year, ofKind.length)
        : (await takeSequence(uow, sequenceScope(format, numbering), ofKind.length, sequenceCapacity(format))).map(
            (value) => certificateNumber(format, numbering, value),
          );
    for (const [i, item] of ofKind.entries()) {
      const s = item.student.student;
      // GR-8: a credential certificate states what the lost one did; every other certificate the student's record.
      const of = item.lost ?? s;
      if (!of.programme || !of.studyForm || !of.entryDate)
        throw conflict({ zh: '学生的注册尚未审核通过', en: 'The student’s registration is not approved' });
      const row: CertificateRow = {
        id: randomUUID(),
        studentId: s.studentId,
        schoolId: school.schoolId,
        kind,
        state: 'VALID',
        number: numbers[i]!,
        programme: of.programme,
        studyForm: of.studyForm,
        majorCode: of.majorCode,
        entryDate: of.entryDate,
        issuedOn: today,
        statedDuration: item.stated ?? (kind === 'DIPLOMA' ? statedDuration(s, uow.profile, today) : null),
        listId: item.listId,
        replacesId: item.replaces?.id ?? null,
      };
      if (item.replaces)
        await uow.manager.query(`UPDATE certificate SET state = 'EXCHANGED' WHERE id = $1`, [item.replaces.id]);
      // Every certificate is also issued as a signed digital credential.
      const credential = await signedCertificate(
        {
          certificateId: row.id,
          kind,
          number: row.number,
          holderName: s.name,
          birthDate: s.birthDate,
          schoolName: school.name,
          authorityRegionCode: school.authorityRegionCode,
          programme: row.programme,
          studyForm: row.studyForm,
          majorCode: row.majorCode,
          entryDate: row.entryDate,
          issuedOn: row.issuedOn,
          statedDuration: row.statedDuration,
        },
        uow.now(),
      );
      await insertCertificate(uow, row, [
        row.id,
        row.studentId,
        row.schoolId,
        kind,
        row.number,
        row.programme,
        row.studyForm,
        row.majorCode,
        row.entryDate,
        row.issuedOn,
        row.statedDuration,
        row.listId,
        row.replacesId,
        uow.now(),
        credential,
      ]);
      issued.push(row);
      if (kind !== 'DIPLOMA' && kind !== 'COMPLETION') continue;
      await uow.manager.query(
        `INSERT INTO graduation_case (student_id, stage, diploma_number) VALUES ($1, $2, $3)
         ON CONFLICT (student_id) DO UPDATE SET stage = EXCLUDED.stage,
           diploma_number = COALESCE(EXCLUDED.diploma_number, graduation_case.diploma_number)`,
        [
          row.studentId,
          kind === 'DIPLOMA' ? 'DIPLOMA_ISSUED' : 'COMPLETION_CERTIFICATE_ISSUED',
          kind === 'DIPLOMA' ? row.number : null,
        ],
      );
      const common = {
        certificateId: row.id,
        studentId: row.studentId,
        schoolId: school.schoolId,
        regionCode: s.regionCode,
        number: row.number,
        issuedAt: uow.now().toISOString(),
      };
      uow.publish({
        topic: uow.topics.own,
        event:
          kind === 'DIPLOMA'
            ? createEvent('xueji.graduation.diploma.issued.v1', row.studentId, {
                ...common,
                programme: row.programme,
                studyForm: row.studyForm,
                majorCode: row.majorCode,
                graduationDate: today,
                listId: row.listId,
                exchangedCompletion: row.replacesId !== null,
              })
            : createEvent('xueji.graduation.completion.issued.v1', row.studentId, { ...common, completionDate: today }),
      });
    }
  }
  return issued;
}
