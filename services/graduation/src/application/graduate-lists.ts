/**
 * GR-3, GR-4: the school submits its graduate list for a batch; the competent authority reviews it with
 * the verification sheet (验印单) and approves it — the diplomas are numbered and issued — or rejects it.
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { badUserInput, conflict, notFound, policyViolation } from '@xueji/errors';
import {
  chinaDay,
  day,
  fields,
  limits,
  listOf,
  refusal,
  text,
  uuid,
  violation,
  type RuleViolation,
} from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import { auditGraduation, batchMessage, checkVerificationWindow, parseBatch } from '../domain';
import { loadFacts, type StudentFacts } from '../reads/facts';
import { graduateListById, type GraduateListRow } from '../reads/lists';
import { issueCertificates, schoolById } from './issue';

export interface GraduateListInput {
  schoolId: string;
  term: string;
  studentIds: string[];
}

const batch = { check: (value: string) => (parseBatch(value) ? null : batchMessage) };

/** GR-1 / GR-2: the students not audited GRADUATE today, each condition they lack as a breach naming them. */
function notGraduating(uow: UnitOfWork, students: StudentFacts[]): RuleViolation[] {
  return students.flatMap((s) => {
    const audit = auditGraduation(s.facts, uow.profile, uow.today());
    if (audit.outcome === 'GRADUATE') return [];
    return audit.conditions
      .filter((c) => !c.met)
      .map((c) =>
        violation(
          c.rule,
          `${s.student.name}（${s.student.studentId}）：${c.message.zh}`,
          `${s.student.name} (${s.student.studentId}): ${c.message.en}`,
          'studentIds',
        ),
      );
  });
}

/** GR-4: one student, one diploma per programme. */
function alreadyGraduated(students: StudentFacts[]): RuleViolation[] {
  return students
    .filter((s) => s.certificates.some((c) => c.kind === 'DIPLOMA' && c.programme === s.student.programme))
    .map((s) =>
      violation(
        'GR-4',
        `${s.student.name} 已持有该专业的毕业证书`,
        `${s.student.name} already holds a diploma of this programme`,
        'studentIds',
      ),
    );
}

export const submitGraduateList = command<GraduateListInput, GraduateListRow>({
  name: 'SUBMIT_GRADUATE_LIST',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({ schoolId: uuid, term: { check: batch.check }, studentIds: listOf('studentIds', uuid) }),
    'input',
  ),
  async run(uow, input) {
    const school = await schoolById(uow, input.schoolId, true);
    uow.requireScope({ schoolId: school.schoolId, regionCode: school.regionCode });
    const ids = [...new Set(input.studentIds)];
    if (ids.length === 0)
      throw badUserInput({ zh: '名册中没有学生', en: 'The list names no student' }, { field: 'input.studentIds' });
    const window = checkVerificationWindow(uow.profile, parseBatch(input.term)!, uow.today(), true);
    if (window.length > 0) throw refusal(window);
    const facts = await loadFacts(uow.manager, ids);
    const unknown = ids.filter((id) => facts.get(id)?.student.schoolId !== school.schoolId);
    if (unknown.length > 0)
      throw notFound({ zh: '名册中有本校以外或未知的学生', en: 'The list names students unknown at this school' });
    const students = ids.map((id) => facts.get(id)!);
    const onOpenList = await selectRows<{ studentId: string }>(
      uow.manager,
      `SELECT e.student_id AS "studentId" FROM graduate_list_entry e JOIN graduate_list l ON l.id = e.list_id
        WHERE l.state = 'SUBMITTED' AND e.student_id = ANY($1::uuid[])`,
      [ids],
    );
    if (onOpenList.length > 0)
      throw conflict(
        { zh: '有学生已在待审核的毕业生名册上', en: 'Some students are already on a list awaiting review' },
        { studentIds: onOpenList.map((r) => r.studentId) },
      );
    const breaches = [...alreadyGraduated(students), ...notGraduating(uow, students)];
    if (breaches.length > 0) throw refusal(breaches);
    const id = randomUUID();
    await uow.manager.query(
      `INSERT INTO graduate_list (id, school_id, term, state, submitted_at, submitted_by) VALUES ($1, $2, $3, 'SUBMITTED', $4, $5)`,
      [id, school.schoolId, input.term, uow.now(), uow.actor.subject],
    );
    for (const s of students) {
      const audit = auditGraduation(s.facts, uow.profile, uow.today());
      await uow.manager.query(`INSERT INTO graduate_list_entry (list_id, student_id, audit) VALUES ($1, $2, $3)`, [
        id,
        s.student.studentId,
        JSON.stringify(audit),
      ]);
      await uow.manager.query(
        `INSERT INTO graduation_case (student_id, stage) VALUES ($1, 'AUDIT_PASSED')
         ON CONFLICT (student_id) DO UPDATE SET stage = 'AUDIT_PASSED'
          WHERE graduation_case.stage NOT IN ('DIPLOMA_ISSUED', 'COMPLETION_CERTIFICATE_ISSUED')`,
        [s.student.studentId],
      );
    }
    return (await graduateListById(uow.manager, id))!;
  },
  audit: (list, input) => ({
    entity: 'graduate_list',
    entityId: list.id,
    details: { term: input.term, students: input.studentIds.length },
  }),
});

