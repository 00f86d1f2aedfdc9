import type { EntityManager } from 'typeorm';
import { requireRole, type Principal } from '@xueji/auth';
import { pgErrorCode } from '@xueji/db';
import { badUserInput, CodedError, forbidden, notFound } from '@xueji/errors';
import { refusal, toBreach, isUuid } from '@xueji/rules';
import { createEvent } from '@xueji/events';
import { appendToOutbox } from '@xueji/outbox';
import type { PolicyProfile } from '@xueji/policy';
import type { ServiceContext } from '@xueji/service-kit';
import { audit } from '@xueji/audit';
import { checkReadmission, checkRecheckCancellation, deferralUntil, otherStatusViolation } from '../domain/lifecycle';
import { checkRegistration, type RegistrationFacts } from '../domain/registration';
import { violation, type RuleViolation } from '../domain/rules';
import { needsSequence, sequenceScope, studentNumber } from '../domain/student-number';
import { Major, MajorCategory } from '../entities/major';
import { School, TeachingPoint } from '../entities/school';
import { Student } from '../entities/student';
import { lockStudent, persist, requireRegistrarOf, reviewerCovers } from './access';

/** The registration input as the API and the roster import give it. */
export interface RegistrationInput {
  schoolId: string;
  name: string;
  sex: Student['sex'];
  birthDate: string;
  idNumber: string;
  origin?: Student['origin'];
  ethnicity?: string | null;
  household?: Student['household'];
  address?: string | null;
  contact?: string | null;
  photoRef?: string | null;
  entryDate: string;
  intake: Student['intake'];
  entryLevel?: Student['entryLevel'];
  freshJuniorGraduate?: boolean;
  studyForm?: Student['studyForm'];
  programme?: Student['programme'];
  partnerCollege?: string | null;
  jointPartner?: string | null;
  majorCode?: string | null;
  majorCategoryCode?: string | null;
  className?: string | null;
  expectedYears: number;
  teachingPointId?: string | null;
  arrival?: { reportBy: string; arrivedOn: string; lateArrivalApproved?: boolean | null } | null;
}

export type SubmitOutcome =
  | { outcome: 'REGISTERED'; student: Student }
  | { outcome: 'ALREADY_REGISTERED'; student: Student }
  | { outcome: 'REFUSED'; breaches: RuleViolation[] };

export const normaliseId = (id: string) => id.trim().toUpperCase();

/** Where the rules look up the catalogue and the school's approved majors (the database, or preloaded maps). */
export interface CatalogueLookup {
  major(code: string): Promise<Major | null>;
  approvedForSchool(schoolId: string, majorCode: string): Promise<boolean>;
  category(code: string): Promise<MajorCategory | null>;
}

export function databaseLookup(manager: EntityManager): CatalogueLookup {
  return {
    major: (code) => manager.getRepository(Major).findOneBy({ code }),
    approvedForSchool: async (schoolId, code) =>
      (
        (await manager.query('SELECT 1 FROM school_major WHERE school_id = $1 AND major_code = $2', [
          schoolId,
          code,
        ])) as unknown[]
      ).length > 0,
    category: (code) => manager.getRepository(MajorCategory).findOneBy({ code }),
  };
}

/** The facts the ENR rules judge, from the input (or a stored record) and the school's approvals. */
export async function registrationFacts(
  lookup: CatalogueLookup,
  input: RegistrationInput,
  stage: RegistrationFacts['stage'],
  today: string,
  school: Pick<School, 'nationalKey'>,
): Promise<RegistrationFacts> {
  const major = input.majorCode ? await lookup.major(input.majorCode) : null;
  const approved = input.majorCode ? await lookup.approvedForSchool(input.schoolId, input.majorCode) : false;
  const category = input.majorCategoryCode ? await lookup.category(input.majorCategoryCode) : null;
  return {
    today,
    stage,
    name: input.name,
    sex: input.sex,
    birthDate: input.birthDate,
    idNumber: normaliseId(input.idNumber),
    origin: input.origin ?? 'MAINLAND',
    photoRef: input.photoRef,
    entryDate: input.entryDate,
    intake: input.intake,
    entryLevel: input.entryLevel ?? 'JUNIOR',
    freshJuniorGraduate: input.freshJuniorGraduate ?? true,
    studyForm: input.studyForm ?? 'FULL_TIME',
    programme: input.programme ?? 'REGULAR',
    partnerCollege: input.partnerCollege,
    jointPartner: input.jointPartner,
    schoolNationalKey: school.nationalKey,
    expectedYears: input.expectedYears,
    major: input.majorCode
      ? {
          code: input.majorCode,
          categoryCode: major?.categoryCode ?? input.majorCode.slice(0, 2),
          inCatalogue: major !== null,
          approvedForSchool: approved,
        }
      : null,
    majorCategory: input.majorCategoryCode ? { code: input.majorCategoryCode, known: category !== null } : null,
    arrival: input.arrival
      ? { ...input.arrival, lateArrivalApproved: input.arrival.lateArrivalApproved ?? false }
      : null,
  };
}

