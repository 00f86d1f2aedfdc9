import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The SQL statements a data source runs while `work` runs (BEGIN and COMMIT included): every
 * TypeORM query, repository call and transaction goes through a query runner of the data source.
 * Run with nothing else using the data source (no events arriving), or the count includes theirs.
 */
export async function countStatements<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const original = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>): QueryRunner => {
    const runner = original(...args);
    const query = runner.query.bind(runner);
    runner.query = ((...queryArgs: Parameters<QueryRunner['query']>) => {
      statements++;
      return query(...queryArgs);
    }) as QueryRunner['query'];
    return runner;
  };
  try {
    const result = await work();
    return { result, statements };
  } finally {
    dataSource.createQueryRunner = original;
  }
}
