/**
 * GR-11 (fujian): the public lookup shows the whole verification data: name, sex, date of birth, the
 * study period (entry → graduation date), graduate or completion, major, study form, the results
 * (courses passed, credits earned), the certificates held, school, principal, date and number — from
 * events only: enrolment's `student.registered` (sex) and `school.registered` (principal), assessment's
 * `results.changed` and `certificate.recorded` (AS-4). GR-1 (fujian): a certificate assessment
 * recognised meets CERTIFICATE on its own; a student and number are held once, whoever told it.
 * Old events without the data leave it null.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { graphql, resolveStudents } from '@xueji/testkit';
import {
  APPROVE_LIST,
  assessed,
  auditOf,
  enrolledAs,
  newSchool,
  RECORD_CERTIFICATE,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
  type School,
} from './support';

jest.setTimeout(90_000);

// The authority's keys of this test run, not the machine's.
process.env.XUEJI_CREDENTIAL_KEYS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'graduation-keys-')), 'keys');

const A = newSchool('350102', '3501024321', '350100');
const OLD = newSchool('350103', '3501038765', '350100');
const HOLDER = '林晓梅';

const LOOKUP = `query ($number: String!, $name: String!) {
  certificateLookup(number: $number, name: $name) {
    number kind state name sex birthDate entryDate issuedOn majorCode studyForm schoolName principalName
    results { coursesPassed creditsEarned }
    heldCertificates { kind title number issuedOn }
  }
}`;

/** A certificate as assessment publishes it with a credit recognition (AS-4). */
const recognised = (school: School, studentId: string, number: string) =>
  createEvent('xueji.assessment.certificate.recorded.v1', studentId, {
    recognitionId: randomUUID(),
    studentId,
    schoolId: school.schoolId,
    kind: 'VOCATIONAL_QUALIFICATION',
    title: '电工（四级）',
    number,
    issuedOn: '2028-12-20',
    recordedAt: '2029-01-05T08:00:00.000Z',
  });

let g: Running;

beforeAll(async () => {
  g = await startGraduation('lookup_data', 'fujian', '2029-05-10');
  await g.publish('enrolment', [
    { ...schoolEvent(A), data: { ...(schoolEvent(A).data as object), principalName: '陈国华' } },
    schoolEvent(OLD), // an older event: no principal
  ]);
});
afterAll(async () => {
  await g?.stop();
});

/** Registered as enrolment publishes it now (with the sex) or did before (without). */
async function enrol(school: School, id: string, sex?: 'MALE' | 'FEMALE') {
  await g.publish('enrolment', enrolledAs(school, id, HOLDER, { birthDate: '2011-03-04', ...(sex ? { sex } : {}) }));
}

