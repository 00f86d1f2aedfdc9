/**
 * The limits of `@xueji/rules` on graduation's mutations: malformed input is refused with
 * BAD_USER_INPUT naming the field, before any I/O, and writes nothing.
 */
import { auditRows, graphql } from '@xueji/testkit';
import {
  APPROVE_LIST,
  newSchool,
  RECORD_CERTIFICATE,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
} from './support';

const A = newSchool('220102', 'L-0102', '220100');
let g: Running;
beforeAll(async () => {
  g = await startGraduation('limits', 'national', '2029-06-20');
  await g.publish('enrolment', [schoolEvent(A)]);
});
afterAll(() => g?.stop());

const field = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => ({
  code: r.errors?.[0]?.extensions?.code,
  field: (r.errors?.[0]?.extensions?.details as { field?: string } | undefined)?.field,
});

it('refuses malformed input naming the field, and writes nothing', async () => {
  const before = (await auditRows(g.service.dataSource)).length;
  const submit = (input: Record<string, unknown>) =>
    graphql(
      g.url,
      SUBMIT_LIST,
      { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [], ...input } },
      registrarOf(A),
    );
  expect(field(await submit({ term: '2029-summer' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.term' });
  expect(field(await submit({ studentIds: ['not-a-uuid'] }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.studentIds[0]',
  });
  expect(field(await submit({}))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.studentIds' });
  expect(
    field(
      await graphql(
        g.url,
        APPROVE_LIST,
        { id: '00000000-0000-4000-8000-000000000000', sheet: 'x'.repeat(201) },
        reviewerOf('220100'),
      ),
    ),
  ).toEqual({ code: 'BAD_USER_INPUT', field: 'verificationSheetRef' });
  expect(
    field(
      await graphql(
        g.url,
        `
          mutation ($id: ID!, $reason: String!) {
            rejectGraduateList(id: $id, reason: $reason) {
              id
            }
          }
        `,
        { id: '00000000-0000-4000-8000-000000000000', reason: 'a\u0007b' },
        reviewerOf('220100'),
      ),
    ),
  ).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
  expect(
    field(
      await graphql(
        g.url,
        RECORD_CERTIFICATE,
        {
          input: {
            studentId: '00000000-0000-4000-8000-000000000000',
            kind: 'SKILL_CERTIFICATE',
            title: 't',
            number: 'N-1',
            issuedOn: '2031-01-01',
          },
        },
        registrarOf(A),
      ),
    ),
  ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.issuedOn' });
  // GR-8, GR-12: checked before the profile's rule or any read.
  expect(
    field(
      await graphql(
        g.url,
        `
          mutation ($input: CredentialCertificateInput!) {
            issueCredentialCertificate(input: $input) {
              id
            }
          }
        `,
        { input: { certificateId: '00000000-0000-4000-8000-000000000000', lossNoticeRef: 'x'.repeat(201) } },
        registrarOf(A),
      ),
    ),
  ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.lossNoticeRef' });
  const correction = (input: Record<string, unknown>) =>
    graphql(
      g.url,
      `
        mutation ($input: VerificationDataCorrectionInput!) {
          requestVerificationDataCorrection(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          certificateId: '00000000-0000-4000-8000-000000000000',
          reason: '错字',
          evidenceRef: '户口簿',
          ...input,
        },
      },
      registrarOf(A),
    );
  expect(field(await correction({ name: '王1' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
  expect(field(await correction({ birthDate: '2031-01-01' }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.birthDate',
  });
  expect(field(await correction({ evidenceRef: 'x'.repeat(201) }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'input.evidenceRef',
  });
  expect((await auditRows(g.service.dataSource)).length).toBe(before);
});