/** A new SUBMITTED record from a judged input. */
export function newRegistrationRecord(
  input: RegistrationInput,
  facts: RegistrationFacts,
  principal: Principal,
  importId: string | null,
): Partial<Student> {
  return {
    schoolId: input.schoolId,
    name: input.name.trim(),
    sex: input.sex,
    birthDate: input.birthDate,
    idNumber: facts.idNumber,
    origin: facts.origin,
    ethnicity: input.ethnicity ?? null,
    household: input.household ?? null,
    address: input.address ?? null,
    contact: input.contact ?? null,
    photoRef: input.photoRef ?? null,
    entryDate: input.entryDate,
    intake: input.intake,
    entryLevel: facts.entryLevel,
    freshJuniorGraduate: facts.freshJuniorGraduate,
    studyForm: facts.studyForm,
    programme: facts.programme,
    partnerCollege: input.partnerCollege ?? null,
    jointPartner: input.jointPartner?.trim() || null,
    majorCode: input.majorCode ?? null,
    majorCategoryCode: input.majorCategoryCode ?? (input.majorCode ? input.majorCode.slice(0, 2) : null),
    className: input.className ?? null,
    expectedYears: input.expectedYears,
    teachingPointId: input.teachingPointId ?? null,
    reportBy: input.arrival?.reportBy ?? null,
    arrivedOn: input.arrival?.arrivedOn ?? null,
    lateArrivalApproved: input.arrival?.lateArrivalApproved ?? false,
    registrationStatus: 'SUBMITTED',
    registeredAt: new Date(),
    registeredBy: principal.subject,
    importId,
  };
}

/** The event a new (or re-admitted) registration publishes. */
export function registeredEvent(
  student: Pick<Student, 'id' | 'schoolId' | 'name' | 'registeredAt' | 'idNumber'>,
  school: Pick<School, 'regionCode'>,
) {
  return createEvent('xueji.enrolment.student.registered.v1', student.id, {
    studentId: student.id,
    schoolId: student.schoolId,
    regionCode: school.regionCode,
    name: student.name,
    registeredAt: student.registeredAt.toISOString(),
    idNumber: student.idNumber,
  });
}

/** ENR-6/ENR-7: another record of the same person, and statuses held in other systems. */
export async function duplicateBreaches(
  manager: EntityManager,
  ctx: ServiceContext,
  idNumber: string,
  schoolId: string,
  exceptStudentId?: string,
): Promise<{ breaches: RuleViolation[]; sameSchool: Student | null }> {
  const active = await manager
    .getRepository(Student)
    .createQueryBuilder('s')
    .where('s.id_number = :idNumber', { idNumber })
    .andWhere(`s.registration_status IN ('SUBMITTED', 'APPROVED', 'DEFERRED') AND s.left_at IS NULL`)
    .andWhere(exceptStudentId ? 's.id <> :except' : 'TRUE', { except: exceptStudentId })
    .getOne();
  if (active && active.schoolId === schoolId) return { breaches: [], sameSchool: active };
  if (active) return { breaches: [ENR7_OTHER_SCHOOL], sameSchool: null };
  const held = (await manager.query(
    'SELECT kind, institution FROM other_status_record WHERE id_number = $1 ORDER BY kind LIMIT 1',
    [idNumber],
  )) as { kind: 'GENERAL_HIGH_SCHOOL' | 'UNIVERSITY' | 'TECHNICAL_SCHOOL'; institution: string }[];
  return { breaches: otherStatusViolation(ctx.profile, held[0] ?? null), sameSchool: null };
}

export const ENR7_OTHER_SCHOOL = violation(
  'ENR-7',
  '该身份证号已在其他学校注册学籍，不得重复注册（一人一籍）',
  'This ID number already holds a status at another school (one person, one status)',
  'idNumber',
);

