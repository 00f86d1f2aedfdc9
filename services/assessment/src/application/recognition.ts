import { badUserInput, notFound } from '@xueji/errors';
import { selectOne, selectRows } from '@xueji/db';
import { day, fields, limits, listOf, refusal, text, uuid } from '@xueji/rules';
import { createEvent } from '@xueji/events';
import { command, type UnitOfWork } from '@xueji/service-kit';
import {
  checkPeExemption,
  checkRecognition,
  recognisedCertificate,
  type RecognisedCertificate,
} from '../domain/recognition';
import type { CreditConversionInput, CreditRecognitionInput, PeExemptionInput } from '../generated/resolvers-types';
import { courseWithPlan, planFor, schoolRegion } from '../reads/plans';
import { RECOGNITION_COLUMNS, type ConversionRow, type RecognitionRow } from '../reads/recognition';
import { studyRecords, type StudyRow } from '../reads/results';
import { publishStandings } from './results';

/** AS-4: one row of a school's conversion table: a certificate or prior work → credits and exempted courses. */
export const setCreditConversion = command<CreditConversionInput, ConversionRow>({
  name: 'SET_CREDIT_CONVERSION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({ schoolId: uuid, certificateCode: text('code'), exemptCourseCodes: listOf('planCourses', text('code')) }),
    'input',
  ),
  async run(uow, input) {
    const regionCode = await schoolRegion(uow.manager, input.schoolId);
    if (!regionCode) throw notFound({ zh: '未知的学校', en: 'Unknown school' });
    uow.requireScope({ schoolId: input.schoolId, regionCode });
    const problems = checkRecognition(input.kind, { studyForm: 'FLEXIBLE' }, uow.profile).filter(
      (b) => b.field === 'kind',
    );
    if (problems.length > 0) throw refusal(problems.map((b) => ({ ...b, field: 'input.kind' })));
    if (!(input.credits >= 0 && input.credits <= 99) || Math.round(input.credits * 10) !== input.credits * 10)
      throw badUserInput(
        { zh: '学分应在 0–99 之间，至多一位小数', en: 'Credits lie between 0 and 99, one decimal at most' },
        { field: 'input.credits' },
      );
    const row = await selectOne<ConversionRow>(
      uow.manager,
      `INSERT INTO credit_conversion (school_id, kind, certificate_code, credits, exempt_course_codes, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (school_id, kind, certificate_code) DO UPDATE
          SET credits = EXCLUDED.credits, exempt_course_codes = EXCLUDED.exempt_course_codes,
              updated_at = EXCLUDED.updated_at
       RETURNING id, school_id AS "schoolId", kind, certificate_code AS "certificateCode", credits::float8 AS credits,
                 exempt_course_codes AS "exemptCourseCodes"`,
      [input.schoolId, input.kind, input.certificateCode, input.credits, input.exemptCourseCodes ?? [], uow.now()],
    );
    return row!;
  },
  audit: (row) => ({ entity: 'credit_conversion', entityId: row.id }),
});

/** The student of the registrar's school, with the study record the plan follows. */
async function studentOfSchool(uow: UnitOfWork, studentId: string): Promise<StudyRow & { regionCode: string }> {
  const study = (await studyRecords(uow.manager, [studentId])).get(studentId);
  const scope = await selectOne<{ regionCode: string }>(
    uow.manager,
    `SELECT region_code AS "regionCode" FROM student_scope WHERE student_id = $1`,
    [studentId],
  );
  if (!study || !scope)
    throw notFound({ zh: '评价系统中没有该学生的已审核注册', en: 'No approved registration of this student' });
  uow.requireScope({ schoolId: study.schoolId, regionCode: scope.regionCode });
  return { ...study, regionCode: scope.regionCode };
}

async function insertRecognition(
  uow: UnitOfWork,
  r: {
    studentId: string;
    schoolId: string;
    kind: string;
    certificateCode: string;
    credits: number;
    evidenceRef: string;
    certificate?: RecognisedCertificate | null;
  },
  exemptCourseIds: string[],
): Promise<RecognitionRow> {
  const row = await selectOne<RecognitionRow>(
    uow.manager,
    `INSERT INTO credit_recognition AS r (student_id, school_id, kind, certificate_code, credits, evidence_ref, recorded_at,
                                          certificate_title, certificate_number, issued_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (student_id, kind, certificate_code) DO NOTHING
     RETURNING ${RECOGNITION_COLUMNS}`,
    [
      r.studentId,
      r.schoolId,
      r.kind,
      r.certificateCode,
      r.credits,
      r.evidenceRef,
      uow.now(),
      r.certificate?.title ?? null,
      r.certificate?.number ?? null,
      r.certificate?.issuedOn ?? null,
    ],
  );
  if (!row) {
    throw badUserInput(
      { zh: '该证书已为该生认定', en: 'This certificate is already recognised for the student' },
      { field: 'input.certificateCode' },
    );
  }
  if (exemptCourseIds.length > 0) {
    await uow.manager.query(
      `INSERT INTO course_exemption (student_id, course_id, recognition_id)
       SELECT $1, c, $3 FROM unnest($2::uuid[]) AS c ON CONFLICT DO NOTHING`,
      [r.studentId, exemptCourseIds, row.id],
    );
  }
  return row;
}

