/**
 * Numbering and issuing certificates inside a command's unit of work (GR-4, GR-5, GR-6). Numbers come
 * from `certificate_sequence`, one row per scope advanced by an upsert that holds the row's lock until
 * the transaction ends, so two approvals at once take turns and never share a number; the UNIQUE
 * constraints on `certificate` (its number; one per student, programme and kind) stand behind it.
 */
import { randomUUID } from 'node:crypto';
import { pgErrorCode, selectOne, selectRows } from '@xueji/db';
import { conflict, notFound, policyViolation } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { rule } from '@xueji/policy';
import type { UnitOfWork } from '@xueji/service-kit';
import { CERTIFICATE_KINDS, type CertificateKind } from '@xueji/vocabulary';
import { certificateNumber, sequenceCapacity, sequenceScope, statedDuration, type NumberingFacts } from '../domain';
import type { CertificateRow, StudentFacts } from '../reads/facts';
import { signedCertificate } from './credentials';

export interface SchoolRow {
  schoolId: string;
  code: string;
  name: string;
  regionCode: string;
  authorityRegionCode: string;
}

export async function schoolById(uow: UnitOfWork, schoolId: string, lock = false): Promise<SchoolRow> {
  const school = await findSchool(uow, schoolId, lock);
  if (!school) throw notFound({ zh: '毕业管理尚不知道该学校', en: 'Graduation does not know this school' });
  return school;
}

/**
 * The school as graduation learned it; null before its `school.registered` arrived. `lock`: its row
 * is held until the unit of work ends, so one school's submissions take turns (no student lands on
 * two open lists).
 */
export function findSchool(uow: UnitOfWork, schoolId: string, lock = false): Promise<SchoolRow | null> {
  return selectOne<SchoolRow>(
    uow.manager,
    `SELECT school_id AS "schoolId", code, name, region_code AS "regionCode", authority_region_code AS "authorityRegionCode"
       FROM graduation_school WHERE school_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [schoolId],
  );
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
async function takeSequence(uow: UnitOfWork, scope: string, count: number, capacity: number): Promise<number[]> {
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
    const sequence = await takeSequence(uow, sequenceScope(format, numbering), ofKind.length, sequenceCapacity(format));
    for (const [i, item] of ofKind.entries()) {
      const s = item.student.student;
      if (!s.programme || !s.studyForm || !s.entryDate)
        throw conflict({ zh: '学生的注册尚未审核通过', en: 'The student’s registration is not approved' });
      const row: CertificateRow = {
        id: randomUUID(),
        studentId: s.studentId,
        schoolId: school.schoolId,
        kind,
        state: 'VALID',
        number: certificateNumber(format, numbering, sequence[i]!),
        programme: s.programme,
        studyForm: s.studyForm,
        majorCode: s.majorCode,
        entryDate: s.entryDate,
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
