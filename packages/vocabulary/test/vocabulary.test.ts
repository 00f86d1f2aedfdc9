/**
 * One vocabulary: every GraphQL enum of the subgraphs, and every enum of the event contracts and of
 * the policy schema, is a list of @xueji/vocabulary (same values, same order). The SQL CHECK
 * constraints are compared in vocabulary.int.test.ts, against freshly migrated databases.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { contracts } from '@xueji/events';
import { RuleParametersSchema } from '@xueji/policy';
import { Kind, parse } from 'graphql';
import * as vocabulary from '@xueji/vocabulary';
import {
  APPROVAL_STEPS,
  CANCELLATION_GROUNDS,
  CONDUCT_FORMS,
  CONDUCT_GRADES,
  CONDUCT_PERIODS,
  CORRECTABLE_FIELDS,
  EXTRA_ARCHIVE_SECTIONS,
  FRAUD_SIGNAL_KINDS,
  GRAPHQL_ENUMS,
  HOSPITAL_LEVELS,
  HOUSEHOLDS,
  IMPOSED_WITHDRAWAL_MODES,
  MAJOR_CHANGE_GROUNDS,
  OTHER_STATUS_KINDS,
  PAYMENT_SEASONS,
  PROGRAMMES,
  REGISTRATION_WINDOW_INTAKES,
  SCHOOL_STATUSES,
  SEXES,
  STATUS_CHANGED_EVENT_KINDS,
  STATUS_CODES,
  STUDENT_NUMBER_FORMATS,
  STUDY_FORMS,
  SUSPENSION_GROUNDS,
  SUSPENSION_PERIOD_UNITS,
  TRANSFER_GROUNDS,
  TRANSFER_TIMINGS,
  VOCATIONAL_CERTIFICATE_KINDS,
  WITHDRAWAL_GROUNDS,
} from '@xueji/vocabulary';

/**
 * GraphQL enums that are purely API (no domain list behind them), each with the reason. Every other
 * enum of a schema must be in GRAPHQL_ENUMS.
 */
const API_ONLY_ENUMS: Record<string, string> = {};

const servicesDir = join(__dirname, '..', '..', '..', 'services');
const schemas = readdirSync(servicesDir)
  .map((service) => ({ service, path: join(servicesDir, service, 'src', 'schema.graphql') }))
  .filter(({ path }) => existsSync(path));

/** Every enum a schema declares (or extends), with its values in order. */
function schemaEnums(sdl: string): { name: string; values: string[] }[] {
  const enums = new Map<string, string[]>();
  for (const def of parse(sdl).definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION && def.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    enums.set(def.name.value, [...(enums.get(def.name.value) ?? []), ...(def.values ?? []).map((v) => v.name.value)]);
  }
  return [...enums].map(([name, values]) => ({ name, values }));
}

/** What the walk below reads of a zod (v3) schema. */
interface ZodTypeAny {
  _def: unknown;
}

/** Every z.enum inside a zod schema, by its path (`a.b[]` for an array's elements). */
function zodEnums(schema: ZodTypeAny, path = ''): Map<string, readonly string[]> {
  const found = new Map<string, readonly string[]>();
  const walk = (s: ZodTypeAny, at: string): void => {
    const def = s._def as { typeName: string } & Record<string, unknown>;
    switch (def.typeName) {
      case 'ZodEnum':
        found.set(at, (s as unknown as { options: string[] }).options);
        return;
      case 'ZodObject':
        for (const [key, value] of Object.entries((s as unknown as { shape: Record<string, ZodTypeAny> }).shape)) {
          walk(value, at ? `${at}.${key}` : key);
        }
        return;
      case 'ZodArray':
        return walk(def.type as ZodTypeAny, `${at}[]`);
      case 'ZodOptional':
      case 'ZodNullable':
      case 'ZodDefault':
        return walk(def.innerType as ZodTypeAny, at);
      case 'ZodEffects':
        return walk(def.schema as ZodTypeAny, at);
      case 'ZodTuple':
        return (def.items as ZodTypeAny[]).forEach((item, i) => walk(item, `${at}[${i}]`));
      case 'ZodUnion':
        return (def.options as ZodTypeAny[]).forEach((option) => walk(option, at));
      case 'ZodRecord':
        return walk(def.valueType as ZodTypeAny, `${at}{}`);
      default:
        return;
    }
  };
  walk(schema, path);
  return found;
}

