import 'reflect-metadata';
import { Client, type Pool, type QueryResult } from 'pg';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Connection pool size. */
  poolSize?: number;
  applicationName?: string;
}

/**
 * A service's TypeORM data source: PostgreSQL, versioned migrations, never `synchronize` —
 * the schema changes only through a migration that is reviewed and committed.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as errors to the caller; TypeORM's own log would print their parameters (ADM-5).
    logging: false,
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName },
  });
}

/** Connect and bring the schema up to date. */
export async function openDataSource(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** Create the database named in `url` if it does not exist (development and tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to create database with unusual name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // Another process created it between our check and our create.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** PostgreSQL error code of a failed query (e.g. `23505` unique violation), if any. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

/** Anything that runs SQL: the data source, or the manager of an open transaction. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a query, typed: the one place where the driver's untyped rows take the row type a
 * read declares. An UPDATE or DELETE … RETURNING (which TypeORM answers as `[rows, count]`) gives
 * its rows too.
 */
export async function selectRows<Row>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<Row[]> {
  const pool = poolUnder(db);
  if (pool) return ((await pool.query(sql, parameters)) as QueryResult).rows as Row[];
  const result = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Row[];
  }
  return result as Row[];
}

/**
 * The connection pool under a data source (not a transaction's manager, which must keep its own
 * connection): a read outside a transaction goes to it straight, without TypeORM's query runner,
 * which cost about 40 µs of CPU a query on the federated student read (issue 13).
 */
function poolUnder(db: Queryable): Pool | null {
  if (!(db instanceof DataSource) || !db.isInitialized) return null;
  const master = (db.driver as { master?: Pool }).master;
  return typeof master?.query === 'function' ? master : null;
}

/** The first row of a query, or null. */
export async function selectOne<Row>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<Row | null> {
  return (await selectRows<Row>(db, sql, parameters))[0] ?? null;
}

/** Positional parameters of one SQL statement, numbered as they are added. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const columnLists = new WeakMap<object, Map<string, string>>();

/**
 * An entity's columns for a plain-SQL read, each under its property name (`s."birth_date"::text AS
 * "birthDate"`), so the rows come back shaped as TypeORM would hydrate them without its query
 * building and hydration (issue 13: 19% of enrolment's CPU on the federated student read). A `date`
 * is read as text (`YYYY-MM-DD`), as TypeORM gives it; timestamps, numbers and booleans come from pg
 * as TypeORM passes them on. An entity with a column transformer is refused: its values would differ.
 * `prefix` names a joined relation's columns (`school.`), which `nestRelation` folds back into an object.
 */
export function entityColumnsSql(
  dataSource: DataSource,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function,
  alias: string,
  prefix = '',
): string {
  let lists = columnLists.get(entity);
  if (!lists) columnLists.set(entity, (lists = new Map<string, string>()));
  const key = `${alias}\u0000${prefix}`;
  let list = lists.get(key);
  if (list === undefined) {
    const metadata = dataSource.getMetadata(entity);
    list = metadata.columns
      .map((column) => {
        if (column.transformer) throw new Error(`${metadata.name}.${column.propertyName} has a transformer`);
        const cast = column.type === 'date' ? '::text' : '';
        return `${alias}."${column.databaseName}"${cast} AS "${prefix}${column.propertyName}"`;
      })
      .join(', ');
    lists.set(key, list);
  }
  return list;
}

/** A row read with `entityColumnsSql(…, 'school.')`: the `school.*` columns folded into `row.school`. */
export function nestRelation<Row>(row: Record<string, unknown>, relation: string): Row {
  const lead = `${relation}.`;
  const nested: Record<string, unknown> = {};
  const out: Record<string, unknown> = { [relation]: nested };
  for (const key in row) {
    if (key.startsWith(lead)) nested[key.slice(lead.length)] = row[key];
    else out[key] = row[key];
  }
  return out as Row;
}
