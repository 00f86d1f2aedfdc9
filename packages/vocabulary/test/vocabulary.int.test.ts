/**
 * One vocabulary, in the databases: every CHECK constraint that closes a column to a list of values
 * (`col IN (...)`, which PostgreSQL keeps as `col = ANY (ARRAY[...])`, or `col = '...'` for one
 * value) equals the vocabulary list named for that column here, in each service's freshly migrated
 * database (the kit's outbox, inbox and audit tables included).
 */
import { createDataSource, openDataSource } from '@xueji/db';
import { serviceMigrations, type ServiceDefinition } from '@xueji/service-kit';
import { createTestDatabase, dropTestDatabase } from '@xueji/testkit';
import * as vocabulary from '@xueji/vocabulary';
import {
  ASSESSMENT_TYPES,
  AUTHORITY_TIERS,
  CONDUCT_GRADES,
  CONDUCT_PERIODS,
  COURSE_CATEGORIES,
  COURSE_REQUIREMENTS,
  CREDIT_RECOGNITION_KINDS,
  EXAM_IRREGULARITIES,
  RESULT_ATTEMPTS,
  RESULT_GRADES,
  ENTITLEMENT_KINDS,
  ENTITLEMENT_STATES,
  ENTRY_LEVELS,
  FRAUD_SIGNAL_KINDS,
  FRAUD_SIGNAL_STATES,
  HOUSEHOLDS,
  INTAKES,
  ORIGINS,
  OTHER_STATUS_KINDS,
  PROGRAMMES,
  REGISTRATION_STATUSES,
  REQUEST_STATES,
  SCHOOL_STATUSES,
  SEXES,
  STUDY_FORMS,
} from '@xueji/vocabulary';
import { assessment } from '../../../services/assessment/src/service';
import { enrolment } from '../../../services/enrolment/src/service';
import { graduation } from '../../../services/graduation/src/service';
import { partners } from '../../../services/partners/src/service';
import { statusChange } from '../../../services/status-change/src/service';
import { subsidy } from '../../../services/subsidy/src/service';

/** Which vocabulary list each closed column follows, by `table.column`. */
const COLUMNS: Record<string, readonly string[]> = {
  // enrolment
  'school.authority_tier': AUTHORITY_TIERS,
  'school.status': SCHOOL_STATUSES,
  'student.sex': SEXES,
  'student.origin': ORIGINS,
  'student.household': HOUSEHOLDS,
  'student.intake': INTAKES,
  'student.entry_level': ENTRY_LEVELS,
  'student.study_form': STUDY_FORMS,
  'student.programme': PROGRAMMES,
  'student.registration_status': REGISTRATION_STATUSES,
  'other_status_record.kind': OTHER_STATUS_KINDS,
  // status-change
  'change_request.state': REQUEST_STATES,
  // assessment (part A)
  'study_record.study_form': STUDY_FORMS,
  'study_record.status': vocabulary.STATUS_CODES,
  'course.assessment_type': ASSESSMENT_TYPES,
  'course.requirement': COURSE_REQUIREMENTS,
  'course.category': COURSE_CATEGORIES,
  'course_result.attempt': RESULT_ATTEMPTS,
  'course_result.grade': RESULT_GRADES,
  'course_result.irregularity': EXAM_IRREGULARITIES,
  'conduct_evaluation.period': CONDUCT_PERIODS,
  'conduct_evaluation.grade': CONDUCT_GRADES,
  'credit_conversion.kind': CREDIT_RECOGNITION_KINDS,
  'credit_recognition.kind': CREDIT_RECOGNITION_KINDS,
  // subsidy
  'entitlement.kind': ENTITLEMENT_KINDS,
  'entitlement.state': ENTITLEMENT_STATES,
  'fraud_signal.kind': FRAUD_SIGNAL_KINDS,
  'fraud_signal.state': FRAUD_SIGNAL_STATES,
  // assessment (part B)
  'sanction.kind': vocabulary.SANCTION_KINDS,
  'sanction.state': vocabulary.SANCTION_STATES,
  'sanction.deciding_body': vocabulary.DECIDING_BODIES,
  'sanction.authority_step': vocabulary.EXPULSION_AUTHORITY_STEPS,
  'appeal.stage': vocabulary.APPEAL_STAGES,
  'appeal.state': vocabulary.APPEAL_STATES,
  'appeal.outcome': vocabulary.APPEAL_OUTCOMES,
  'appeal.new_kind': vocabulary.SANCTION_KINDS,
  'reward.level': vocabulary.REWARD_LEVELS,
  'reward.scope': vocabulary.REWARD_SCOPES,
  'reward.form': vocabulary.REWARD_FORMS,
  'internship.state': vocabulary.INTERNSHIP_STATES,
  'graduation_input.kind': vocabulary.GRADUATION_INPUT_KINDS,
  // graduation
  'graduation_student.study_form': STUDY_FORMS,
  'graduation_student.programme': PROGRAMMES,
  'graduation_student.status': vocabulary.STATUS_CODES,
  'graduation_conduct.period': CONDUCT_PERIODS,
  'graduation_conduct.grade': CONDUCT_GRADES,
  'graduation_extra_input.kind': vocabulary.GRADUATION_INPUT_KINDS,
  'graduation_sanction.kind': vocabulary.SANCTION_KINDS,
  'graduation_approved_record.kind': vocabulary.APPROVED_RECORD_KINDS,
  'held_certificate.kind': vocabulary.VOCATIONAL_CERTIFICATE_KINDS,
  'held_certificate.source': vocabulary.HELD_CERTIFICATE_SOURCES,
  'graduation_student.sex': SEXES,
  'graduate_list.state': vocabulary.GRADUATE_LIST_STATES,
  'certificate.kind': vocabulary.CERTIFICATE_KINDS,
  'certificate.state': vocabulary.CERTIFICATE_STATES,
  'certificate.programme': PROGRAMMES,
  'certificate.study_form': STUDY_FORMS,
  'certificate.holder_sex': vocabulary.SEXES,
  'verification_correction.state': vocabulary.VERIFICATION_CORRECTION_STATES,
  'verification_correction.sex': vocabulary.SEXES,
  'verification_correction.study_form': STUDY_FORMS,
  // partners
  'partner.state': vocabulary.PARTNER_STATES,
  'partner_delivery.state': vocabulary.PARTNER_DELIVERY_STATES,
};

