/** Re-exports for the sheet tests: the GraphQL client and a reviewer's token. */
import { graphql, tokenFor } from '@xueji/testkit';

export { graphql };
export const reviewerToken = (regionCode: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });
