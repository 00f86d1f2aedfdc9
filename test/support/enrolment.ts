import type { RunningService } from '@xueji/service-kit';
import { readIdNumber } from '../../services/enrolment/src/domain/id-number';
import { demoStudent } from '../../services/enrolment/src/seed/demo';
import { loadCatalogue, upsertSchool } from '../../services/enrolment/src/seed/load';
import type { DemoSchool } from '../../services/enrolment/src/seed/province';

/** The day the test stacks run on: autumn 2026 intake, inside every profile's autumn window. */
export const TEST_TODAY = '2026-09-15';

export function school(code: string, regionCode: string, overrides: Partial<DemoSchool> = {}): DemoSchool {
  return {
    code,
    name: `${code} 职业学校`,
    regionCode,
    authorityTier: 'COUNTY',
    countySchoolCode: code.slice(-2).replace(/\D/g, '1').padStart(2, '0'),
    approvedMajorCodes: ['710201', '730301'],
    teachingPoints: [],
    nationalKey: false,
    ...overrides,
  };
}

/** Insert the catalogue and schools into enrolment's database; returns the schools' ids in order. */
export async function seedSchools(enrolment: RunningService, schools: DemoSchool[]): Promise<string[]> {
  return enrolment.dataSource.transaction(async (manager) => {
    await loadCatalogue(manager);
    const ids: string[] = [];
    for (const s of schools) ids.push(await upsertSchool(manager, enrolment.topics, s));
    return ids;
  });
}

/** A valid registration of the n-th test student of a region: ID number, birth date and sex agree. */
export function registration(schoolId: string, regionCode: string, n: number, overrides: Record<string, unknown> = {}) {
  const { name, idNumber } = demoStudent(regionCode, n);
  const card = readIdNumber(idNumber, new Date().toISOString().slice(0, 10));
  if (!card.ok) throw new Error(`bad generated ID number ${idNumber}`);
  return {
    schoolId,
    name,
    sex: card.facts.sex,
    birthDate: card.facts.birthDate,
    idNumber,
    entryDate: '2026-09-01',
    intake: 'AUTUMN',
    majorCode: '710201',
    className: '2026级计算机1班',
    expectedYears: 3,
    household: 'RURAL',
    ...overrides,
  };
}

export const SUBMIT = /* GraphQL */ `
  mutation Submit($input: RegistrationInput!) {
    submitRegistration(input: $input) {
      id
      name
      registrationStatus
      studentNumber
      idNumber
      school {
        id
      }
    }
  }
`;

export const APPROVE = /* GraphQL */ `
  mutation Approve($ids: [ID!]!) {
    approveRegistrations(ids: $ids) {
      decided {
        id
        registrationStatus
        studentNumber
        isFormal
      }
      refused {
        studentId
        breaches {
          rule
          field
          messageZh
          messageEn
        }
      }
    }
  }
`;