/** The list, which the caller's region must review (ADM-1: the school's competent authority). */
async function listToDecide(uow: UnitOfWork, id: string): Promise<GraduateListRow> {
  const list = await graduateListById(uow.manager, id, true);
  if (!list) throw notFound({ zh: '没有该毕业生名册', en: 'No such graduate list' });
  uow.requireScope({ schoolId: list.schoolId, regionCode: list.authorityRegionCode });
  if (list.state !== 'SUBMITTED')
    throw conflict({
      zh: `名册已${list.state === 'REJECTED' ? '退回' : '通过'}`,
      en: `The list is already ${list.state}`,
    });
  return list;
}

export const approveGraduateList = command<{ id: string; verificationSheetRef: string }, GraduateListRow>({
  name: 'APPROVE_GRADUATE_LIST',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: text('recordId'), verificationSheetRef: text('reference') })),
  async run(uow, input) {
    if (input.verificationSheetRef.trim() === '')
      throw badUserInput(
        { zh: '需要验印单', en: 'The verification sheet is required' },
        { field: 'verificationSheetRef' },
      );
    const list = await listToDecide(uow, input.id);
    const window = checkVerificationWindow(uow.profile, parseBatch(list.term)!, uow.today(), false);
    if (window.length > 0) throw refusal(window);
    const entries = await selectRows<{ studentId: string }>(
      uow.manager,
      `SELECT student_id AS "studentId" FROM graduate_list_entry WHERE list_id = $1 ORDER BY student_id`,
      [list.id],
    );
    const facts = await loadFacts(
      uow.manager,
      entries.map((e) => e.studentId),
    );
    const students = entries.map((e) => facts.get(e.studentId)!);
    // The audit again, today: a status or result may have changed since the school submitted the list.
    const breaches = [...alreadyGraduated(students), ...notGraduating(uow, students)];
    if (breaches.length > 0) throw refusal(breaches);
    const school = await schoolById(uow, list.schoolId);
    await issueCertificates(
      uow,
      school,
      students.map((student) => ({ student, kind: 'DIPLOMA' as const, listId: list.id, replaces: null })),
    );
    await uow.manager.query(
      `UPDATE graduate_list SET state = 'APPROVED', decided_at = $2, decided_by = $3, verification_sheet_ref = $4 WHERE id = $1`,
      [list.id, uow.now(), uow.actor.subject, input.verificationSheetRef],
    );
    return (await graduateListById(uow.manager, list.id))!;
  },
  audit: (list, input) => ({
    entity: 'graduate_list',
    entityId: list.id,
    reason: input.verificationSheetRef,
  }),
});

export const rejectGraduateList = command<{ id: string; reason: string }, GraduateListRow>({
  name: 'REJECT_GRADUATE_LIST',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: text('recordId'), reason: text('reason') })),
  async run(uow, input) {
    if (input.reason.trim() === '')
      throw badUserInput({ zh: '需要说明退回理由', en: 'A reason is required' }, { field: 'reason' });
    const list = await listToDecide(uow, input.id);
    await uow.manager.query(
      `UPDATE graduate_list SET state = 'REJECTED', decided_at = $2, decided_by = $3, reason = $4 WHERE id = $1`,
      [list.id, uow.now(), uow.actor.subject, input.reason],
    );
    return (await graduateListById(uow.manager, list.id))!;
  },
  audit: (list, input) => ({ entity: 'graduate_list', entityId: list.id, reason: input.reason }),
});

/**
 * GR-3: after approval the diplomas are printed with their numbers; the authority stamps them (验印) and
 * records it here, on or after the day it approved the list. The list becomes VERIFIED.
 */
export const recordDiplomaVerification = command<{ listId: string; verifiedOn?: string | null }, GraduateListRow>({
  name: 'RECORD_DIPLOMA_VERIFICATION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ listId: text('recordId'), verifiedOn: day('pastDate') })),
  async run(uow, input) {
    const list = await graduateListById(uow.manager, input.listId, true);
    if (!list) throw notFound({ zh: '没有该毕业生名册', en: 'No such graduate list' });
    uow.requireScope({ schoolId: list.schoolId, regionCode: list.authorityRegionCode });
    if (list.state !== 'APPROVED')
      throw policyViolation(
        'GR-3',
        list.state === 'VERIFIED'
          ? { zh: '该名册的毕业证书已验印', en: 'The diplomas of this list are already verified' }
          : {
              zh: '名册审核通过、毕业证书编号后方可验印',
              en: 'Diplomas are verified only after the list is approved and they are numbered',
            },
        { state: list.state },
      );
    const verifiedOn = input.verifiedOn ?? uow.today();
    const approvedOn = chinaDay(list.decidedAt!);
    if (verifiedOn < approvedOn)
      throw badUserInput(
        {
          zh: `验印日期不得早于审核通过之日 ${approvedOn}`,
          en: `The stamp cannot precede the approval on ${approvedOn}`,
        },
        { field: 'verifiedOn' },
      );
    await uow.manager.query(
      `UPDATE graduate_list SET state = 'VERIFIED', verified_on = $2, verified_at = $3, verified_by = $4 WHERE id = $1`,
      [list.id, verifiedOn, uow.now(), uow.actor.subject],
    );
    return (await graduateListById(uow.manager, list.id))!;
  },
  audit: (list) => ({ entity: 'graduate_list', entityId: list.id, details: { verifiedOn: list.verifiedOn } }),
});
