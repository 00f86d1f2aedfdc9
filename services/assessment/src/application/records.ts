/** AS-7, AS-9, AS-17: internships, rewards and hubei-shiyan's graduation inputs, recorded by the school. */
import { selectOne } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { day, fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import type { GraduationInputKind, RewardForm, RewardLevel, RewardScope } from '@xueji/vocabulary';
import { assessmentProblems, graduationInputProblems, placementProblems, rewardProblems } from '../domain/rewards';
import { lockStudentPlace } from '../reads/discipline';
import {
  internshipById,
  lockInternship,
  otherPlacementMonths,
  rewardById,
  type InternshipRow,
  type RewardRow,
} from '../reads/records';
import { requireStanding } from './standing';

export interface RewardInput {
  studentId: string;
  level: RewardLevel;
  scope: RewardScope;
  form: RewardForm;
  title: string;
  awardedBy: string;
  awardedOn: string;
  amountCny?: number | null;
  postingRef?: string | null;
  notifiedOn?: string | null;
}

/** AS-9: a reward of the level the profile names; into the archive (ENR-18); beijing posts it publicly. */
export const recordReward = command<RewardInput, RewardRow>({
  name: 'RECORD_REWARD',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      studentId: uuid,
      title: text('institution'),
      awardedBy: text('institution'),
      awardedOn: day('pastDate'),
      postingRef: text('reference'),
      notifiedOn: day('pastDate'),
    }),
    'input',
  ),
  async run(uow, input) {
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    await requireStanding(uow, place.studentId, 'REWARD');
    const problems = rewardProblems(
      {
        level: input.level,
        form: input.form,
        scope: input.scope,
        amountCny: input.amountCny ?? null,
        postingRef: input.postingRef ?? null,
      },
      uow.profile,
    );
    if (problems.length > 0) throw refusal(problems);
    const row = await selectOne<{ id: string }>(
      uow.manager,
      `INSERT INTO reward (student_id, school_id, region_code, level, scope, form, title, awarded_by, awarded_on,
         amount_cny, posting_ref, notified_on, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        place.studentId,
        place.schoolId,
        place.regionCode,
        input.level,
        input.scope,
        input.form,
        input.title,
        input.awardedBy,
        input.awardedOn,
        input.amountCny ?? null,
        input.postingRef ?? null,
        input.notifiedOn ?? null,
        uow.actor.subject,
        uow.now(),
      ],
    );
    return rewardById(uow.manager, row!.id);
  },
  audit: (r) => ({
    entity: 'reward',
    entityId: r.id,
    details: { studentId: r.studentId, level: r.level, form: r.form },
  }),
});

export interface PlacementInput {
  studentId: string;
  employer: string;
  post: string;
  startsOn: string;
  endsOn: string;
  agreementRef: string;
  appliedOn?: string | null;
  planCompletedPercent?: number | null;
}

/**
 * AS-7: a placement internship with its employer, post, period and three-party agreement; hubei-shiyan's
 * conditions (2/3 of the plan, applied 15 days ahead, at most a school year off campus).
 */
export const placeInternship = command<PlacementInput, InternshipRow>({
  name: 'PLACE_INTERNSHIP',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      studentId: uuid,
      employer: text('institution'),
      post: text('institution'),
      startsOn: day('effectiveDate'),
      endsOn: day('effectiveDate'),
      agreementRef: text('reference'),
      appliedOn: day('pastDate'),
    }),
    'input',
  ),
  async run(uow, input) {
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    await requireStanding(uow, place.studentId, 'INTERNSHIP');
    const problems = placementProblems(
      {
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        appliedOn: input.appliedOn ?? null,
        planCompletedPercent: input.planCompletedPercent ?? null,
        otherPlacementMonths: await otherPlacementMonths(uow.manager, place.studentId),
      },
      uow.profile,
    );
    if (input.planCompletedPercent != null && !(input.planCompletedPercent >= 0 && input.planCompletedPercent <= 100)) {
      problems.unshift({
        rule: 'AS-7',
        message: { zh: '完成比例应在 0 至 100 之间', en: 'The share completed lies between 0 and 100' },
        field: 'input.planCompletedPercent',
        input: true,
      });
    }
    if (problems.length > 0) throw refusal(problems);
    const row = await selectOne<{ id: string }>(
      uow.manager,
      `INSERT INTO internship (student_id, school_id, region_code, employer, post, starts_on, ends_on, agreement_ref,
         applied_on, plan_completed_percent, state, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PLACED', $11, $12) RETURNING id`,
      [
        place.studentId,
        place.schoolId,
        place.regionCode,
        input.employer,
        input.post,
        input.startsOn,
        input.endsOn,
        input.agreementRef,
        input.appliedOn ?? null,
        input.planCompletedPercent ?? null,
        uow.actor.subject,
        uow.now(),
      ],
    );
    return (await internshipById(uow.manager, row!.id))!;
  },
  audit: (i) => ({ entity: 'internship', entityId: i.id, details: { studentId: i.studentId, employer: i.employer } }),
});

