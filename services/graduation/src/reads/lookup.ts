import { selectOne, type Queryable } from '@xueji/db';
import { fields, limits, text } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import type { CertificateKind, CertificateState } from '@xueji/vocabulary';

/** GR-11: what the public lookup shows of a certificate; never an ID number. */
export interface CertificateCheckRow {
  number: string;
  kind: CertificateKind;
  state: CertificateState;
  name: string;
  birthDate: string | null;
  schoolName: string;
  majorCode: string | null;
  studyForm: string;
  entryDate: string;
  issuedOn: string;
  statedDuration: string | null;
}

const CHECK_COLUMNS = `c.number, c.kind, c.state, s.name, to_char(s.birth_date, 'YYYY-MM-DD') AS "birthDate",
  sc.name AS "schoolName", c.major_code AS "majorCode", c.study_form AS "studyForm",
  to_char(c.entry_date, 'YYYY-MM-DD') AS "entryDate", to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn",
  c.stated_duration AS "statedDuration"`;
const CHECK_FROM = `FROM certificate c
  JOIN graduation_student s ON s.student_id = c.student_id
  JOIN graduation_school sc ON sc.school_id = c.school_id`;

const checkInput = limits<{ number: string; name: string }>(
  fields({ number: text('certificateNumber'), name: text('personName') }),
);

/**
 * GR-10 / GR-11: anyone — an employer, the holder — checks a certificate by its number and the
 * holder's name, without an account. A wrong name answers null, as an unknown number does, so the
 * register cannot be searched by number alone (the gateway also limits how often a client asks).
 */
export async function certificateLookup(
  ctx: ServiceContext,
  input: { number: string; name: string },
): Promise<CertificateCheckRow | null> {
  checkInput(input, ctx.today());
  return selectOne<CertificateCheckRow>(
    ctx.dataSource,
    `SELECT ${CHECK_COLUMNS} ${CHECK_FROM} WHERE c.number = $1 AND s.name = $2`,
    [input.number.trim(), input.name.trim()],
  );
}

/** What a certificate's PDF prints (GR-11), by its id; null when there is no such certificate. */
export interface PrintFactsRow extends CertificateCheckRow {
  id: string;
  credential: string | null;
}

export function printFacts(db: Queryable, certificateId: string): Promise<PrintFactsRow | null> {
  return selectOne<PrintFactsRow>(db, `SELECT c.id, c.credential, ${CHECK_COLUMNS} ${CHECK_FROM} WHERE c.id = $1`, [
    certificateId,
  ]);
}

/** The register's record of a credential's certificate, by the id the credential carries (`urn:uuid:…`). */
export function certificateOfCredential(db: Queryable, credentialId: string): Promise<CertificateCheckRow | null> {
  const id = /^urn:uuid:([0-9a-f-]{36})$/i.exec(credentialId)?.[1];
  if (!id) return Promise.resolve(null);
  return selectOne<CertificateCheckRow>(db, `SELECT ${CHECK_COLUMNS} ${CHECK_FROM} WHERE c.id = $1`, [id]);
}

export const checkCredentialInput = limits<{ credential: string }>(fields({ credential: text('credential') }));