describe('GR-1 (fujian) / GR-11: the certificates held, from assessment', () => {
  it('GR-1: a certificate assessment recognised meets CERTIFICATE alone; the same number is held once', async () => {
    const id = randomUUID();
    await enrol(A, id, 'FEMALE');
    await g.publish('assessment', assessed(A, id));
    expect(await auditOf(g, registrarOf(A), id)).toMatchObject({ outcome: 'NOT_YET', lacking: ['CERTIFICATE'] });

    const number = `Q-${id.slice(0, 8)}`;
    await g.publish('assessment', [recognised(A, id, number)]);
    const audit = await auditOf(g, registrarOf(A), id);
    expect(audit).toMatchObject({ outcome: 'GRADUATE', lacking: [] });
    expect(audit.conditions.find((c) => c.condition === 'CERTIFICATE')).toMatchObject({ rule: 'GR-1', met: true });

    // The same certificate told again (another event), or by the school: still one row.
    await g.publish('assessment', [recognised(A, id, number)]);
    const again = await graphql(
      g.url,
      RECORD_CERTIFICATE,
      { input: { studentId: id, kind: 'SKILL_CERTIFICATE', title: '电工', number, issuedOn: '2028-12-20' } },
      registrarOf(A),
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(
      await selectRows(g.service.dataSource, `SELECT source, number FROM held_certificate WHERE student_id = $1`, [id]),
    ).toEqual([{ source: 'ASSESSMENT', number }]);
  });

  it('a certificate the school recorded first stays the school’s; assessment’s event of it adds none', async () => {
    const id = randomUUID();
    await enrol(A, id, 'MALE');
    const number = `S-${id.slice(0, 8)}`;
    const held = await graphql(
      g.url,
      RECORD_CERTIFICATE,
      { input: { studentId: id, kind: 'SKILL_CERTIFICATE', title: '电工', number, issuedOn: '2028-12-20' } },
      registrarOf(A),
    );
    expect(held.errors).toBeUndefined();
    await g.publish('assessment', [recognised(A, id, number)]);
    expect(
      await selectRows(g.service.dataSource, `SELECT source FROM held_certificate WHERE student_id = $1`, [id]),
    ).toEqual([{ source: 'SCHOOL' }]);
  });
});

describe('GR-11: the public lookup shows the verification data', () => {
  it('a diploma: sex, principal, the results and the certificates held, the study period; never an ID number', async () => {
    const id = randomUUID();
    await enrol(A, id, 'FEMALE');
    await g.publish('assessment', [...assessed(A, id), recognised(A, id, `Q-${id.slice(0, 8)}`)]);
    const submitted = await graphql<{ submitGraduateList: { id: string } }>(
      g.url,
      SUBMIT_LIST,
      { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] } },
      registrarOf(A),
    );
    expect(submitted.errors).toBeUndefined();
    const approved = await graphql<{ approveGraduateList: { entries: { diplomaNumber: string }[] } }>(
      g.url,
      APPROVE_LIST,
      { id: submitted.data!.submitGraduateList.id, sheet: 'YY-2029-0001' },
      reviewerOf('350100'),
    );
    expect(approved.errors).toBeUndefined();
    const number = approved.data!.approveGraduateList.entries[0]!.diplomaNumber;

    const found = await graphql<{ certificateLookup: Record<string, unknown> }>(g.url, LOOKUP, {
      number,
      name: HOLDER,
    });
    expect(found.errors).toBeUndefined();
    expect(found.data!.certificateLookup).toEqual({
      number,
      kind: 'DIPLOMA',
      state: 'VALID',
      name: HOLDER,
      sex: 'FEMALE',
      birthDate: '2011-03-04',
      entryDate: '2026-09-01',
      issuedOn: '2029-05-10',
      majorCode: expect.any(String),
      studyForm: 'FULL_TIME',
      schoolName: `${A.code} 职业学校`,
      principalName: '陈国华',
      results: { coursesPassed: 30, creditsEarned: 170 },
      heldCertificates: [
        {
          kind: 'VOCATIONAL_QUALIFICATION',
          title: '电工（四级）',
          number: `Q-${id.slice(0, 8)}`,
          issuedOn: '2028-12-20',
        },
      ],
    });
    // The printable PDF shows the sex and the principal too.
    const printed = await resolveStudents<{ graduation: { certificates: { printable: { contentBase64: string } }[] } }>(
      g.url,
      registrarOf(A),
      [id],
      'graduation { certificates { printable { contentBase64 } } }',
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'certificate-')), 'certificate.pdf');
    writeFileSync(
      file,
      Buffer.from(printed.data!._entities[0]!.graduation.certificates[0]!.printable.contentBase64, 'base64'),
    );
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('性别：女');
    expect(text).toContain('校长：陈国华');
    // A wrong name: the same answer as an unknown number (GR-10).
    expect((await graphql(g.url, LOOKUP, { number, name: '林晓' })).data).toEqual({ certificateLookup: null });
  });

  it('older events without sex or principal: those are null; a certificate the school recorded is shown', async () => {
    const id = randomUUID();
    await enrol(OLD, id);
    await g.publish('assessment', assessed(OLD, id, { creditsShort: true }));
    // The school recorded the certificate (fujian's completion needs one too): shown as well.
    const held = await graphql(
      g.url,
      RECORD_CERTIFICATE,
      { input: { studentId: id, kind: 'SKILL_CERTIFICATE', title: '电工', number: 'S-OLD-1', issuedOn: '2028-12-20' } },
      registrarOf(OLD),
    );
    expect(held.errors).toBeUndefined();
    const issued = await graphql<{ issueCompletionCertificate: { number: string } }>(
      g.url,
      `
        mutation ($id: ID!) {
          issueCompletionCertificate(studentId: $id) {
            number
          }
        }
      `,
      { id },
      registrarOf(OLD),
    );
    expect(issued.errors).toBeUndefined();
    const number = issued.data!.issueCompletionCertificate.number;
    const found = await graphql<{ certificateLookup: Record<string, unknown> }>(g.url, LOOKUP, {
      number,
      name: HOLDER,
    });
    expect(found.data!.certificateLookup).toMatchObject({
      kind: 'COMPLETION',
      sex: null,
      principalName: null,
      results: { coursesPassed: 25, creditsEarned: 140 },
      heldCertificates: [{ kind: 'SKILL_CERTIFICATE', title: '电工', number: 'S-OLD-1', issuedOn: '2028-12-20' }],
    });
  });
});
