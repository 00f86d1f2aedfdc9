import { badUserInput, forbidden, notFound } from '@xueji/errors';
import {
  day,
  fields,
  inputProblems,
  inputRefusal,
  isUuid,
  limits,
  listOf,
  refusal,
  text,
  type FieldLimit,
} from '@xueji/rules';
import { command, idempotentSubmission, repeatedSubmission, submissionDigest } from '@xueji/service-kit';
import { approvalSteps, checkChange } from '../domain';
import { ChangeRequest } from '../entities/change-request';
import type { ChangeRequestInput } from '../generated/resolvers-types';
import { requestFacts, schoolEntry, studentFacts } from '../reads';
import { recordStep } from './approvals';

/** The kind's own facts, kept with the request and judged by the rules. */
function detailsOf(input: ChangeRequestInput): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (input.transfer)
    d.transfer = {
      ground: input.transfer.ground,
      fromGeneralHighSchool: input.transfer.fromGeneralHighSchool ?? false,
      highSchoolMonthsStudied: input.transfer.highSchoolMonthsStudied,
    };
  if (input.majorChange) {
    d.majorChange = {
      ground: input.majorChange.ground,
      toMajorCode: input.majorChange.toMajorCode,
      toMajorCategoryCode: input.majorChange.toMajorCode.slice(0, 2),
      provincialApproval: input.majorChange.provincialApproval ?? false,
    };
  }
  // SC-11: the counts come from assessment's fact, read with the request's other facts (requestFacts).
  if (input.kind === 'REPEAT') d.repeat = { creditSystemSchool: input.repeat?.creditSystemSchool ?? false };
  if (input.suspension) d.suspension = input.suspension;
  if (input.resumption) d.resumption = input.resumption;
  if (input.withdrawal) d.withdrawal = input.withdrawal;
  if (input.cancellation) d.cancellation = input.cancellation;
  if (input.correction)
    d.correction = { fields: input.correction.fields.map((f) => ({ ...f, oldValue: f.oldValue ?? null })) };
  return d;
}

/** The limits of a change request's fields (`ChangeRequestInput`). */
const checkLimits = limits<ChangeRequestInput>(
  fields({
    effectiveDate: day('effectiveDate'),
    evidenceRefs: listOf('evidenceRefs', text('reference')),
    comment: text('comment'),
    idempotencyKey: text('idempotencyKey'),
    majorChange: fields({ toMajorCode: text('code') }),
    resumption: fields({ healthCertificateRef: text('reference') }),
    withdrawal: fields({ guardianConsentRef: text('reference') }),
    correction: fields({
      fields: listOf(
        'correctionFields',
        fields({ field: text('fieldName'), oldValue: text('fieldValue'), newValue: text('fieldValue') }),
      ),
    }),
  }),
  'input',
);

/** A corrected value keeps the limit of the field it corrects (SC-21): a new name is a name. */
const CORRECTED_VALUE_LIMITS: Record<string, FieldLimit> = {
  name: text('personName'),
  birthDate: day('birthDate'),
  idNumber: text('idNumber'),
  address: text('address'),
};

function checkChangeRequestInput(input: ChangeRequestInput, today: string): void {
  checkLimits(input, today);
  const problems = (input.correction?.fields ?? []).flatMap((f, i) => {
    const limit = CORRECTED_VALUE_LIMITS[f.field];
    return limit ? inputProblems(limit, f.newValue, today, `input.correction.fields[${i}].newValue`) : [];
  });
  const refused = inputRefusal(problems);
  if (refused) throw refused;
}

/** A school registrar submits a change for one of its students; the SC rules are checked now and at every approval. */
const submitNewChangeRequest = command<ChangeRequestInput, ChangeRequest>({
  name: 'SUBMIT_CHANGE_REQUEST',
  roles: ['SCHOOL_REGISTRAR'],
  validate: checkChangeRequestInput,
  async run(uow, input) {
    const { manager, actor: principal } = uow;
    // Issue 10: a retry under the submitter's idempotency key is answered with the request it made.
    const key = input.idempotencyKey ?? null;
    const digest = key === null ? null : submissionDigest(principal, input);
    if (key !== null) {
      const earlier = await manager
        .getRepository(ChangeRequest)
        .findOneBy({ submittedBy: principal.subject, idempotencyKey: key });
      await repeatedSubmission(
        key,
        'input.idempotencyKey',
        digest!,
        earlier && { digest: earlier.idempotencyDigest, load: async () => earlier },
      );
    }
    if (!isUuid(input.studentId)) throw notFound({ zh: '学生不存在', en: 'No such student' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.effectiveDate)) {
      throw badUserInput(
        { zh: '生效日期应为 YYYY-MM-DD', en: 'The effective date must be YYYY-MM-DD' },
        { field: 'effectiveDate' },
      );
    }
    if (input.kind === 'TRANSFER' && (!input.transfer || !isUuid(input.transfer.toSchoolId))) {
      throw badUserInput(
        { zh: '转学须指定转入学校', en: 'A transfer needs the receiving school' },
        { field: 'transfer.toSchoolId' },
      );
    }
    const { record: student, facts: studentNow } = await studentFacts(manager, input.studentId);
    // ADM-2: only the student's own school submits; another school's token is out of scope (issue 10).
    if (student.schoolId !== principal.schoolId) {
      throw forbidden({
        zh: '只能为本校学生申报异动',
        en: 'Only the student’s own school submits its changes',
      });
    }
    const draft = manager.getRepository(ChangeRequest).create({
      studentId: input.studentId,
      kind: input.kind,
      state: 'PENDING',
      fromSchoolId: student.schoolId,
      toSchoolId: input.transfer?.toSchoolId ?? null,
      effectiveDate: input.effectiveDate,
      details: detailsOf(input),
      evidenceRefs: (input.evidenceRefs ?? []).map((r) => r.trim()).filter(Boolean),
      imposed: false,
      notice: null,
      submittedBy: principal.subject,
      submittedRole: principal.role,
      submittedAt: uow.now(),
      decidedAt: null,
      reason: null,
      idempotencyKey: key,
      idempotencyDigest: digest,
    });
    if (input.kind === 'TRANSFER' && !(await schoolEntry(manager, draft.toSchoolId))) {
      throw notFound({ zh: '转入学校不存在', en: 'No such receiving school' });
    }
    const facts = await requestFacts(manager, draft, uow.today(), 'SUBMISSION');
    const breaches = checkChange(facts, studentNow, uow.profile);
    if (breaches.length > 0) throw refusal(breaches);
    draft.steps = approvalSteps(input.kind, facts, uow.profile);
    draft.nextStep = draft.steps[0] ?? null;
    const saved = await manager.getRepository(ChangeRequest).save(draft);
    await recordStep(uow, saved.id, 'SUBMITTED', 'SUBMIT', principal, input.comment);
    return saved;
  },
  audit: (request, input) => ({
    entity: 'change_request',
    entityId: request.id,
    reason: input.comment ?? null,
    details: { studentId: request.studentId, kind: request.kind, effectiveDate: request.effectiveDate },
  }),
});

/**
 * `submitNewChangeRequest`, idempotent for its submitter (issue 10): the same submission sent again
 * under the same `idempotencyKey` (a retry after a lost response) is answered with the request it
 * created, as it is now, and writes nothing: no request, no history step, no audit row, no event.
 */
export const submitChangeRequest = idempotentSubmission(submitNewChangeRequest);