const without = (list: readonly string[], ...dropped: string[]) => list.filter((v) => !dropped.includes(v));

describe('one vocabulary', () => {
  it('declares each list without duplicates, and GRAPHQL_ENUMS maps only to its own lists', () => {
    const lists = (Object.values(vocabulary) as unknown[]).filter((v): v is readonly string[] => Array.isArray(v));
    for (const list of lists) expect(new Set(list).size).toBe(list.length);
    for (const list of Object.values(GRAPHQL_ENUMS)) expect(lists).toContain(list);
  });

  describe('GraphQL enums', () => {
    it('finds the schemas', () => {
      expect(schemas.map((s) => s.service)).toEqual(expect.arrayContaining(['enrolment', 'status-change', 'subsidy']));
    });

    it.each(schemas)('$service: every enum is a vocabulary list (same values, same order)', ({ path }) => {
      for (const { name, values } of schemaEnums(readFileSync(path, 'utf8'))) {
        if (name in API_ONLY_ENUMS) continue;
        expect({ name, known: name in GRAPHQL_ENUMS }).toEqual({ name, known: true });
        expect({ name, values }).toEqual({ name, values: [...GRAPHQL_ENUMS[name]!] });
      }
    });

    it('every list of GRAPHQL_ENUMS is a schema enum somewhere', () => {
      const declared = new Set(
        schemas.flatMap(({ path }) => schemaEnums(readFileSync(path, 'utf8')).map((e) => e.name)),
      );
      expect(Object.keys(GRAPHQL_ENUMS).filter((name) => !declared.has(name))).toEqual([]);
    });
  });

  it('the event contracts: every enum is a vocabulary list', () => {
    const expected: Record<string, readonly string[]> = {
      'xueji.enrolment.school.registered.v1 status': SCHOOL_STATUSES,
      'xueji.enrolment.student.registered.v1 sex': SEXES,
      'xueji.assessment.certificate.recorded.v1 kind': VOCATIONAL_CERTIFICATE_KINDS,
      'xueji.enrolment.registration.approved.v1 studyForm': STUDY_FORMS,
      'xueji.enrolment.registration.approved.v1 programme': PROGRAMMES,
      'xueji.enrolment.registration.approved.v1 household': HOUSEHOLDS,
      'xueji.status-change.status.changed.v1 kind': STATUS_CHANGED_EVENT_KINDS,
      'xueji.status-change.status.changed.v1 previousStatus': STATUS_CODES,
      'xueji.status-change.status.changed.v1 newStatus': STATUS_CODES,
      'xueji.status-change.partner.status-changed.v1 previousStatus': STATUS_CODES,
      'xueji.status-change.partner.status-changed.v1 newStatus': STATUS_CODES,
      'xueji.subsidy.fraud-signal.raised.v1 kind': FRAUD_SIGNAL_KINDS,
      'xueji.status-change.personal-data.corrected.v1 corrections[].field': CORRECTABLE_FIELDS,
      'xueji.status-change.personal-data.correction-approved.v1 corrections[].field': CORRECTABLE_FIELDS,
      'xueji.enrolment.personal-data.corrected.v1 corrections[].field': CORRECTABLE_FIELDS,
      // assessment (part B)
      'xueji.assessment.sanction.decided.v1 kind': vocabulary.SANCTION_KINDS,
      'xueji.assessment.sanction.revoked.v1 kind': vocabulary.SANCTION_KINDS,
      'xueji.assessment.sanction.annulled.v1 kind': vocabulary.SANCTION_KINDS,
      'xueji.assessment.expulsion.effective.v1 authorityStep': vocabulary.EXPULSION_AUTHORITY_STEPS,
      'xueji.assessment.appeal.decided.v1 stage': vocabulary.APPEAL_STAGES,
      'xueji.assessment.appeal.decided.v1 outcome': vocabulary.APPEAL_OUTCOMES,
      'xueji.assessment.appeal.decided.v1 previousKind': vocabulary.SANCTION_KINDS,
      'xueji.assessment.appeal.decided.v1 newKind': vocabulary.SANCTION_KINDS,
      'xueji.assessment.graduation-input.recorded.v1 kind': vocabulary.GRADUATION_INPUT_KINDS,
      'xueji.assessment.conduct.recorded.v1 period': CONDUCT_PERIODS,
      'xueji.assessment.conduct.recorded.v1 grade': CONDUCT_GRADES,
      // graduation
      'xueji.graduation.diploma.issued.v1 programme': PROGRAMMES,
      'xueji.graduation.diploma.issued.v1 studyForm': STUDY_FORMS,
    };
    const found: Record<string, readonly string[]> = {};
    for (const [type, contract] of Object.entries(contracts)) {
      for (const [path, options] of zodEnums(contract.schema)) found[`${type} ${path}`] = options;
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v]])));
    expect(contracts['xueji.enrolment.registration.approved.v1'].schema.shape.studyForm.options).toEqual(STUDY_FORMS);
  });

  it('the policy schema: every enum is a vocabulary list (or a named part of one)', () => {
    const expected: Record<string, readonly string[]> = {
      'ENR-4.windows[].intake': REGISTRATION_WINDOW_INTAKES,
      'ENR-7.excludedStatusKinds[]': OTHER_STATUS_KINDS,
      'ENR-11.format': STUDENT_NUMBER_FORMATS,
      'ENR-12.studyForms[]': STUDY_FORMS,
      'ENR-18.extraSections[]': EXTRA_ARCHIVE_SECTIONS,
      'SC-2.grounds[]': TRANSFER_GROUNDS,
      'SC-3.sameProvince[]': APPROVAL_STEPS,
      'SC-3.acrossProvinces[]': APPROVAL_STEPS,
      'SC-5.timing': TRANSFER_TIMINGS,
      // A regular programme is never barred from transferring.
      'SC-7.programmes[]': without(PROGRAMMES, 'REGULAR'),
      'SC-8.grounds[]': MAJOR_CHANGE_GROUNDS,
      'SC-8.certificateHospital': HOSPITAL_LEVELS,
      'SC-12.grounds[]': SUSPENSION_GROUNDS,
      'SC-12.certificateHospital': HOSPITAL_LEVELS,
      'SC-13.periodUnit': SUSPENSION_PERIOD_UNITS,
      'SC-15.certificateHospital': HOSPITAL_LEVELS,
      'SC-17.mode': IMPOSED_WITHDRAWAL_MODES,
      'SC-17.imposedGrounds[]': WITHDRAWAL_GROUNDS,
      'SC-19.grounds[]': CANCELLATION_GROUNDS,
      'SC-21.fields[]': CORRECTABLE_FIELDS,
      'SB-6.grant.paymentPeriods[]': PAYMENT_SEASONS,
      'SB-6.grant.studyForms[]': STUDY_FORMS,
      // A plain urban household is never a grant category.
      'SB-6.grant.householdCategories[]': without(HOUSEHOLDS, 'URBAN'),
      'SB-6.waiver.studyForms[]': STUDY_FORMS,
      // assessment (part B)
      'AS-10.kinds[]': vocabulary.SANCTION_KINDS,
      'AS-11.decidingBody': vocabulary.DECIDING_BODIES,
      'AS-11.authorityStep': vocabulary.EXPULSION_AUTHORITY_STEPS,
      'AS-13.decidingBody': vocabulary.DECIDING_BODIES,
      'AS-9.levels[]': vocabulary.REWARD_LEVELS,
      'AS-2.form': CONDUCT_FORMS,
      'AS-6.certificateHospital': HOSPITAL_LEVELS,
      // graduation
      'GR-1.conditions[]': vocabulary.GRADUATION_CONDITIONS,
      'GR-3.verificationWindows[].season': vocabulary.GRADUATION_SEASONS,
      'GR-4.format': vocabulary.DIPLOMA_NUMBER_FORMATS,
      'GR-8.issuer': vocabulary.CREDENTIAL_CERTIFICATE_ISSUERS,
      'GR-8.requiredProofs[]': vocabulary.LOSS_PROOFS,
    };
    const found = Object.fromEntries(zodEnums(RuleParametersSchema));
    expect(found).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v]])));
  });
});