export const ENR7_RACE = violation(
  'ENR-7',
  '该身份证号已有有效学籍（并发提交），不得重复注册',
  'This ID number already holds an active status (concurrent submission)',
  'idNumber',
);

/**
 * Submit one registration for a school the caller registers for. Judged by the ENR rules, then
 * written with its event in one transaction; the database's unique index settles races (ENR-7).
 */
export async function submitOne(
  ctx: ServiceContext,
  principal: Principal,
  input: RegistrationInput,
  importId: string | null = null,
): Promise<SubmitOutcome> {
  const idNumber = normaliseId(input.idNumber);
  try {
    return await ctx.dataSource.transaction(async (manager) => {
      const school = await manager.getRepository(School).findOneBy({ id: input.schoolId });
      if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
      if (school.status !== 'ACTIVE') {
        return {
          outcome: 'REFUSED',
          breaches: [violation('ADM-1', '学校已停办或暂停招生', 'The school is not active', 'schoolId')],
        };
      }
      const facts = await registrationFacts(databaseLookup(manager), input, 'SUBMISSION', ctx.today(), school);
      const breaches = checkRegistration(facts, ctx.profile);
      if (input.teachingPointId) {
        const point = isUuid(input.teachingPointId)
          ? await manager.getRepository(TeachingPoint).findOneBy({ id: input.teachingPointId, schoolId: school.id })
          : null;
        if (!point) {
          breaches.push(
            violation(
              'ENR-20',
              '教学点不属于本校或未备案',
              'The teaching point is not a named point of this school',
              'teachingPointId',
            ),
          );
        }
      }
      if (breaches.some((b) => b.input)) return { outcome: 'REFUSED', breaches };
      const duplicates = await duplicateBreaches(manager, ctx, idNumber, school.id);
      if (duplicates.sameSchool) return { outcome: 'ALREADY_REGISTERED', student: duplicates.sameSchool };
      breaches.push(...duplicates.breaches);
      if (breaches.length > 0) return { outcome: 'REFUSED', breaches };

      const repo = manager.getRepository(Student);
      const student = await repo.save(repo.create(newRegistrationRecord(input, facts, principal, importId)));
      await appendToOutbox(manager, ctx.topics.own, registeredEvent(student, school));
      await audit(manager, principal, { action: 'SUBMIT_REGISTRATION', entity: 'student', entityId: student.id });
      return { outcome: 'REGISTERED', student: Object.assign(student, { school }) };
    });
  } catch (error) {
    // ENR-7 under concurrency: the other submission committed first.
    if (pgErrorCode(error) === '23505') return { outcome: 'REFUSED', breaches: [ENR7_RACE] };
    throw error;
  }
}

/** Allocate the student number on approval (ENR-11): gap-tolerant, never duplicated. */
export async function allocateStudentNumber(
  manager: EntityManager,
  profile: PolicyProfile,
  student: Student,
): Promise<string> {
  if (student.studentNumber) return student.studentNumber;
  const facts = {
    idNumber: student.idNumber,
    entryDate: student.entryDate,
    schoolRegionCode: student.school!.regionCode,
    countySchoolCode: student.school!.countySchoolCode,
  };
  if (!needsSequence(profile)) return studentNumber(profile, facts);
  const rows = (await manager.query(
    `INSERT INTO student_number_sequence (scope, last_value) VALUES ($1, 1)
     ON CONFLICT (scope) DO UPDATE SET last_value = student_number_sequence.last_value + 1 RETURNING last_value`,
    [sequenceScope(facts, student.schoolId)],
  )) as { last_value: number }[];
  return studentNumber(profile, facts, rows[0]!.last_value);
}

export interface DecisionReport {
  decided: Student[];
  refused: { studentId: string; breaches: ReturnType<typeof toBreach>[] }[];
}

