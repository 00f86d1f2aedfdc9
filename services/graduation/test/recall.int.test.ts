/**
 * The certificate register after issue. Every certificate is also a signed digital credential
 * (W3C VC 2.0 as a compact JWS) that verifies offline against the published keys, fails when a
 * field is changed, and reports REVOKED once recalled; and a printable PDF carries it.
 *
 * GR-9 (fujian): an admission found to have broken the rules — a status cancelled (SC-19) or a
 * registration cancelled at the re-check (ENR-9) — recalls every certificate already issued and
 * declares it void; the public lookup says so (GR-10). Under national, where GR-9 does not apply, a
 * cancellation leaves the certificates as they are.
 */
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyCredential } from '@xueji/credentials';
import { graphql, REPO_ROOT, resolveStudents } from '@xueji/testkit';
import {
  completionHolder,
  newSchool,
  registrarOf,
  schoolEvent,
  startGraduation,
  type Running,
  type School,
} from './support';

jest.setTimeout(90_000);

// The authority's keys of this test run, not the machine's.
process.env.XUEJI_CREDENTIAL_KEYS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'graduation-keys-')), 'keys');

const CERTIFICATES = `graduation { certificates { number credential printable { fileName contentBase64 } } }`;
type Issued = { number: string; credential: string | null; printable: { fileName: string; contentBase64: string } };
const VERIFY = `query ($c: String!) { verifyCredential(credential: $c) { outcome certificate { number state name } } }`;
type Verified = { outcome: string; certificate: { number: string; state: string; name: string } | null };

/** A compact JWS with one field of its payload changed, the signature kept. */
function tampered(jws: string): string {
  const [header, payload, signature] = jws.split('.');
  const data = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { credentialSubject: { name: string } };
  data.credentialSubject.name = '李冒名';
  return [header, Buffer.from(JSON.stringify(data)).toString('base64url'), signature].join('.');
}

const LOOKUP = `query ($number: String!, $name: String!) { certificateLookup(number: $number, name: $name) { number state } }`;

const cancelled = (school: School, id: string) =>
  createEvent('xueji.status-change.status.changed.v1', id, {
    studentId: id,
    kind: 'CANCELLATION',
    effectiveDate: '2029-05-20',
    previousStatus: 'ACTIVE',
    newStatus: 'CANCELLED',
    schoolId: school.schoolId,
    regionCode: school.regionCode,
  });

const HOLDER = '王晓东';
const lookup = (g: Running, _id: string, number: string) =>
  graphql<{ certificateLookup: { number: string; state: string } | null }>(g.url, LOOKUP, { number, name: HOLDER });

