import type { Principal } from '@xueji/auth';
import { forbidden, notFound } from '@xueji/errors';
import { isUuid, limits, refusal } from '@xueji/rules';
import { command, idempotentSubmission, repeatedSubmission, submissionDigest } from '@xueji/service-kit';
import {
  duplicateCheck,
  ENR6_ALREADY_REGISTERED,
  ENR7_RACE,
  schoolRegistrationViolations,
  teachingPointViolations,
} from '../domain/decisions';
import { normaliseId } from '../domain/id-number';
import {
  checkRegistration,
  REGISTRATION_LIMITS,
  type RegistrationFacts,
  type RegistrationInput,
} from '../domain/registration';
import { School } from '../entities/school';
import { Student } from '../entities/student';
import {
  activeSchoolOf,
  databaseLookup,
  isTeachingPointOf,
  otherStatusOf,
  type CatalogueLookup,
} from '../reads/registration';
import { insertStudents, registeredEvent } from './student-records';

/** The caller must be the registrar of this school. */
export function requireOwnSchool(registrar: Principal, schoolId: string): void {
  if (registrar.schoolId !== schoolId) {
    throw forbidden({ zh: '只能办理本校学生的学籍事务', en: 'You may act only for students of your own school' });
  }
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
  registrar: Principal,
  importId: string | null,
  registeredAt: Date,
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
    registeredAt,
    registeredBy: registrar.subject,
    importId,
  };
}

/**
 * A school registrar submits one registration (ENR-5: SUBMITTED, formal once approved). Judged by
 * the ENR rules and the duplicate checks (ENR-6/7); the partial unique index settles a race with
 * another submission of the same person (ENR-7). Publishes `student.registered`.
 */
const submitNewRegistration = command<RegistrationInput, Student>({
  name: 'SUBMIT_REGISTRATION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(REGISTRATION_LIMITS, 'input'),
  async run(uow, input) {
    const { manager } = uow;
    // Issue 10: a retry under the registrar's idempotency key is answered with the record it made.
    const key = input.idempotencyKey ?? null;
    const digest = key === null ? null : submissionDigest(uow.actor, input);
    if (key !== null) {
      const earlier = await manager
        .getRepository(Student)
        .findOne({ where: { registeredBy: uow.actor.subject, idempotencyKey: key }, relations: { school: true } });
      await repeatedSubmission(
        key,
        'input.idempotencyKey',
        digest!,
        earlier && { digest: earlier.idempotencyDigest, load: async () => earlier },
      );
    }
    requireOwnSchool(uow.actor, input.schoolId);
    const school = isUuid(input.schoolId)
      ? await manager.getRepository(School).findOneBy({ id: input.schoolId })
      : null;
    if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
    const inactive = schoolRegistrationViolations(school.status);
    if (inactive.length > 0) throw refusal(inactive);

    const facts = await registrationFacts(databaseLookup(manager), input, 'SUBMISSION', uow.today(), school);
    const breaches = checkRegistration(facts, uow.profile);
    if (input.teachingPointId) {
      const ofSchool =
        isUuid(input.teachingPointId) && (await isTeachingPointOf(manager, school.id, input.teachingPointId));
      breaches.push(...teachingPointViolations(ofSchool));
    }
    if (breaches.some((b) => b.input)) throw refusal(breaches);
    const activeAtSchool = await activeSchoolOf(manager, facts.idNumber);
    const otherStatus = activeAtSchool ? null : await otherStatusOf(manager, facts.idNumber);
    const duplicates = duplicateCheck(uow.profile, school.id, { activeAtSchool, otherStatus });
    if (duplicates.sameSchool) throw refusal([ENR6_ALREADY_REGISTERED]);
    breaches.push(...duplicates.breaches);
    if (breaches.length > 0) throw refusal(breaches);

    const record = { ...newRegistrationRecord(input, facts, uow.actor, null, uow.now()), idempotencyKey: key };
    const [inserted] = await insertStudents(manager, [{ ...record, idempotencyDigest: digest }]);
    // ENR-7 under concurrency: another submission of the same person committed first.
    if (!inserted) throw refusal([ENR7_RACE]);
    const student = await manager.getRepository(Student).findOneByOrFail({ id: inserted.id });
    student.school = school;
    uow.publish({ topic: uow.topics.own, event: registeredEvent(student, school) });
    return student;
  },
  audit: (student) => ({ entity: 'student', entityId: student.id }),
});

/**
 * `submitNewRegistration`, idempotent for its registrar (issue 10): the same registration sent again
 * under the same `idempotencyKey` (a retry after a lost response) is answered with the record it
 * created, as it is now, and writes nothing: no record, no audit row, no event.
 */
export const submitRegistration = idempotentSubmission(submitNewRegistration);
