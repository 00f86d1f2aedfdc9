/**
 * The competent authority decides registrations (ENR-5): each decision is a unit of work of its
 * own, so one refusal in a batch blocks no other, and each writes its own audit row.
 */
import { pgErrorCode } from '@xueji/db';
import { requireRole, type Principal } from '@xueji/auth';
import { badUserInput, CodedError } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { approvalTiming, fields, limits, refusal, text, toBreach, type RuleViolation } from '@xueji/rules';
import { command, type Command, type ServiceContext } from '@xueji/service-kit';
import { decisionViolations, duplicateCheck, ENR5_NO_STUDENT, ENR7_RACE } from '../domain/decisions';
import { checkRegistration, type RegistrationInput } from '../domain/registration';
import { Major } from '../entities/major';
import { Student } from '../entities/student';
import { activeSchoolOf, databaseLookup, otherStatusOf } from '../reads/registration';
import { registrationFacts } from './registration';
import { allocateStudentNumber, lockStudent, persist } from './student-records';

/** What a batch of decisions reports: the records decided, and why the others were not. */
export interface DecisionReport {
  decided: Student[];
  refused: { studentId: string; breaches: ReturnType<typeof toBreach>[] }[];
}

const BREACHES = Symbol('breaches');

/** A decision refused by rules: rolled back, and reported against the student rather than thrown at the caller. */
function refused(breaches: RuleViolation[]): CodedError {
  return Object.assign(refusal(breaches), { [BREACHES]: breaches });
}

function breachesOf(error: unknown): RuleViolation[] | null {
  if (!(error instanceof CodedError)) return null;
  const breaches = (error as CodedError & { [BREACHES]?: RuleViolation[] })[BREACHES];
  return breaches ?? null;
}

/** Who decided what about a registration, when, and why (kept on the record; the audit log has the rest). */
function recordDecision(
  student: Student,
  status: Student['registrationStatus'],
  reviewer: Principal,
  comment: string | null,
  at: Date,
): asserts student is Student & { decidedAt: Date } {
  student.registrationStatus = status;
  student.decidedAt = at;
  student.decidedBy = reviewer.subject;
  student.decisionComment = comment;
}

function arrivalOf(s: Student): RegistrationInput['arrival'] {
  return s.reportBy && s.arrivedOn
    ? { reportBy: s.reportBy, arrivedOn: s.arrivedOn, lateArrivalApproved: s.lateArrivalApproved }
    : null;
}

/**
 * ENR-5: the competent authority approves one registration. The rules are checked again, since
 * facts may have changed since submission (ENR-4 review date, ENR-7, ENR-16); the student number
 * is allocated (ENR-11). Publishes `registration.approved` with what subsidy needs.
 */
export const approveRegistration = command<{ id: string; comment: string | null }, Student>({
  name: 'APPROVE_REGISTRATION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ comment: text('comment') })),
  async run(uow, { id, comment }) {
    const { manager } = uow;
    const student = await lockStudent(manager, id);
    const school = student.school!;
    const undecidable = decisionViolations(uow.actor, {
      authorityRegionCode: school.authorityRegionCode,
      registrationStatus: student.registrationStatus,
    });
    if (undecidable.length > 0) throw refused(undecidable);

    const facts = await registrationFacts(
      databaseLookup(manager),
      { ...student, arrival: arrivalOf(student) },
      'APPROVAL',
      uow.today(),
      school,
    );
    const breaches = checkRegistration(facts, uow.profile);
    const activeAtSchool = await activeSchoolOf(manager, student.idNumber, student.id);
    const otherStatus = activeAtSchool ? null : await otherStatusOf(manager, student.idNumber);
    breaches.push(...duplicateCheck(uow.profile, student.schoolId, { activeAtSchool, otherStatus }).breaches);
    if (breaches.length > 0) throw refused(breaches);

    const major = student.majorCode ? await manager.getRepository(Major).findOneBy({ code: student.majorCode }) : null;
    student.studentNumber = await allocateStudentNumber(manager, uow.profile, student);
    recordDecision(student, 'APPROVED', uow.actor, comment, uow.now());
    await persist(manager, student);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.enrolment.registration.approved.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        regionCode: school.regionCode,
        studentNumber: student.studentNumber,
        approvedAt: student.decidedAt.toISOString(),
        authorityRegionCode: school.authorityRegionCode,
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
        // ADM-3 / SC-22 (GR-1 jilin): approved within the month the school submitted it (China time).
        ...approvalTiming(student.registeredAt, student.decidedAt),
      }),
    });
    return student;
  },
  audit: (student, { comment }) => ({ entity: 'student', entityId: student.id, reason: comment }),
});