describe('GR-9 under fujian: a cancelled admission recalls the certificates', () => {
  let g: Running;
  const A = newSchool('350102', '3501021234', '350100');
  beforeAll(async () => {
    g = await startGraduation('recall_fujian', 'fujian', '2029-05-10');
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('SC-19 cancellation: recalled and void, with when and why; the lookup says RECALLED; one event', async () => {
    const { studentId: id, number } = await completionHolder(g, A, HOLDER);
    expect((await lookup(g, id, number)).data!.certificateLookup).toEqual({ number, state: 'VALID' });
    await g.publish('status-change', [cancelled(A, id)]);
    expect((await lookup(g, id, number)).data!.certificateLookup).toEqual({ number, state: 'RECALLED' });
    const [row] = await selectRows<{ recall_reason: string; recalled_at: Date | null }>(
      g.service.dataSource,
      `SELECT recall_reason, recalled_at FROM certificate WHERE number = $1`,
      [number],
    );
    expect(row!.recall_reason).toMatch(/^SC-19/);
    expect(row!.recalled_at).not.toBeNull();
    const events = await selectRows<{ event_type: string }>(
      g.service.dataSource,
      `SELECT event_type FROM outbox_message WHERE message_key = $1 AND event_type LIKE '%recalled%'`,
      [id],
    );
    expect(events).toEqual([{ event_type: 'xueji.graduation.certificates.recalled.v1' }]);
  });

  it('ENR-9 cancellation at the re-check: recalled too', async () => {
    const { studentId: id, number } = await completionHolder(g, A, HOLDER);
    await g.publish('enrolment', [
      createEvent('xueji.enrolment.registration.cancelled.v1', id, {
        studentId: id,
        schoolId: A.schoolId,
        reason: '入学资格复查不合格',
        cancelledAt: '2029-05-20T02:00:00.000Z',
      }),
    ]);
    expect((await lookup(g, id, number)).data!.certificateLookup).toEqual({ number, state: 'RECALLED' });
  });
});

describe('every certificate is a signed digital credential and a printable PDF (fujian)', () => {
  let g: Running;
  const A = newSchool('350102', '3501021234', '350100');
  beforeAll(async () => {
    g = await startGraduation('credentials', 'fujian', '2029-05-10');
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('verifies offline against the published keys and through verifyCredential; a changed field is TAMPERED; recalled is REVOKED', async () => {
    const { studentId: id, number } = await completionHolder(g, A, HOLDER);
    const r = await resolveStudents<{ graduation: { certificates: Issued[] } }>(
      g.url,
      registrarOf(A),
      [id],
      CERTIFICATES,
    );
    expect(r.errors).toBeUndefined();
    const [issued] = r.data!._entities[0]!.graduation.certificates;
    expect(issued!.number).toBe(number);
    const jws = issued!.credential!;

    // Offline: the JWKS alone.
    const keys = await graphql<{ credentialKeys: string }>(g.url, '{ credentialKeys }');
    const jwks = JSON.parse(keys.data!.credentialKeys) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const offline = await verifyCredential(jws, jwks);
    expect(offline.outcome).toBe('VALID');
    expect(offline.credential).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { name: HOLDER, achievement: { achievementType: 'Certificate' } },
      certificate: { number, kind: 'COMPLETION' },
    });
    expect(jws).not.toContain('idNumber');
    // The operator's command, offline: the credential and the keys as files.
    const dir = mkdtempSync(path.join(tmpdir(), 'credential-'));
    writeFileSync(path.join(dir, 'keys.json'), keys.data!.credentialKeys);
    // Run without blocking this process: the service under test lives in it and must keep answering
    // (a synchronous child process stalls its open connections, which the next request then finds reset).
    const command = (credential: string) => {
      const file = path.join(dir, `credential-${Math.random().toString(36).slice(2)}.jwt`);
      writeFileSync(file, credential);
      const cli = path.join(REPO_ROOT, 'packages/credentials/src/cli.ts');
      const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
      return new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(
          tsx,
          [cli, 'verify', file, '--jwks', path.join(dir, 'keys.json')],
          { encoding: 'utf8' },
          (error, stdout) =>
            resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
        );
      });
    };
    const valid = await command(jws);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toMatch(/^VALID\n/);
    const changed = await command(tampered(jws));
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/^TAMPERED/);

    // Through the service, without an account: valid, then tampered, then revoked once recalled (GR-9).
    const check = async (c: string) =>
      (await graphql<{ verifyCredential: Verified }>(g.url, VERIFY, { c })).data!.verifyCredential;
    expect(await check(jws)).toEqual({ outcome: 'VALID', certificate: { number, state: 'VALID', name: HOLDER } });
    expect(await check(tampered(jws))).toEqual({ outcome: 'TAMPERED', certificate: null });
    expect((await check('not.a.credential')).outcome).toBe('MALFORMED');
    await g.publish('status-change', [cancelled(A, id)]);
    expect(await check(jws)).toEqual({ outcome: 'REVOKED', certificate: { number, state: 'RECALLED', name: HOLDER } });
  });

  it('prints the certificate: the number and name as text in the PDF, the credential attached', async () => {
    const { studentId: id, number } = await completionHolder(g, A, HOLDER);
    const r = await resolveStudents<{ graduation: { certificates: Issued[] } }>(
      g.url,
      registrarOf(A),
      [id],
      CERTIFICATES,
    );
    const [issued] = r.data!._entities[0]!.graduation.certificates;
    expect(issued!.printable.fileName).toBe(`${number}.pdf`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'certificate-')), 'certificate.pdf');
    writeFileSync(file, Buffer.from(issued!.printable.contentBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(number);
    expect(text).toContain(HOLDER);
    expect(text).toContain('结业证书');
    expect(execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' })).toContain('credential.jwt');
  });
});

describe('GR-9 does not apply under national', () => {
  let g: Running;
  const A = newSchool('220102', '2201021234', '220102');
  beforeAll(async () => {
    g = await startGraduation('recall_national', 'national', '2029-05-10');
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('a cancellation leaves the certificate valid', async () => {
    const { studentId: id, number } = await completionHolder(g, A, HOLDER);
    await g.publish('status-change', [cancelled(A, id)]);
    expect((await lookup(g, id, number)).data!.certificateLookup).toEqual({ number, state: 'VALID' });
  });
});