/**
 * AS-4: a student's certificate or prior work recognised by the school's conversion table: its
 * credits, and the named courses of the student's plan exempted (counted as passed).
 */
export const recognizeCredits = command<CreditRecognitionInput, RecognitionRow>({
  name: 'RECOGNIZE_CREDITS',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      studentId: uuid,
      certificateCode: text('code'),
      evidenceRef: text('reference'),
      certificateTitle: text('institution'),
      certificateNumber: text('code'),
      issuedOn: day('pastDate'),
    }),
    'input',
  ),
  async run(uow, input) {
    const held = recognisedCertificate(input.kind, input); // AS-4, GR-11
    if ('field' in held) throw badUserInput(held.message, { field: `input.${held.field}` });
    const student = await studentOfSchool(uow, input.studentId);
    const breaches = checkRecognition(input.kind, student, uow.profile);
    if (breaches.length > 0) throw refusal(breaches.map((b) => ({ ...b, field: `input.${b.field}` })));
    const conversion = await selectOne<ConversionRow>(
      uow.manager,
      `SELECT id, credits::float8 AS credits, exempt_course_codes AS "exemptCourseCodes"
         FROM credit_conversion WHERE school_id = $1 AND kind = $2 AND certificate_code = $3`,
      [student.schoolId, input.kind, input.certificateCode],
    );
    if (!conversion) {
      throw badUserInput(
        { zh: '学校的折算表中没有该证书', en: 'The school’s conversion table has no such certificate' },
        { field: 'input.certificateCode' },
      );
    }
    const plan = student.majorCode
      ? await planFor(uow.manager, student.schoolId, student.majorCode, student.cohortYear)
      : null;
    const exempt = plan
      ? await selectRows<{ id: string }>(
          uow.manager,
          `SELECT id FROM course WHERE plan_id = $1 AND code = ANY ($2::text[])`,
          [plan.id, conversion.exemptCourseCodes],
        )
      : [];
    const row = await insertRecognition(
      uow,
      { ...input, schoolId: student.schoolId, credits: conversion.credits, certificate: held.certificate },
      exempt.map((c) => c.id),
    );
    await publishStandings(uow, [input.studentId], []);
    if (held.certificate) {
      // GR-1 (fujian), GR-11: graduation counts and shows the certificates held; same unit of work (outbox).
      uow.publish({
        topic: uow.topics.own,
        event: createEvent('xueji.assessment.certificate.recorded.v1', input.studentId, {
          recognitionId: row.id,
          studentId: input.studentId,
          schoolId: student.schoolId,
          ...held.certificate,
          recordedAt: new Date(row.recordedAt).toISOString(),
        }),
      });
    }
    return row;
  },
  audit: (row, input) => ({ entity: 'credit_recognition', entityId: row.id, reason: input.evidenceRef }),
});

/** AS-6: a PE course of the student's plan exempted on a hospital certificate, where the profile allows it. */
export const exemptFromPhysicalEducation = command<PeExemptionInput, RecognitionRow>({
  name: 'EXEMPT_FROM_PE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ studentId: uuid, courseId: uuid, certificateRef: text('reference') }), 'input'),
  async run(uow, input) {
    const student = await studentOfSchool(uow, input.studentId);
    const found = await courseWithPlan(uow.manager, input.courseId);
    if (!found || found.plan.schoolId !== student.schoolId) throw notFound({ zh: '未知的课程', en: 'Unknown course' });
    const breaches = checkPeExemption(found.course, input.hospitalLevel, uow.profile);
    if (breaches.length > 0) throw refusal(breaches.map((b) => ({ ...b, field: `input.${b.field}` })));
    const row = await insertRecognition(
      uow,
      {
        studentId: input.studentId,
        schoolId: student.schoolId,
        kind: 'MEDICAL_EXEMPTION',
        certificateCode: found.course.code,
        credits: 0,
        evidenceRef: input.certificateRef,
      },
      [found.course.id],
    );
    await publishStandings(uow, [input.studentId], []);
    return row;
  },
  audit: (row, input) => ({ entity: 'credit_recognition', entityId: row.id, reason: input.certificateRef }),
});
