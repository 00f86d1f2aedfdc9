/**
 * Every write is one audited unit of work: each mutation of the schema, called over HTTP once with
 * success and once refused, leaves exactly one new audit row (who, role, what, which record) or
 * none; so do a consumed event, the scheduled ENR-17 step and the ADM-5 roster export.
 */
import { fixedOrRealClock } from '@xueji/config';
import { createEvent } from '@xueji/events';
import { loadPolicyProfile } from '@xueji/policy';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  type AuditRow,
  auditRows,
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  mutationNamesOf,
  ok,
  tokenFor,
  refusedOutOfScope,
  refusedWith,
  testServiceConfig,
  testTopicPrefix,
} from '@xueji/testkit';
import { registration, school, seedSchools, SUBMIT } from '../../../test/support/enrolment';
import { termRegistrationLapses } from '../src/jobs/term-registration-lapses';
import { buildRosterFile } from '../src/roster';
import { enrolment, SCHEMA_PATH } from '../src/service';

const TODAY = '2026-09-20';
const PROFILE = 'beijing'; // ENR-10 (deferred admission) applies; the autumn term's ENR-17 limit has passed.

const registrar = (schoolId: string) =>
  tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
const reviewer = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });
/** Issue 10: the same `sub` as `registrar(schoolId)`, in a token of another school. */
const registrarAt = (schoolId: string, elsewhere: string) =>
  tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId: elsewhere });
/** Issue 10: the same `sub` as `reviewer(regionCode)`, in a token of another region. */
const reviewerAt = (regionCode: string, elsewhere: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode: elsewhere });

const DECIDED = `decided { id registrationStatus } refused { studentId breaches { rule } }`;
type Report = { decided: { id: string }[]; refused: { studentId: string; breaches: { rule: string }[] }[] };

/** What one call is expected to audit: its action, actor, role and record. */
interface Expected {
  action: string;
  actor: string;
  role: string;
  entity: string;
  entityId: string;
  reason?: string | null;
}

/** A student submitted before a call, for the call to act on. */
interface Fixture {
  id: string;
  input: ReturnType<typeof registration>;
}

interface Case {
  /** What the call needs first (default: a submitted student); its own audit rows are not the call's. */
  prepare?(): Promise<Fixture>;
  /** A successful call, and the audit row it must write. */
  success(fixture: Fixture): Promise<Expected>;
  /** A refused call (an error, or a decision refused in the report): it writes no audit row. */
  refusal(fixture: Fixture): Promise<void>;
  /**
   * Issue 10: the call with a token of the same `sub` but another school or region: refused
   * (FORBIDDEN or NOT_FOUND; a batch decision refuses the id in its report). `'none'`: the mutation
   * has no school or region scope (provincial reference data, a region-wide check).
   */
  outOfScope: ((fixture: Fixture) => Promise<void>) | 'none';
}

const mutationNames = mutationNamesOf(SCHEMA_PATH);