/**
 * Closed columns of the plumbing, not of the domain, each with its values and the reason it is no
 * vocabulary list.
 */
const PLUMBING: Record<string, { values: readonly string[]; reason: string }> = {
  'inbox_message.outcome': {
    values: ['APPLIED', 'DEAD_LETTERED', 'DISCARDED'],
    reason: 'what the inbox did with a message (packages/inbox), the same in every service',
  },
};

/** Each list a table column is closed to, read back from pg_constraint. */
async function closedColumns(url: string): Promise<{ column: string; values: string[]; definition: string }[]> {
  const dataSource = createDataSource({ url, entities: [], migrations: [] });
  await dataSource.initialize();
  try {
    const rows = (await dataSource.query(
      `SELECT c.conrelid::regclass::text AS "table", a.attname AS "column", pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace
        ORDER BY 1, 2`,
    )) as { table: string; column: string; definition: string }[];
    const closed: { column: string; values: string[]; definition: string }[] = [];
    for (const { table, column, definition } of rows) {
      const list = definition.match(/^CHECK \(\(\(?(\w+)\)? = ANY \(+ARRAY\[(.*)\]\)+$/);
      const one = definition.match(/^CHECK \(\((\w+) = ('(?:[^']|'')*'::text)\)\)$/);
      const match = list ?? one;
      if (!match) continue; // not a closed list: a pattern, a range, …
      expect(match[1]).toBe(column);
      const values = [...match[2]!.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replace(/''/g, "'"));
      closed.push({ column: `${table}.${column}`, values, definition });
    }
    return closed;
  } finally {
    await dataSource.destroy();
  }
}

const services: ServiceDefinition[] = [enrolment, statusChange, assessment, graduation, subsidy, partners];

describe('one vocabulary: the CHECK constraints of every service’s database', () => {
  const seen = new Set<string>();

  it.each(services.map((s) => [s.name, s] as const))('%s', async (name, definition) => {
    const url = await createTestDatabase(`vocabulary_${name}`);
    try {
      const dataSource = createDataSource({
        url,
        entities: [],
        migrations: serviceMigrations(definition),
      });
      await openDataSource(dataSource);
      await dataSource.destroy();

      const closed = await closedColumns(url);
      for (const { column } of closed) seen.add(column);
      const listOf = (column: string) => PLUMBING[column]?.values ?? COLUMNS[column];
      // A closed column must be named in COLUMNS (or PLUMBING), and follow its list, in order.
      expect(closed.filter((c) => !listOf(c.column)).map((c) => `${c.column}: ${c.definition}`)).toEqual([]);
      expect(Object.fromEntries(closed.map((c) => [c.column, c.values]))).toEqual(
        Object.fromEntries(closed.map((c) => [c.column, [...(listOf(c.column) ?? [])]])),
      );
    } finally {
      await dropTestDatabase(url);
    }
  });

  it('every column named here is closed by a CHECK (a stale entry is a mistake too)', () => {
    const named = [...Object.keys(COLUMNS), ...Object.keys(PLUMBING)];
    expect(named.filter((column) => !seen.has(column))).toEqual([]);
  });
});
