import { conflict, notFound } from '@xueji/errors';
import { day, fields, inputProblem, limits, listOf, refusal, text, uuid, type RuleViolation } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import { checkMakeUpNumber, checkMakeUpWindow, checkPlanCredits } from '../domain/results';
import type { MakeUpPeriodInput, TeachingPlanInput } from '../generated/resolvers-types';
import { planById, schoolRegion, type PlanRow } from '../reads/plans';

/** Whole numbers and credits of a plan's input, each naming its field (`courses[2].credits`). */
function planProblems(input: TeachingPlanInput): RuleViolation[] {
  const found: RuleViolation[] = [];
  const bad = (field: string, zh: string, en: string) => found.push(inputProblem('AS-1', zh, en, field));
  if (!Number.isInteger(input.cohortYear) || input.cohortYear < 1990 || input.cohortYear > 2100)
    bad('input.cohortYear', '入学年份应在 1990–2100 之间', 'The cohort year lies between 1990 and 2100');
  if (input.requiredCredits != null && !(input.requiredCredits >= 0 && input.requiredCredits <= 999))
    bad('input.requiredCredits', '应修学分应在 0–999 之间', 'Required credits lie between 0 and 999');
  if (input.courses.length === 0) bad('input.courses', '教学计划至少有一门课程', 'A plan has at least one course');
  const codes = new Set<string>();
  input.courses.forEach((c, i) => {
    const at = `input.courses[${i}]`;
    if (codes.has(c.code)) bad(`${at}.code`, `课程代码 ${c.code} 重复`, `Course code ${c.code} is given twice`);
    codes.add(c.code);
    if (!Number.isInteger(c.studyYear) || c.studyYear < 1 || c.studyYear > 8)
      bad(`${at}.studyYear`, '学年应在 1–8 之间', 'The study year lies between 1 and 8');
    if (c.semester !== 1 && c.semester !== 2) bad(`${at}.semester`, '学期应为 1 或 2', 'The semester is 1 or 2');
    if (!(c.credits >= 0 && c.credits <= 99) || Math.round(c.credits * 10) !== c.credits * 10)
      bad(`${at}.credits`, '学分应在 0–99 之间，至多一位小数', 'Credits lie between 0 and 99, one decimal at most');
    if (!Number.isInteger(c.classHours) || c.classHours < 0 || c.classHours > 9999)
      bad(`${at}.classHours`, '学时应在 0–9999 之间', 'Class hours lie between 0 and 9999');
  });
  return found;
}

/** A teaching plan of the registrar's school for one major and cohort, with its courses (AS-1, AS-3). */
export const createTeachingPlan = command<TeachingPlanInput, PlanRow>({
  name: 'CREATE_TEACHING_PLAN',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      schoolId: uuid,
      majorCode: text('code'),
      name: text('courseName'),
      courses: listOf('planCourses', fields({ code: text('code'), name: text('courseName') })),
    }),
    'input',
  ),
  async run(uow, input) {
    const regionCode = await schoolRegion(uow.manager, input.schoolId);
    if (!regionCode) throw notFound({ zh: '未知的学校', en: 'Unknown school' });
    uow.requireScope({ schoolId: input.schoolId, regionCode });
    const breaches = [
      ...planProblems(input),
      ...checkMakeUpNumber(input.makeUpsPerCourse, uow.profile),
      ...checkPlanCredits(input.requiredCredits, uow.profile),
    ];
    if (breaches.length > 0)
      throw refusal(
        breaches.map((b) => (b.field && !b.field.startsWith('input.') ? { ...b, field: `input.${b.field}` } : b)),
      );
    const [inserted] = (await uow.manager.query(
      `INSERT INTO teaching_plan (school_id, region_code, major_code, cohort_year, name, required_credits,
                                  make_ups_per_course, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (school_id, major_code, cohort_year) DO NOTHING RETURNING id`,
      [
        input.schoolId,
        regionCode,
        input.majorCode,
        input.cohortYear,
        input.name,
        input.requiredCredits ?? null,
        input.makeUpsPerCourse,
        uow.now(),
      ],
    )) as { id: string }[];
    if (!inserted) {
      throw conflict({
        zh: `该校 ${input.majorCode} 专业 ${input.cohortYear} 级已有教学计划`,
        en: `The school already has a plan for ${input.majorCode}, cohort ${input.cohortYear}`,
      });
    }
    const c = input.courses;
    await uow.manager.query(
      `INSERT INTO course (plan_id, code, name, study_year, semester, credits, class_hours, assessment_type, requirement,
                           category, physical_education)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::numeric[], $7::int[], $8::text[],
                                $9::text[], $10::text[], $11::boolean[])`,
      [
        inserted.id,
        c.map((x) => x.code),
        c.map((x) => x.name),
        c.map((x) => x.studyYear),
        c.map((x) => x.semester),
        c.map((x) => x.credits),
        c.map((x) => x.classHours),
        c.map((x) => x.assessmentType),
        c.map((x) => x.requirement),
        c.map((x) => x.category),
        c.map((x) => x.physicalEducation),
      ],
    );
    return (await planById(uow.manager, inserted.id))!;
  },
  audit: (plan) => ({ entity: 'teaching_plan', entityId: plan.id }),
});

/**
 * AS-3, timing ("number and timing set by the school"): a make-up period of one semester's courses
 * of a plan, keyed by its first day; the same again changes nothing, a new last day corrects it. A
 * make-up of those courses is then recorded only with an exam date inside one of the semester's periods.
 */
export const setMakeUpPeriod = command<MakeUpPeriodInput, PlanRow>({
  name: 'SET_MAKE_UP_PERIOD',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ planId: uuid, startsOn: day('effectiveDate'), endsOn: day('effectiveDate') }), 'input'),
  async run(uow, input) {
    const plan = await planById(uow.manager, input.planId);
    if (!plan) throw notFound({ zh: '未知的教学计划', en: 'Unknown teaching plan' });
    uow.requireScope(plan);
    const found: RuleViolation[] = [];
    if (!Number.isInteger(input.studyYear) || input.studyYear < 1 || input.studyYear > 8)
      found.push(inputProblem('AS-3', '学年应在 1–8 之间', 'The study year lies between 1 and 8', 'input.studyYear'));
    if (input.semester !== 1 && input.semester !== 2)
      found.push(inputProblem('AS-3', '学期应为 1 或 2', 'The semester is 1 or 2', 'input.semester'));
    found.push(...checkMakeUpWindow(input, 'input.endsOn'));
    if (found.length > 0) throw refusal(found);
    await uow.manager.query(
      `INSERT INTO make_up_period (plan_id, study_year, semester, starts_on, ends_on, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (plan_id, study_year, semester, starts_on) DO UPDATE
          SET ends_on = EXCLUDED.ends_on, recorded_at = EXCLUDED.recorded_at
        WHERE make_up_period.ends_on <> EXCLUDED.ends_on`,
      [plan.id, input.studyYear, input.semester, input.startsOn, input.endsOn, uow.now()],
    );
    return plan;
  },
  audit: (plan, input) => ({
    entity: 'teaching_plan',
    entityId: plan.id,
    details: { studyYear: input.studyYear, semester: input.semester, startsOn: input.startsOn, endsOn: input.endsOn },
  }),
});
