import { selectOne, type Queryable } from '@xueji/db';
import { fields, limits, text } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import type { CertificateKind, CertificateState, Sex, VocationalCertificateKind } from '@xueji/vocabulary';

/**
 * GR-11: what the public lookup shows of a certificate: name, sex, date of birth, the study period
 * (entry → graduation date), graduate or completion (the kind), major, study form, the results, the
 * certificates held, school, principal, date and number. Never an ID number.
 */
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
  /** As corrected (GR-12), else as the student's record says. */
  sex: Sex | null;
  /** GR-8: REPLACED: the number of the credential certificate that stands for it. */
  replacedByNumber: string | null;
  /** GR-8: a credential certificate: the number of the lost certificate it stands for. */
  replacesNumber: string | null;
  /** GR-11: the school's principal (校长); null until enrolment publishes one. */
  principalName: string | null;
  /** GR-11: courses passed and credits earned, as assessment last counted them; null before any count. */
  results: { coursesPassed: number; creditsEarned: number } | null;
  /** GR-11: the vocational qualifications and skill certificates held, oldest first. */
  heldCertificates: { kind: VocationalCertificateKind; title: string; number: string; issuedOn: string }[];
}

/**
 * The data a certificate shows: its own once corrected (GR-12: `holder_*`), else the student's record;
 * GR-8: the credential certificate that stands for a lost one, and the lost one a credential certificate
 * stands for (on the unique `certificate_one_replacement` and the primary key).
 */
const SHOWN_NAME = `COALESCE(c.holder_name, s.name)`;
const CHECK_COLUMNS = `c.number, c.kind, c.state, ${SHOWN_NAME} AS name,
  to_char(COALESCE(c.holder_birth_date, s.birth_date), 'YYYY-MM-DD') AS "birthDate",
  COALESCE(c.holder_sex, s.sex) AS sex,
  sc.name AS "schoolName", c.major_code AS "majorCode", c.study_form AS "studyForm",
  to_char(c.entry_date, 'YYYY-MM-DD') AS "entryDate", to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn",
  c.stated_duration AS "statedDuration",
  (SELECT r.number FROM certificate r WHERE r.lost_id = c.id) AS "replacedByNumber",
  (SELECT l.number FROM certificate l WHERE l.id = c.lost_id) AS "replacesNumber",
  sc.principal_name AS "principalName",
  CASE WHEN s.results_as_of IS NULL THEN NULL
       ELSE json_build_object('coursesPassed', s.courses_passed, 'creditsEarned', s.credits_earned::float8) END AS results,
  COALESCE((SELECT json_agg(json_build_object('kind', h.kind, 'title', h.title, 'number', h.number,
                                              'issuedOn', to_char(h.issued_on, 'YYYY-MM-DD')) ORDER BY h.issued_on, h.number)
              FROM held_certificate h WHERE h.student_id = c.student_id), '[]') AS "heldCertificates"`;
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
    `SELECT ${CHECK_COLUMNS} ${CHECK_FROM} WHERE c.number = $1 AND ${SHOWN_NAME} = $2`,
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

/**
 * The register's record of a credential's certificate, by the id the credential carries (`urn:uuid:…`),
 * with the credential it holds now (GR-12: a correction signs it anew).
 */
export function certificateOfCredential(db: Queryable, credentialId: string): Promise<PrintFactsRow | null> {
  const id = /^urn:uuid:([0-9a-f-]{36})$/i.exec(credentialId)?.[1];
  if (!id) return Promise.resolve(null);
  return printFacts(db, id);
}

export const checkCredentialInput = limits<{ credential: string }>(fields({ credential: text('credential') }));
