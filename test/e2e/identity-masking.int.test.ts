import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '@xueji/config';
import { createEvent } from '@xueji/events';
import { readSheet } from '@xueji/spreadsheet';
import { approvedRegistration, deliverEvents, graphql, tokenFor, waitFor } from '@xueji/testkit';
import { Kind, parse, type FieldDefinitionNode, type TypeNode } from 'graphql';
import { demoStudent } from '../../services/enrolment/src/seed/demo';
import { school, seedSchools, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { formalStudent } from '../support/students';

jest.setTimeout(180_000);

/**
 * ADM-5 with ENR-6 / ENR-11: under `national` and `jilin` a student number is `G` + the ID-card
 * number, so every output field that can carry either is listed here, with why; the schema walk
 * below fails when a field named like one (`*Number`, `*idNumber*`) appears that is not listed.
 */
const IDENTITY_FIELDS: Record<string, string> = {
  'enrolment Student.idNumber': 'the ID-card number itself',
  'enrolment Student.studentNumber': 'ENR-11 ID_DERIVED: G + the ID number',
  'subsidy EligibilityRosterEntry.studentNumber': 'the student number as subsidy heard it',
  'subsidy EligibilityRoster.nextCursor': 'a keyset cursor in student-number order',
  'subsidy FraudSignal.messageZh': 'ENR-7 double status names the other record’s student number',
  'subsidy FraudSignal.messageEn': 'ENR-7 double status names the other record’s student number',
  'subsidy EvidenceFact.value': 'studentNumber / otherStudentNumber evidence',
  'subsidy FraudSignal.reviewReason': 'free text a reviewer (who may read ID numbers) writes',
  'subsidy SubsidyFile.contentBase64': 'the roster .xlsx has a student-number column',
  'status-change ChangeRequest.details': 'an SC-21 correction names old and new ID numbers',
  'status-change ChangeRequest.reason': 'free text',
  'status-change ApprovalRecord.comment': 'free text',
  'graduation ClassAuditRow.studentNumber': 'the student number as graduation heard it (maskIdentity)',
  'graduation IssuedCertificate.studentNumber': 'the student number as graduation heard it (maskIdentity)',
  'graduation GraduationFile.contentBase64':
    'the class audit, graduate list and certificates .xlsx have a student-number column (maskIdentity)',
};

/** Named like an identity field, but never one: with why. */
const NOT_IDENTITY: Record<string, string> = {
  'graduation GraduationRecord.diplomaNumber': 'graduation’s own diploma series, not derived from the ID number',
  'graduation Certificate.number': 'GR-4: graduation’s own certificate series (year, school or region, sequence)',
  'graduation CertificateCheck.number': 'GR-10: the same certificate number, as the public lookup shows it',
  'graduation IssuedCertificate.number': 'GR-4: the same certificate number, as the list of those issued shows it',
  'graduation GraduateListEntry.diplomaNumber': 'GR-4: the diploma’s number in graduation’s own series',
  'graduation HeldCertificate.number': 'a vocational qualification or skill certificate’s number, issued by its body',
  'graduation CertificateHeld.number': 'GR-11: a certificate held, as the public lookup shows it (its body’s number)',
  'graduation CertificateCheck.replacedByNumber':
    'GR-8: the credential certificate’s number in graduation’s own series',
  'graduation CertificateCheck.replacesNumber': 'GR-8: the lost certificate’s number in graduation’s own series',
  'graduation VerificationDataCorrection.certificateNumber':
    'GR-12: the corrected certificate’s number in graduation’s own series',
  'assessment CreditRecognition.certificateNumber': 'AS-4: the recognised certificate’s own number, issued by its body',
};

const NAMED_LIKE_IDENTITY = /Number$|idNumber/i;

function namedType(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : namedType(t.type);
}

/** Every output field named like an identity field, in every subgraph schema. */
function identityNamedFields(): string[] {
  const root = path.resolve(__dirname, '../..');
  const found: string[] = [];
  for (const service of SERVICE_NAMES) {
    const doc = parse(readFileSync(path.join(root, 'services', service, 'src/schema.graphql'), 'utf8'));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      for (const field of (def.fields ?? []) as readonly FieldDefinitionNode[]) {
        if (NAMED_LIKE_IDENTITY.test(field.name.value) && namedType(field.type) === 'String') {
          found.push(`${service} ${def.name.value}.${field.name.value}`);
        }
      }
    }
  }
  return found;
}

describe('ADM-5: every schema field named like an ID or student number is accounted for', () => {
  it('lists each such field as carrying identity (masked) or not, with a reason', () => {
    const unlisted = identityNamedFields().filter((f) => !(f in IDENTITY_FIELDS) && !(f in NOT_IDENTITY));
    expect(unlisted).toEqual([]);
  });
});

