/**
 * A full roster fits the request (issue 10, "Resource abuse"): 20,000 rows (MAX_ROSTER_ROWS) in
 * the layout schools use, in Base64, are within the file field's limit, and that limit is within
 * the gateway's body limit — so a full roster is accepted, and a larger file is refused naming the
 * field (BAD_USER_INPUT) rather than as a bare 413.
 */
import { GATEWAY_BODY_LIMIT_BYTES, SUBGRAPH_BODY_LIMIT_BYTES } from '@xueji/graphql-limits';
import { TEXT_LIMITS } from '@xueji/rules';
import { rosterRow } from '../../../test/support/roster-rows';
import { buildRosterFile, MAX_ROSTER_ROWS } from '../src/roster';

jest.setTimeout(60_000);

const IMPORT = `mutation ($input: RosterImportInput!) { importRoster(input: $input) { rows registered rejected } }`;

it('a full roster in Base64 is within the file field’s limit, which is within the body limits', async () => {
  const rows = Array.from({ length: MAX_ROSTER_ROWS }, (_, i) => rosterRow(i));
  const file = await buildRosterFile(rows, 'xlsx');
  const contentBase64 = file.toString('base64');
  expect(contentBase64.length).toBeLessThanOrEqual(TEXT_LIMITS.fileBase64.max);

  const body = JSON.stringify({
    query: IMPORT,
    variables: { input: { schoolId: '00000000-0000-4000-8000-000000000000', fileName: '名单.xlsx', contentBase64 } },
  });
  expect(Buffer.byteLength(body)).toBeLessThanOrEqual(GATEWAY_BODY_LIMIT_BYTES);
  // The field's limit is reachable: a request at it, with its operation, still fits the body limit.
  expect(TEXT_LIMITS.fileBase64.max + 64 * 1024).toBeLessThanOrEqual(GATEWAY_BODY_LIMIT_BYTES);
  expect(GATEWAY_BODY_LIMIT_BYTES).toBeLessThan(SUBGRAPH_BODY_LIMIT_BYTES);
});
