import { maskIdentity, type Principal } from '@xueji/auth';
import { exportEligibilityRoster } from '../application/export-eligibility-roster';
import type { Resolvers, ResolversTypes } from '../generated/resolvers-types';
import { rosterCursor, rosterPage, type RosterRow } from '../reads/roster';

/** ADM-5: a student number derived from the ID number (ENR-6/ENR-11) is masked for who may not read it. */
const toEntry = (r: RosterRow, principal: Principal | null): ResolversTypes['EligibilityRosterEntry'] => ({
  student: { __typename: 'Student', id: r.student_id },
  studentId: r.student_id,
  studentNumber: maskIdentity(principal, r.student_number),
  name: r.name,
  schoolId: r.school_id,
  schoolName: r.school_name,
  period: r.period,
  grantEligible: r.grant_eligible,
  waiverEligible: r.waiver_eligible,
  unmetRules: r.unmet_rules,
  grantAmountCny: r.grant_eligible && r.amount_cny ? Number(r.amount_cny) : 0,
  entitlementState: r.entitlement_state,
  fraudSignals: r.signals,
  decidedAt: r.decided_at,
});

export const rosterResolvers: Pick<Resolvers, 'Query' | 'EligibilityRoster'> = {
  Query: {
    /** A period's roster, sorted by student number, paged by a keyset cursor; totals cover the whole filter. */
    eligibilityRoster: (_, { filter, first, after }, ctx) =>
      rosterPage(ctx.dataSource, ctx.principal, filter, first, after),
    /** The whole roster as .xlsx: an audited export (ADM-5). */
    eligibilityRosterFile: async (_, { filter }, ctx) => {
      const file = await exportEligibilityRoster.execute(ctx, { filter });
      return {
        fileName: file.fileName,
        contentType: file.contentType,
        contentBase64: file.content.toString('base64'),
        rows: file.rows,
      };
    },
  },
  EligibilityRoster: {
    period: (page) => page.period,
    entries: (page, _, ctx) => page.rows.map((r) => toEntry(r, ctx.principal)),
    nextCursor: (page) => (page.hasMore ? rosterCursor(page.rows[page.rows.length - 1]!) : null),
    // The totals cost a pass over the whole filter: only when asked for (a client paging skips them).
    totalCount: async (page) => (await page.totals()).total,
    grantEligibleCount: async (page) => (await page.totals()).grant,
    waiverEligibleCount: async (page) => (await page.totals()).waiver,
    grantTotalCny: async (page) => Number((await page.totals()).grant_total),
  },
};