/** The competent authority sends one registration back, with a reason; the ID number is free again. */
export const rejectRegistration = command<{ id: string; reason: string }, Student>({
  name: 'REJECT_REGISTRATION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ reason: text('reason') })),
  async run(uow, { id, reason }) {
    const student = await lockStudent(uow.manager, id);
    const undecidable = decisionViolations(uow.actor, {
      authorityRegionCode: student.school!.authorityRegionCode,
      registrationStatus: student.registrationStatus,
    });
    if (undecidable.length > 0) throw refused(undecidable);
    recordDecision(student, 'REJECTED', uow.actor, reason.trim(), uow.now());
    await persist(uow.manager, student);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.enrolment.registration.rejected.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        reason: reason.trim(),
        rejectedAt: student.decidedAt.toISOString(),
      }),
    });
    return student;
  },
  audit: (student, { reason }) => ({ entity: 'student', entityId: student.id, reason }),
});

/** Decide registrations one by one, each its own unit of work; refusals are reported, not thrown. */
async function decideEach<I>(
  ctx: ServiceContext,
  ids: string[],
  decision: Command<I, Student>,
  input: (id: string) => I,
  repeated: (id: string) => Promise<Student | null> = async () => null,
): Promise<DecisionReport> {
  requireRole(ctx.principal, 'AUTHORITY_REVIEWER');
  if (ids.length === 0 || ids.length > 1000) {
    throw badUserInput({ zh: '每次审核 1–1000 条', en: 'Decide between 1 and 1000 registrations at a time' });
  }
  const report: DecisionReport = { decided: [], refused: [] };
  for (const id of [...new Set(ids)]) {
    try {
      report.decided.push(await decision.execute(ctx, input(id)));
    } catch (error) {
      const breaches = breachesOf(error);
      const again = breaches && (await repeated(id));
      if (again) {
        report.decided.push(again);
      } else if (breaches) {
        report.refused.push({ studentId: id, breaches: breaches.map(toBreach) });
      } else if (error instanceof CodedError && error.code === 'NOT_FOUND') {
        report.refused.push({ studentId: id, breaches: [toBreach(ENR5_NO_STUDENT)] });
      } else if (pgErrorCode(error) === '23505') {
        report.refused.push({ studentId: id, breaches: [toBreach(ENR7_RACE)] });
      } else {
        throw error;
      }
    }
  }
  return report;
}

/**
 * A registration this reviewer approved already (a retry after a lost response): decided, as it is
 * now, with nothing written again. Approved by another reviewer, it stays refused (ENR-5).
 */
const approvedByCaller = (ctx: ServiceContext) => async (id: string) => {
  const student = await ctx.dataSource.getRepository(Student).findOne({ where: { id }, relations: { school: true } });
  const caller = ctx.principal!;
  return student?.registrationStatus === 'APPROVED' &&
    student.decidedBy === caller.subject &&
    decisionViolations(caller, {
      authorityRegionCode: student.school!.authorityRegionCode,
      registrationStatus: 'SUBMITTED',
    }).length === 0
    ? student
    : null;
};

/** ENR-5: approve registrations, one by one or in bulk (at most 1000); one this reviewer approved already is decided. */
export const approveRegistrations = (ctx: ServiceContext, ids: string[], comment: string | null) =>
  decideEach(ctx, ids, approveRegistration, (id) => ({ id, comment }), approvedByCaller(ctx));

/** Send registrations back with a reason, one by one or in bulk (at most 1000). */
export async function rejectRegistrations(ctx: ServiceContext, ids: string[], reason: string): Promise<DecisionReport> {
  if (!reason.trim())
    throw badUserInput({ zh: '退回须说明理由', en: 'A rejection needs a reason' }, { field: 'reason' });
  return decideEach(ctx, ids, rejectRegistration, (id) => ({ id, reason }));
}