/** What a caller may read of one student and the subsidy office's views, through the gateway. */
const STUDENT_VIEW = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      idNumber
      studentNumber
      fraudSignals {
        kind
        messageZh
        messageEn
        evidence {
          key
          value
        }
        reviewReason
      }
      changeRequests {
        details
        reason
        history {
          comment
        }
      }
    }
  }
`;
const OFFICE_VIEW = /* GraphQL */ `
  query ($filter: EligibilityRosterFilter!, $since: DateTime!) {
    eligibilityRoster(filter: $filter, first: 1) {
      entries {
        studentNumber
        student {
          idNumber
          studentNumber
        }
      }
      nextCursor
    }
    eligibilityRosterFile(filter: $filter) {
      contentBase64
    }
    fraudSignals {
      messageZh
      messageEn
      evidence {
        key
        value
      }
      reviewReason
    }
    eligibilityChangedSince(since: $since) {
      studentId
      period
    }
    students(first: 50) {
      edges {
        node {
          idNumber
          studentNumber
        }
      }
    }
  }
`;

describe('ADM-5 on the real stack under `national` (student number = G + ID number)', () => {
  let stack: Stack;
  let A: string;
  let studentId: string;
  let idNumber: string;
  const region = '220102';
  const registrar = () => tokenFor({ subject: 'registrar-id', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-id', role: 'AUTHORITY_REVIEWER', regionCode: region });
  const officer = tokenFor({ subject: 'officer-id', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
  const filter = { period: '2026-autumn' };

  beforeAll(async () => {
    stack = await startStack({ profile: 'national', today: TEST_TODAY });
    [A] = (await seedSchools(stack.services.enrolment, [school('ID-A01', region)])) as [string];
    await waitFor(
      async () =>
        (
          (await stack.services['status-change'].dataSource.query(
            'SELECT count(*)::int AS n FROM school_directory',
          )) as { n: number }[]
        )[0]!.n === 1,
      { what: 'status-change to learn the school' },
    );
    idNumber = demoStudent(region, 701).idNumber;
    const who = { schoolId: A, regionCode: region, registrar: registrar(), reviewer };
    studentId = await formalStudent(stack, who, 701);
    await formalStudent(stack, who, 703); // a second roster row: a page boundary for the cursor

    // ENR-7: the same ID number approved at a school of another city, as enrolment would publish it —
    // a DOUBLE_STATUS signal on the student, naming the other record's student number (G + the ID number).
    const twin = randomUUID();
    const twinRegion = '220201';
    const otherSchool = randomUUID();
    const time = { time: new Date('2026-09-14T08:00:00.000Z') };
    await deliverEvents(
      stack.services.subsidy,
      `${stack.topicPrefix}xueji.enrolment.events`,
      [
        createEvent(
          'xueji.enrolment.student.registered.v1',
          twin,
          {
            studentId: twin,
            schoolId: otherSchool,
            regionCode: twinRegion,
            name: '孪生',
            registeredAt: '2026-09-02T08:00:00.000Z',
            idNumber,
          },
          time,
        ),
        approvedRegistration(
          {
            studentId: twin,
            schoolId: otherSchool,
            regionCode: twinRegion,
            studentNumber: `G${idNumber}`,
            approvedAt: '2026-09-05T09:00:00.000Z',
            entryDate: '2026-09-01',
          },
          time,
        ),
      ],
      'subsidy to hear of the twin record',
    );
    await waitFor(
      async () => {
        const r = await graphql<{ student: { fraudSignals: { kind: string }[] } }>(
          stack.gatewayUrl,
          STUDENT_VIEW,
          { id: studentId },
          reviewer,
        );
        return r.data?.student?.fraudSignals.some((s) => s.kind === 'DOUBLE_STATUS') ?? false;
      },
      { what: 'subsidy to raise the double-status signal' },
    );
    await waitFor(
      async () => {
        const r = await graphql<{ eligibilityRoster: { totalCount: number } }>(
          stack.gatewayUrl,
          `
            query ($filter: EligibilityRosterFilter!) {
              eligibilityRoster(filter: $filter) {
                totalCount
              }
            }
          `,
          { filter },
          officer,
        );
        return r.data?.eligibilityRoster.totalCount === 2;
      },
      { what: 'subsidy to decide both students for the period' },
    );

    // SC-21: a correction of the ID number, with the number in the registrar's reason too.
    const submitted = await graphql<{ submitChangeRequest: { id: string } }>(
      stack.gatewayUrl,
      `
        mutation ($input: ChangeRequestInput!) {
          submitChangeRequest(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          studentId,
          kind: 'DATA_CORRECTION',
          effectiveDate: TEST_TODAY,
          evidenceRefs: ['identity/hukou-page'],
          correction: {
            fields: [{ field: 'idNumber', oldValue: idNumber, newValue: demoStudent(region, 702).idNumber }],
          },
        },
      },
      registrar(),
    );
    expect(submitted.errors).toBeUndefined();
    const withdrawn = await graphql(
      stack.gatewayUrl,
      `
        mutation ($id: ID!, $reason: String) {
          withdrawChangeRequest(id: $id, reason: $reason) {
            id
          }
        }
      `,
      { id: submitted.data!.submitChangeRequest.id, reason: `${idNumber} 录入有误` },
      registrar(),
    );
    expect(withdrawn.errors).toBeUndefined();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Every string in a response, and every cell of any .xlsx in it. */
  async function everyText(value: unknown): Promise<string[]> {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return (await Promise.all(value.map(everyText))).flat();
    if (value && typeof value === 'object') {
      const texts: string[] = [];
      for (const [key, v] of Object.entries(value)) {
        texts.push(...(await everyText(v)));
        if (key === 'contentBase64' && typeof v === 'string') {
          texts.push(...(await readSheet(Buffer.from(v, 'base64'))).flat());
        }
        if (key === 'nextCursor' && typeof v === 'string') texts.push(Buffer.from(v, 'base64url').toString('utf8'));
      }
      return texts;
    }
    return [];
  }

  async function views(token: string) {
    const student = await graphql(stack.gatewayUrl, STUDENT_VIEW, { id: studentId }, token);
    const office = await graphql(stack.gatewayUrl, OFFICE_VIEW, { filter, since: '2026-01-01T00:00:00.000Z' }, token);
    return { student, office };
  }

  it('every field listed above is asked for by the views below', () => {
    for (const field of Object.keys(IDENTITY_FIELDS)) {
      const name = field.split('.')[1]!;
      expect({ field, asked: `${STUDENT_VIEW}${OFFICE_VIEW}`.includes(name) }).toEqual({ field, asked: true });
    }
  });

  it('a subsidy officer sees no full ID number anywhere: fields, roster, cursor, .xlsx, signal messages, corrections', async () => {
    const { student, office } = await views(officer);
    expect(student.errors).toBeUndefined();
    expect(office.errors).toBeUndefined();
    const texts = await everyText({ student: student.data, office: office.data });
    expect(texts.filter((t) => /\d{17}[\dX]/i.test(t))).toEqual([]);
    const masked = `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`;
    const s = (student.data as { student: Record<string, unknown> }).student;
    expect(s).toMatchObject({ idNumber: masked, studentNumber: `G${masked}` });
    // The masked values are where the whole ones were: in the message, the evidence, the roster, the file.
    expect(texts).toContainEqual(expect.stringContaining(`G${masked}`));
    expect(texts.filter((t) => t.includes(masked)).length).toBeGreaterThanOrEqual(8);
    // The roster still pages on (the cursor names the row, not its number).
    const first = (office.data as { eligibilityRoster: { entries: unknown[]; nextCursor: string | null } })
      .eligibilityRoster;
    expect(first.nextCursor).not.toBeNull();
    const cursor = first.nextCursor;
    const next = await graphql<{ eligibilityRoster: { entries: { studentNumber: string }[] } }>(
      stack.gatewayUrl,
      `
        query ($filter: EligibilityRosterFilter!, $after: String) {
          eligibilityRoster(filter: $filter, first: 1, after: $after) {
            entries {
              studentNumber
            }
          }
        }
      `,
      { filter, after: cursor },
      officer,
    );
    expect(next.errors).toBeUndefined();
    const other = demoStudent(region, 703).idNumber;
    const maskedOther = `G${other.slice(0, 4)}**********${other.slice(-4)}`;
    expect(
      [...first.entries, ...next.data!.eligibilityRoster.entries]
        .map((e) => (e as { studentNumber: string }).studentNumber)
        .sort(),
    ).toEqual([`G${masked}`, maskedOther].sort());
  });

  it('the authority reviewer and the school registrar still see the ID number and the student number whole', async () => {
    for (const token of [reviewer, registrar()]) {
      const { student } = await views(token);
      expect(student.errors).toBeUndefined();
      const s = (student.data as { student: Record<string, unknown> }).student;
      expect(s).toMatchObject({ idNumber, studentNumber: `G${idNumber}` });
      const texts = await everyText(s);
      expect(texts).toContainEqual(expect.stringContaining(`G${idNumber}`)); // the signal's evidence
      expect(texts).toContainEqual(expect.stringContaining(`"oldValue":"${idNumber}"`)); // the correction
    }
    const { office } = await views(reviewer);
    expect(office.errors).toBeUndefined();
    const texts = await everyText(office.data);
    expect(texts).toContain(`G${idNumber}`); // the .xlsx cell, whole
  });
});