/** Decide registrations one by one, each in its own transaction, so one refusal blocks no other. */
async function decideEach(
  ctx: ServiceContext,
  ids: string[],
  decide: (manager: EntityManager, student: Student, principal: Principal) => Promise<RuleViolation[]>,
): Promise<DecisionReport> {
  const principal = requireRole(ctx.principal, 'AUTHORITY_REVIEWER');
  if (ids.length === 0 || ids.length > 1000) {
    throw badUserInput({ zh: '每次审核 1–1000 条', en: 'Decide between 1 and 1000 registrations at a time' });
  }
  const report: DecisionReport = { decided: [], refused: [] };
  for (const id of [...new Set(ids)]) {
    try {
      const breaches = await ctx.dataSource.transaction(async (manager) => {
        const student = await lockStudent(manager, id);
        if (!reviewerCovers(principal, student.school!)) {
          return [
            violation('ADM-2', '该校不由您所在的主管部门审核', 'This school is not reviewed by your authority', 'id'),
          ];
        }
        if (student.registrationStatus !== 'SUBMITTED') {
          return [
            violation(
              'ENR-5',
              `该注册状态为 ${student.registrationStatus}，无需审核`,
              `This registration is ${student.registrationStatus}, not awaiting review`,
              'id',
            ),
          ];
        }
        const found = await decide(manager, student, principal);
        if (found.length === 0) report.decided.push(student);
        return found;
      });
      if (breaches.length > 0) report.refused.push({ studentId: id, breaches: breaches.map(toBreach) });
    } catch (error) {
      if (error instanceof CodedError && error.code === 'NOT_FOUND') {
        report.refused.push({
          studentId: id,
          breaches: [toBreach(violation('ENR-5', '学生不存在', 'No such student', 'id'))],
        });
      } else if (pgErrorCode(error) === '23505') {
        report.refused.push({ studentId: id, breaches: [toBreach(ENR7_RACE)] });
      } else {
        throw error;
      }
    }
  }
  return report;
}

export async function approveRegistrations(
  ctx: ServiceContext,
  ids: string[],
  comment: string | null,
): Promise<DecisionReport> {
  return decideEach(ctx, ids, async (manager, student, principal) => {
    // Facts may have changed since submission: the rules are checked again (ENR-4 review date, ENR-7, ENR-16).
    const facts = await registrationFacts(
      databaseLookup(manager),
      { ...student, arrival: arrivalOf(student) },
      'APPROVAL',
      ctx.today(),
      student.school!,
    );
    const breaches = checkRegistration(facts, ctx.profile);
    breaches.push(...(await duplicateBreaches(manager, ctx, student.idNumber, student.schoolId, student.id)).breaches);
    if (breaches.length > 0) return breaches;
    const major = student.majorCode ? await manager.getRepository(Major).findOneBy({ code: student.majorCode }) : null;
    student.studentNumber = await allocateStudentNumber(manager, ctx.profile, student);
    recordDecision(student, 'APPROVED', principal, comment);
    await persist(manager, student);
    await appendToOutbox(
      manager,
      ctx.topics.own,
      createEvent('xueji.enrolment.registration.approved.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        regionCode: student.school!.regionCode,
        studentNumber: student.studentNumber,
        approvedAt: student.decidedAt.toISOString(),
        authorityRegionCode: student.school!.authorityRegionCode,
        entryDate: student.entryDate,
        studyForm: student.studyForm,
        programme: student.programme,
        expectedYears: student.expectedYears,
        majorCode: student.majorCode,
        majorCategoryCode: student.majorCategoryCode,
        agricultureRelated: major?.agricultureRelated ?? false,
        waiverExcluded: major?.waiverExcluded ?? false,
        household: student.household,
        teachingPointId: student.teachingPointId,
      }),
    );
    await audit(manager, principal, {
      action: 'APPROVE_REGISTRATION',
      entity: 'student',
      entityId: student.id,
      reason: comment,
    });
    return [];
  });
}

/** Who decided what about a registration, when, and why (kept on the record; the audit log has the rest). */
function recordDecision(
  student: Student,
  status: Student['registrationStatus'],
  principal: Principal,
  comment: string | null,
): asserts student is Student & { decidedAt: Date } {
  student.registrationStatus = status;
  student.decidedAt = new Date();
  student.decidedBy = principal.subject;
  student.decisionComment = comment;
}

export async function rejectRegistrations(ctx: ServiceContext, ids: string[], reason: string): Promise<DecisionReport> {
  if (!reason.trim())
    throw badUserInput({ zh: '退回须说明理由', en: 'A rejection needs a reason' }, { field: 'reason' });
  return decideEach(ctx, ids, async (manager, student, principal) => {
    recordDecision(student, 'REJECTED', principal, reason.trim());
    await persist(manager, student);
    await appendToOutbox(
      manager,
      ctx.topics.own,
      createEvent('xueji.enrolment.registration.rejected.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        reason: reason.trim(),
        rejectedAt: student.decidedAt.toISOString(),
      }),
    );
    await audit(manager, principal, { action: 'REJECT_REGISTRATION', entity: 'student', entityId: student.id, reason });
    return [];
  });
}