describe('the audit of every write (real PostgreSQL and Kafka)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let topicPrefix: string;
  let A: string;
  let B: string;
  let url: string;
  let n = 0;

  const submit = async (schoolId = A) => {
    const input = registration(schoolId, '220102', 300 + n++);
    const data = ok(await graphql<{ submitRegistration: { id: string } }>(url, SUBMIT, { input }, registrar(schoolId)));
    return { id: data.submitRegistration.id, input };
  };
  const newRows = async (before: number): Promise<AuditRow[]> => (await auditRows(service.dataSource)).slice(before);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('enrolment_audit');
    topicPrefix = testTopicPrefix();
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix, profile: PROFILE, relay: false, today: TODAY }),
    );
    url = service.url;
    [A, B] = (await seedSchools(service, [school('U01', '220102'), school('U02', '220202')])) as [string, string];
  });

  afterAll(async () => {
    await service?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const IMPORT = `mutation ($input: RosterImportInput!) { importRoster(input: $input) { registered } }`;
  const APPROVE = `mutation ($ids: [ID!]!) { approveRegistrations(ids: $ids, comment: "材料齐全") { ${DECIDED} } }`;
  const REJECT = `mutation ($ids: [ID!]!) { rejectRegistrations(ids: $ids, reason: "材料不全") { ${DECIDED} } }`;
  const CANCEL = `mutation ($id: ID!) { cancelRegistration(id: $id, reason: "复查不合格") { id } }`;
  const DEFER = `mutation ($id: ID!, $ref: String!) { deferAdmission(id: $id, certificateRef: $ref) { id } }`;
  const READMIT = `mutation ($id: ID!, $ref: String!) { readmitDeferred(id: $id, certificateRef: $ref) { id } }`;
  const TERM = `mutation ($term: String) { recordTermRegistration(studentIds: [], term: $term) }`;
  const DETECT = `mutation { detectTermRegistrationLapses }`;
  const OTHER = `mutation ($r: [OtherStatusInput!]!) { importOtherStatusRecords(records: $r) }`;
  const PRINCIPAL = `mutation ($input: SchoolPrincipalInput!) { setSchoolPrincipal(input: $input) { id principalName } }`;
  const otherStatus = (k: number) => [
    { idNumber: registration(A, '220102', k).idNumber, kind: 'UNIVERSITY', institution: '吉林大学' },
  ];
  const byRegistrar = (action: string, entityId: string, entity = 'student'): Expected => ({
    action,
    actor: `registrar-${A}`,
    role: 'SCHOOL_REGISTRAR',
    entity,
    entityId,
  });
  const byReviewer = (region: string, action: string, entityId: string, entity = 'student'): Expected => ({
    action,
    actor: `reviewer-${region}`,
    role: 'AUTHORITY_REVIEWER',
    entity,
    entityId,
  });

  const cases: Record<string, Case> = {
    submitRegistration: {
      async success() {
        const { id } = await submit();
        return byRegistrar('SUBMIT_REGISTRATION', id);
      },
      async refusal({ input }) {
        refusedWith(await graphql(url, SUBMIT, { input }, registrar(A)), 'POLICY_VIOLATION', 'ENR-6');
      },
      async outOfScope() {
        const input = registration(A, '220102', 300 + n++);
        refusedOutOfScope(await graphql(url, SUBMIT, { input }, registrarAt(A, B)));
      },
    },
    importRoster: {
      async success() {
        const rows = [300 + n++, 300 + n++].map((k) => {
          const r = registration('', '220102', k);
          return {
            姓名: r.name,
            性别: r.sex === 'MALE' ? '男' : '女',
            出生日期: r.birthDate,
            身份证号: r.idNumber,
            入学日期: '2026-09-01',
            入学批次: '秋季',
            专业代码: '710201',
            学制: 3,
          };
        });
        const contentBase64 = (await buildRosterFile(rows, 'csv')).toString('base64');
        const input = { schoolId: A, fileName: 'roster.csv', contentBase64 };
        const data = ok(await graphql<{ importRoster: { registered: number } }>(url, IMPORT, { input }, registrar(A)));
        expect(data.importRoster.registered).toBe(2);
        const [latest] = (await service.dataSource.query(
          'SELECT id FROM roster_import ORDER BY imported_at DESC LIMIT 1',
        )) as { id: string }[];
        return byRegistrar('IMPORT_ROSTER', latest!.id, 'roster_import');
      },
      async refusal() {
        const input = { schoolId: A, fileName: 'roster.csv', contentBase64: 'bm90IGEgcm9zdGVy' };
        refusedWith(await graphql(url, IMPORT, { input }, registrar(B)), 'FORBIDDEN');
      },
      async outOfScope() {
        const input = { schoolId: A, fileName: 'roster.csv', contentBase64: 'bm90IGEgcm9zdGVy' };
        refusedOutOfScope(await graphql(url, IMPORT, { input }, registrarAt(A, B)));
      },
    },
    setSchoolPrincipal: {
      async success() {
        ok(await graphql(url, PRINCIPAL, { input: { schoolId: A, principalName: '王建国' } }, registrar(A)));
        return byRegistrar('SET_SCHOOL_PRINCIPAL', A, 'school');
      },
      async refusal() {
        // GR-11: another school's registrar.
        const input = { schoolId: A, principalName: '李明' };
        refusedWith(await graphql(url, PRINCIPAL, { input }, registrar(B)), 'FORBIDDEN');
      },
      async outOfScope() {
        const input = { schoolId: A, principalName: '李明' };
        refusedOutOfScope(await graphql(url, PRINCIPAL, { input }, registrarAt(A, B)));
      },
    },
    approveRegistrations: {
      async success({ id }) {
        const data = ok(
          await graphql<{ approveRegistrations: Report }>(url, APPROVE, { ids: [id] }, reviewer('220102')),
        );
        expect(data.approveRegistrations.decided.map((d) => d.id)).toEqual([id]);
        return { ...byReviewer('220102', 'APPROVE_REGISTRATION', id), reason: '材料齐全' };
      },
      async refusal({ id }) {
        // Another county's reviewer: not this school's authority.
        const data = ok(
          await graphql<{ approveRegistrations: Report }>(url, APPROVE, { ids: [id] }, reviewer('220104')),
        );
        expect(data.approveRegistrations.refused).toEqual([{ studentId: id, breaches: [{ rule: 'ADM-2' }] }]);
      },
      async outOfScope({ id }) {
        const data = ok(
          await graphql<{ approveRegistrations: Report }>(url, APPROVE, { ids: [id] }, reviewerAt('220102', '220202')),
        );
        expect(data.approveRegistrations).toEqual({
          decided: [],
          refused: [{ studentId: id, breaches: [{ rule: 'ADM-2' }] }],
        });
      },
    },
    rejectRegistrations: {
      async success({ id }) {
        const data = ok(await graphql<{ rejectRegistrations: Report }>(url, REJECT, { ids: [id] }, reviewer('220100')));
        expect(data.rejectRegistrations.decided.map((d) => d.id)).toEqual([id]);
        return { ...byReviewer('220100', 'REJECT_REGISTRATION', id), reason: '材料不全' };
      },
      async refusal({ id }) {
        // Another county's reviewer: not this school's authority.
        const data = ok(await graphql<{ rejectRegistrations: Report }>(url, REJECT, { ids: [id] }, reviewer('220104')));
        expect(data.rejectRegistrations.refused).toEqual([{ studentId: id, breaches: [{ rule: 'ADM-2' }] }]);
      },
      async outOfScope({ id }) {
        const data = ok(
          await graphql<{ rejectRegistrations: Report }>(url, REJECT, { ids: [id] }, reviewerAt('220100', '220200')),
        );
        expect(data.rejectRegistrations).toEqual({
          decided: [],
          refused: [{ studentId: id, breaches: [{ rule: 'ADM-2' }] }],
        });
      },
    },
    cancelRegistration: {
      async success({ id }) {
        ok(await graphql(url, CANCEL, { id }, registrar(A)));
        return { ...byRegistrar('CANCEL_REGISTRATION', id), reason: '复查不合格' };
      },
      async refusal({ id }) {
        refusedWith(await graphql(url, CANCEL, { id }, registrar(B)), 'FORBIDDEN');
      },
      async outOfScope({ id }) {
        refusedOutOfScope(await graphql(url, CANCEL, { id }, registrarAt(A, B)));
      },
    },
    deferAdmission: {
      async success({ id }) {
        ok(await graphql(url, DEFER, { id, ref: 'hospital/1' }, registrar(A)));
        return { ...byRegistrar('DEFER_ADMISSION', id), reason: 'hospital/1' };
      },
      async refusal({ id }) {
        refusedWith(await graphql(url, DEFER, { id, ref: ' ' }, registrar(A)), 'POLICY_VIOLATION', 'ENR-10');
      },
      async outOfScope({ id }) {
        refusedOutOfScope(await graphql(url, DEFER, { id, ref: 'hospital/1' }, registrarAt(A, B)));
      },
    },
    readmitDeferred: {
      async prepare() {
        const fixture = await submit();
        ok(await graphql(url, DEFER, { id: fixture.id, ref: 'hospital/2' }, registrar(A)));
        return fixture;
      },
      async success({ id }) {
        ok(await graphql(url, READMIT, { id, ref: 'hospital/3' }, registrar(A)));
        return byRegistrar('READMIT_DEFERRED', id);
      },
      async refusal({ id }) {
        refusedWith(await graphql(url, READMIT, { id, ref: ' ' }, registrar(A)), 'POLICY_VIOLATION', 'ENR-10');
      },
      async outOfScope({ id }) {
        refusedOutOfScope(await graphql(url, READMIT, { id, ref: 'hospital/3' }, registrarAt(A, B)));
      },
    },
    recordTermRegistration: {
      async success() {
        const data = ok(
          await graphql<{ recordTermRegistration: number }>(url, TERM, { term: '2026-autumn' }, registrar(A)),
        );
        expect(data.recordTermRegistration).toBe(0);
        return byRegistrar('RECORD_TERM_REGISTRATION', '2026-autumn', 'term');
      },
      async refusal() {
        refusedWith(await graphql(url, TERM, { term: 'autumn' }, registrar(A)), 'BAD_USER_INPUT');
      },
      async outOfScope({ id }) {
        // School A's student, recorded by a token of school B carrying A's registrar's subject.
        const TERM_OF = `mutation ($ids: [ID!]!) { recordTermRegistration(studentIds: $ids, term: "2026-autumn") }`;
        refusedOutOfScope(await graphql(url, TERM_OF, { ids: [id] }, registrarAt(A, B)));
        const recorded = (await service.dataSource.query('SELECT 1 FROM term_registration WHERE student_id = $1', [
          id,
        ])) as unknown[];
        expect(recorded).toEqual([]);
      },
    },
    detectTermRegistrationLapses: {
      async success() {
        ok(await graphql(url, DETECT, {}, reviewer('110000')));
        return byReviewer('110000', 'DETECT_TERM_REGISTRATION_LAPSES', '2026-autumn', 'term');
      },
      async refusal() {
        refusedWith(await graphql(url, DETECT, {}, registrar(A)), 'FORBIDDEN');
      },
      // The ENR-17 check the system also runs on a schedule: it records every lapse it finds, the
      // same whoever starts it; it takes no school or region.
      outOfScope: 'none',
    },
    importOtherStatusRecords: {
      async success() {
        const data = ok(
          await graphql<{ importOtherStatusRecords: number }>(url, OTHER, { r: otherStatus(399) }, reviewer('220000')),
        );
        expect(data.importOtherStatusRecords).toBe(1);
        return byReviewer('220000', 'IMPORT_OTHER_STATUS', '*', 'other_status_record');
      },
      async refusal() {
        // A county reviewer: only the province imports these lists.
        refusedWith(await graphql(url, OTHER, { r: otherStatus(398) }, reviewer('220102')), 'FORBIDDEN');
      },
      // ENR-7 reference data: ID numbers holding another status, province-wide lists; no school scope.
      outOfScope: 'none',
    },
  };

  it('has a case for every mutation of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(mutationNames);
  });

  describe.each(mutationNames)('%s', (mutation) => {
    const prepare = () => (cases[mutation]!.prepare ?? submit)();

    it('writes exactly one audit row when it succeeds: who, role, what, which record', async () => {
      const fixture = await prepare();
      const before = (await auditRows(service.dataSource)).length;
      const expected = await cases[mutation]!.success(fixture);
      expect(await newRows(before)).toEqual([expect.objectContaining(expected)]);
    });

    it('writes none when it is refused', async () => {
      const fixture = await prepare();
      const before = (await auditRows(service.dataSource)).length;
      await cases[mutation]!.refusal(fixture);
      expect(await newRows(before)).toEqual([]);
    });

    const outOfScope = cases[mutation]!.outOfScope;
    if (outOfScope !== 'none') {
      it('is refused to a token of the same subject and another school or region, and writes nothing (issue 10)', async () => {
        const fixture = await prepare();
        const students = () => service.dataSource.query('SELECT * FROM student ORDER BY id') as Promise<unknown[]>;
        const schools = () => service.dataSource.query('SELECT * FROM school ORDER BY id') as Promise<unknown[]>;
        const [before, studentsBefore, schoolsBefore] = [
          (await auditRows(service.dataSource)).length,
          await students(),
          await schools(),
        ];
        await outOfScope(fixture);
        expect(await newRows(before)).toEqual([]);
        expect(await students()).toEqual(studentsBefore);
        expect(await schools()).toEqual(schoolsBefore);
      });
    }
  });

  it('a consumed event is one unit of work: one audit row naming the event', async () => {
    const { id } = await submit();
    ok(await graphql(url, APPROVE, { ids: [id] }, reviewer('220102')));
    const before = (await auditRows(service.dataSource)).length;
    const event = createEvent('xueji.status-change.status.changed.v1', id, {
      studentId: id,
      kind: 'MAJOR_CHANGE',
      effectiveDate: TODAY,
      previousStatus: 'ACTIVE',
      newStatus: 'ACTIVE',
      schoolId: A,
      regionCode: '220102',
      toMajorCode: '730301',
    });
    await deliverEvents(service, `${topicPrefix}xueji.status-change.events`, [event]);
    expect(await newRows(before)).toEqual([
      expect.objectContaining({
        actor: `xueji.status-change.status.changed.v1#${event.id}`,
        role: 'SYSTEM',
        action: 'APPLY_STATUS_CHANGE',
        entity: 'student',
        entityId: id,
      }),
    ]);
  });

  it('the scheduled ENR-17 step writes through the same command, and nothing when there is nothing to record', async () => {
    const env = {
      dataSource: service.dataSource,
      profile: loadPolicyProfile(PROFILE),
      topics: service.topics,
      logger: service.logger,
      ...fixedOrRealClock(TODAY, false),
    };
    ok(await graphql(url, DETECT, {}, reviewer('110000'))); // whatever had lapsed is recorded now
    let before = (await auditRows(service.dataSource)).length;
    expect(await termRegistrationLapses.run(env)).toBeNull();
    expect(await newRows(before)).toEqual([]);

    // A formal student who entered in the spring and has not registered for the autumn term.
    const { id } = await submit();
    ok(await graphql(url, APPROVE, { ids: [id] }, reviewer('220102')));
    await service.dataSource.query(`UPDATE student SET entry_date = '2026-03-01', intake = 'SPRING' WHERE id = $1`, [
      id,
    ]);
    before = (await auditRows(service.dataSource)).length;
    expect(await termRegistrationLapses.run(env)).toEqual({ term: '2026-autumn', lapsed: 1 });
    expect(await newRows(before)).toEqual([
      expect.objectContaining({
        actor: 'term-registration-lapses',
        role: 'SYSTEM',
        action: 'DETECT_TERM_REGISTRATION_LAPSES',
        entity: 'term',
        entityId: '2026-autumn',
      }),
    ]);
  });

  it('ADM-5: the registration roster export is audited once; a refused export is not', async () => {
    const EXPORT = `query ($id: ID!) { registrationRoster(schoolId: $id, entryYear: 2026) { rows } }`;
    let before = (await auditRows(service.dataSource)).length;
    ok(await graphql(url, EXPORT, { id: A }, reviewer('220100')));
    expect(await newRows(before)).toEqual([
      expect.objectContaining({
        actor: 'reviewer-220100',
        role: 'AUTHORITY_REVIEWER',
        action: 'EXPORT_REGISTRATION_ROSTER',
        entity: 'school',
        entityId: A,
      }),
    ]);
    before = (await auditRows(service.dataSource)).length;
    refusedWith(await graphql(url, EXPORT, { id: A }, registrar(B)), 'FORBIDDEN');
    expect(await newRows(before)).toEqual([]);
  });
});
