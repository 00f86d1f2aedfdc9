/**
 * Students as the gateway reads them: a list of students from enrolment resolved in one `_entities`
 * call costs what one student costs, whatever fields it selects.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  countStatements,
  createTestDatabase,
  dropTestDatabase,
  graphql,
  resolveStudents,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { In } from 'typeorm';
import { Student } from '../src/entities/student';
import { studentsById } from '../src/reads/students';
import { enrolment, SCHEMA_PATH } from '../src/service';

const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_PATH, 'utf8')) });

/** Every field of a type, object fields with every field of theirs, down to `depth` levels. */
function everyField(type: GraphQLObjectType, depth: number): string {
  return Object.values(type.getFields())
    .flatMap((field) => {
      const named = getNamedType(field.type);
      if (!isObjectType(named)) return [field.name];
      return depth > 1 ? [`${field.name} { ${everyField(named, depth - 1)} }`] : [];
    })
    .join(' ');
}

describe('Student fields resolved in batches (real PostgreSQL and Kafka)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let A: string;
  const ids: string[] = [];
  const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('enrolment_students');
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false, today: TEST_TODAY }),
    );
    const teachingPoints = [{ name: '双阳教学点', regionCode: '220112' }];
    [A] = (await seedSchools(service, [school('S01', '220102', { teachingPoints })])) as [string];
    const [point] = (await service.dataSource.query('SELECT id FROM teaching_point WHERE school_id = $1', [A])) as {
      id: string;
    }[];
    const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: A });
    for (let n = 0; n < 100; n++) {
      // Every student has a major, its category and a teaching point, so one costs what any costs.
      const input = registration(A, '220102', 200 + n, {
        majorCode: n % 2 ? '710201' : '730301',
        teachingPointId: point!.id,
      });
      const submitted = await graphql<{ submitRegistration: { id: string } }>(
        service.url,
        SUBMIT,
        { input },
        registrar,
      );
      expect(submitted.errors).toBeUndefined();
      ids.push(submitted.data!.submitRegistration.id);
    }
    const approved = await graphql<{ approveRegistrations: { decided: unknown[] } }>(
      service.url,
      APPROVE,
      { ids: ids.slice(0, 50) },
      reviewer,
    );
    expect(approved.data?.approveRegistrations.decided).toHaveLength(50);
  });

  afterAll(async () => {
    await service?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('reads students in plain SQL exactly as TypeORM finds them with their school (issue 13)', async () => {
    const plain = await studentsById(service.dataSource, ids);
    const found = await service.dataSource
      .getRepository(Student)
      .find({ where: { id: In(ids) }, relations: { school: true } });
    expect(found).toHaveLength(100);
    const byId = new Map(plain.map((s) => [s.id, s]));
    for (const student of found) expect(byId.get(student.id)).toEqual({ ...student, school: { ...student.school } });
    // Both kinds of row: decided (a timestamp) and waiting (null); dates as TypeORM's text.
    expect(plain.filter((s) => s.decidedAt instanceof Date)).toHaveLength(50);
    expect(plain.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.birthDate))).toBe(true);
  });

  it('resolves 100 students in one _entities call, every field, for what one student costs', async () => {
    const selection = everyField(schema.getType('Student') as GraphQLObjectType, 4);
    expect(selection).toMatch(/major \{.*category \{/);
    expect(selection).toMatch(/school \{.*approvedMajors \{.*teachingPoints \{.*headcount \{/);
    const one = await countStatements(service.dataSource, () =>
      resolveStudents(service.url, reviewer, ids.slice(0, 1), selection),
    );
    const hundred = await countStatements(service.dataSource, () =>
      resolveStudents(service.url, reviewer, ids, selection),
    );
    expect(one.result.errors).toBeUndefined();
    expect(hundred.result.errors).toBeUndefined();
    const students = hundred.result.data!._entities as {
      id: string;
      major: { category: { code: string } };
      teachingPoint: { name: string };
      school: { id: string; teachingPoints: unknown[]; headcount: { registered: number } };
    }[];
    expect(students.map((s) => s.id)).toEqual(ids);
    expect(students[1]).toMatchObject({
      major: { category: { code: '71' } },
      teachingPoint: { name: '双阳教学点' },
      school: { id: A, teachingPoints: [expect.anything()], headcount: { registered: 50 } },
    });
    expect(hundred.statements).toBe(one.statements);
    expect(hundred.statements).toBeLessThanOrEqual(10);
  });
});