function arrivalOf(s: Student): RegistrationInput['arrival'] {
  return s.reportBy && s.arrivedOn
    ? { reportBy: s.reportBy, arrivedOn: s.arrivedOn, lateArrivalApproved: s.lateArrivalApproved }
    : null;
}

/** A change to one student by the registrar of its school, with its event, in one transaction. */
async function changeByRegistrar(
  ctx: ServiceContext,
  id: string,
  change: (manager: EntityManager, student: Student, principal: Principal) => Promise<RuleViolation[]>,
): Promise<Student> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  return ctx.dataSource.transaction(async (manager) => {
    const student = await lockStudent(manager, id);
    if (student.schoolId !== principal.schoolId) {
      throw forbidden({ zh: '只能办理本校学生的学籍事务', en: 'You may act only for students of your own school' });
    }
    const breaches = await change(manager, student, principal);
    if (breaches.length > 0) throw refusal(breaches);
    await persist(manager, student);
    return student;
  });
}

/** ENR-9: cancel a registration found ineligible at the entrance re-check. */
export function cancelRegistration(ctx: ServiceContext, id: string, reason: string): Promise<Student> {
  if (!reason.trim())
    throw badUserInput({ zh: '注销须说明理由', en: 'A cancellation needs a reason' }, { field: 'reason' });
  return changeByRegistrar(ctx, id, async (manager, student, principal) => {
    const breaches = checkRecheckCancellation(ctx.profile, {
      arrivedOn: student.arrivedOn ?? student.entryDate,
      today: ctx.today(),
      registrationStatus: student.registrationStatus,
    });
    if (breaches.length > 0) return breaches;
    recordDecision(student, 'CANCELLED', principal, reason.trim());
    await appendToOutbox(
      manager,
      ctx.topics.own,
      createEvent('xueji.enrolment.registration.cancelled.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        reason: reason.trim(),
        cancelledAt: student.decidedAt.toISOString(),
      }),
    );
    await audit(manager, principal, { action: 'CANCEL_REGISTRATION', entity: 'student', entityId: student.id, reason });
    return [];
  });
}

/** ENR-10: keep an ill student's admission without status. */
export function deferAdmission(ctx: ServiceContext, id: string, certificateRef: string): Promise<Student> {
  return changeByRegistrar(ctx, id, async (manager, student, principal) => {
    if (!certificateRef.trim()) {
      return [violation('ENR-10', '须提交医院证明', 'A hospital certificate is required', 'certificateRef')];
    }
    if (student.registrationStatus !== 'SUBMITTED' && student.registrationStatus !== 'APPROVED') {
      return [violation('ENR-10', '仅在读注册可保留入学资格', 'Only a registration in force can be deferred', 'id')];
    }
    const until = deferralUntil(ctx.profile, ctx.today());
    if (typeof until !== 'string') return [until];
    student.registrationStatus = 'DEFERRED';
    student.deferredUntil = until;
    await appendToOutbox(
      manager,
      ctx.topics.own,
      createEvent('xueji.enrolment.admission.deferred.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        deferredUntil: until,
        deferredAt: new Date().toISOString(),
      }),
    );
    await audit(manager, principal, {
      action: 'DEFER_ADMISSION',
      entity: 'student',
      entityId: student.id,
      reason: certificateRef,
    });
    return [];
  });
}

/** ENR-10: re-admit a deferred student with a certificate of recovery; the registration is reviewed again. */
export function readmitDeferred(ctx: ServiceContext, id: string, certificateRef: string): Promise<Student> {
  return changeByRegistrar(ctx, id, async (manager, student, principal) => {
    if (student.registrationStatus !== 'DEFERRED' || !student.deferredUntil) {
      return [violation('ENR-10', '该学生未保留入学资格', 'This student’s admission is not deferred', 'id')];
    }
    const breaches = checkReadmission({ deferredUntil: student.deferredUntil, today: ctx.today(), certificateRef });
    if (breaches.length > 0) return breaches;
    student.registrationStatus = 'SUBMITTED';
    student.deferredUntil = null;
    student.registeredAt = new Date();
    await appendToOutbox(manager, ctx.topics.own, registeredEvent(student, student.school!));
    await audit(manager, principal, {
      action: 'READMIT_DEFERRED',
      entity: 'student',
      entityId: student.id,
      reason: certificateRef,
    });
    return [];
  });
}

export { requireRegistrarOf };