export interface InternshipAssessmentInput {
  id: string;
  passed: boolean;
  assessedOn: string;
  employerAssessmentRef: string;
  schoolAssessmentRef: string;
}

/**
 * AS-7: the employer's and the school's joint assessment (实习鉴定/考核), both references required; the
 * result is published: a failed internship bars the diploma (GR-1).
 */
export const assessInternship = command<InternshipAssessmentInput, InternshipRow>({
  name: 'ASSESS_INTERNSHIP',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      id: uuid,
      assessedOn: day('pastDate'),
      employerAssessmentRef: text('reference'),
      schoolAssessmentRef: text('reference'),
    }),
    'input',
  ),
  async run(uow, input) {
    const internship = await lockInternship(uow.manager, input.id);
    uow.requireScope(internship);
    await requireStanding(uow, internship.studentId, 'INTERNSHIP');
    const problems = assessmentProblems(internship, input.assessedOn);
    if (problems.length > 0) throw refusal(problems);
    await uow.manager.query(
      `UPDATE internship SET state = $2, assessed_on = $3, employer_assessment_ref = $4, school_assessment_ref = $5
        WHERE id = $1`,
      [
        internship.id,
        input.passed ? 'PASSED' : 'FAILED',
        input.assessedOn,
        input.employerAssessmentRef,
        input.schoolAssessmentRef,
      ],
    );
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.internship.assessed.v1', internship.studentId, {
        internshipId: internship.id,
        studentId: internship.studentId,
        schoolId: internship.schoolId,
        passed: input.passed,
        assessedOn: input.assessedOn,
        assessedAt: uow.now().toISOString(),
      }),
    });
    return (await internshipById(uow.manager, internship.id))!;
  },
  audit: (i) => ({ entity: 'internship', entityId: i.id, details: { studentId: i.studentId, state: i.state } }),
});

export interface GraduationInputInput {
  studentId: string;
  kind: GraduationInputKind;
  passed: boolean;
  score?: number | null;
  heldOn: string;
  ref: string;
}

/**
 * AS-17 (hubei-shiyan): the year-1 culture sample test or the school skills competition, recorded (or
 * corrected) as a graduation input and published for graduation (GR-1).
 */
export const recordGraduationInput = command<GraduationInputInput, GraduationInputInput & { score: number | null }>({
  name: 'RECORD_GRADUATION_INPUT',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ studentId: uuid, heldOn: day('pastDate'), ref: text('reference') }), 'input'),
  async run(uow, input) {
    const problems = graduationInputProblems(input.score ?? null, uow.profile);
    if (problems.length > 0) throw refusal(problems);
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    const now = uow.now();
    await uow.manager.query(
      `INSERT INTO graduation_input (student_id, kind, school_id, passed, score, held_on, ref, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (student_id, kind) DO UPDATE SET school_id = EXCLUDED.school_id, passed = EXCLUDED.passed,
         score = EXCLUDED.score, held_on = EXCLUDED.held_on, ref = EXCLUDED.ref, recorded_by = EXCLUDED.recorded_by,
         recorded_at = EXCLUDED.recorded_at`,
      [
        place.studentId,
        input.kind,
        place.schoolId,
        input.passed,
        input.score ?? null,
        input.heldOn,
        input.ref,
        uow.actor.subject,
        now,
      ],
    );
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.graduation-input.recorded.v1', place.studentId, {
        studentId: place.studentId,
        schoolId: place.schoolId,
        kind: input.kind,
        passed: input.passed,
        score: input.score ?? null,
        heldOn: input.heldOn,
        recordedAt: now.toISOString(),
      }),
    });
    return { ...input, score: input.score ?? null };
  },
  audit: (input) => ({
    entity: 'graduation_input',
    entityId: input.studentId,
    details: { kind: input.kind, passed: input.passed },
  }),
});
