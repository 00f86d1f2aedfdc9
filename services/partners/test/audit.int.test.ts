/**
 * Every write is one audited unit of work: each mutation of the schema, called once with success and
 * once refused, leaves exactly one new audit row (who, role, what, which record) or none; so does a
 * consumed partner event. The secret never reaches the audit row.
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { auditRows, graphql, mutationNamesOf, ok, refusedWith, tokenFor, type GraphQLResponse } from '@xueji/testkit';
import { SCHEMA_PATH } from '../src/service';
import { admin, register, registered, startPartners, STATUS_TYPE, statusChanged, type Running } from './support';

const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
// Nothing listens there (the discard port): deliveries fail at once, nothing leaves the machine.
const ENDPOINT = 'http://127.0.0.1:9/hooks';

interface Case {
  success(): Promise<{ response: GraphQLResponse; entityId: string }>;
  refusal(): Promise<{ response: GraphQLResponse; code: string }>;
}

describe('the audit of every write (real PostgreSQL and Kafka)', () => {
  let p: Running;
  beforeAll(async () => {
    p = await startPartners('audit');
  });
  afterAll(() => p?.stop());

  const partnerId = async (paused = false) => {
    const { partner } = await registered(p.url, { endpointUrl: ENDPOINT });
    if (paused) ok(await call('pausePartner', partner.id));
    return partner.id;
  };
  const call = (name: string, id: string, extra = '', variables: Record<string, unknown> = {}, token = admin) =>
    graphql(
      p.url,
      `mutation ($id: ID!${extra ? `, ${extra}` : ''}) { ${name}(partnerId: $id${extra ? ', from: $from' : ''}) { __typename } }`,
      { id, ...variables },
      token,
    );

  const CASES: Record<string, Case> = {
    registerPartner: {
      success: async () => {
        const response = await register(p.url, { endpointUrl: ENDPOINT });
        return { response, entityId: (response.data?.registerPartner.partner.id as string) ?? '' };
      },
      refusal: async () => ({ response: await register(p.url, { endpointUrl: 'ftp://x' }), code: 'BAD_USER_INPUT' }),
    },
    updatePartner: {
      success: async () => {
        const id = await partnerId();
        const response = await graphql(
          p.url,
          `
            mutation ($input: UpdatePartnerInput!) {
              updatePartner(input: $input) {
                id
              }
            }
          `,
          { input: { partnerId: id, regionCode: '220000' } },
          admin,
        );
        return { response, entityId: id };
      },
      refusal: async () => ({
        response: await graphql(
          p.url,
          `
            mutation ($input: UpdatePartnerInput!) {
              updatePartner(input: $input) {
                id
              }
            }
          `,
          { input: { partnerId: randomUUID(), regionCode: '220000' } },
          admin,
        ),
        code: 'NOT_FOUND',
      }),
    },
    pausePartner: {
      success: async () => {
        const id = await partnerId();
        return { response: await call('pausePartner', id), entityId: id };
      },
      refusal: async () => ({ response: await call('pausePartner', await partnerId(true)), code: 'CONFLICT' }),
    },
    resumePartner: {
      success: async () => {
        const id = await partnerId(true);
        return { response: await call('resumePartner', id), entityId: id };
      },
      refusal: async () => ({ response: await call('resumePartner', await partnerId()), code: 'CONFLICT' }),
    },
    replayPartnerDeliveries: {
      success: async () => {
        const id = await partnerId();
        const response = await call('replayPartnerDeliveries', id, '$from: DateTime!', {
          from: '2026-01-01T00:00:00Z',
        });
        return { response, entityId: id };
      },
      refusal: async () => ({
        response: await call('replayPartnerDeliveries', await partnerId(), '$from: DateTime!', {
          from: '2999-01-01T00:00:00Z',
        }),
        code: 'BAD_USER_INPUT',
      }),
    },
    retryDeadLetteredDeliveries: {
      success: async () => {
        const id = await partnerId();
        return { response: await call('retryDeadLetteredDeliveries', id), entityId: id };
      },
      refusal: async () => ({
        response: await call('retryDeadLetteredDeliveries', await partnerId(), '', {}, reviewer),
        code: 'FORBIDDEN',
      }),
    },
  };

  it('covers every mutation of the schema', () => {
    expect(Object.keys(CASES).sort()).toEqual(mutationNamesOf(SCHEMA_PATH));
  });

  it.each(Object.keys(CASES))('%s: one audit row on success, none on refusal', async (name) => {
    const c = CASES[name]!;
    const before = (await auditRows(p.service.dataSource)).length;
    const { response, entityId } = await c.success();
    ok(response);
    const rows = (await auditRows(p.service.dataSource)).slice(before);
    expect(
      rows.filter((r) => r.entityId === entityId && r.actor === 'admin-1' && r.role === 'ADMINISTRATOR'),
    ).toHaveLength(rows.filter((r) => r.entityId === entityId).length);
    expect(rows.at(-1)).toMatchObject({ entity: 'partner', entityId, actor: 'admin-1', role: 'ADMINISTRATOR' });

    const { response: refused, code } = await c.refusal();
    const middle = (await auditRows(p.service.dataSource)).length;
    // The refusal's own preparation (registering) is audited; the refused call is not.
    refusedWith(refused, code);
    expect((await auditRows(p.service.dataSource)).length).toBe(middle);
  });

  it('refuses every role but the administrator, and keeps the secret out of the audit', async () => {
    refusedWith(await register(p.url, { endpointUrl: ENDPOINT }, reviewer), 'FORBIDDEN');
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const given = await registered(p.url, { endpointUrl: ENDPOINT, secret });
    expect(given.secret).toBe(secret);
    const details = await selectRows<{ details: unknown }>(p.service.dataSource, `SELECT details FROM audit_entry`);
    expect(JSON.stringify(details)).not.toContain(secret.slice(6));
    // Never shown again.
    const view = await graphql(
      p.url,
      `
        {
          partners(first: 100) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      admin,
    );
    expect(JSON.stringify(view)).not.toContain(secret.slice(6));
    refusedWith(await register(p.url, { endpointUrl: ENDPOINT, eventTypes: [] }), 'BAD_USER_INPUT');
    refusedWith(
      await register(p.url, { endpointUrl: ENDPOINT, eventTypes: ['xueji.enrolment.student.registered.v1'] }),
      'BAD_USER_INPUT',
    );
    refusedWith(await register(p.url, { endpointUrl: ENDPOINT, regionCode: '22' }), 'BAD_USER_INPUT');
    refusedWith(await register(p.url, { endpointUrl: ENDPOINT, secret: 'whsec_short' }), 'BAD_USER_INPUT');
  });

  it('lists partners in registration order, page by page', async () => {
    const page = async (after?: string | null) =>
      ok(
        await graphql<{
          partners: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
        }>(
          p.url,
          `
            query ($after: String) {
              partners(first: 2, after: $after) {
                edges {
                  node {
                    id
                  }
                }
                pageInfo {
                  endCursor
                  hasNextPage
                }
              }
            }
          `,
          { after },
          admin,
        ),
      ).partners;
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const next = await page(after);
      ids.push(...next.edges.map((e) => e.node.id));
      if (!next.pageInfo.hasNextPage) break;
      after = next.pageInfo.endCursor;
    }
    const all = await selectRows<{ id: string }>(
      p.service.dataSource,
      `SELECT id FROM partner ORDER BY registered_at, id`,
    );
    expect(ids).toEqual(all.map((r) => r.id));
  });

  it('a consumed partner event: one audit row naming it, logged once even when sent twice', async () => {
    const event = statusChanged(randomUUID(), '220102');
    await p.publish(event, event);
    const rows = (await auditRows(p.service.dataSource)).filter((r) => r.entityId === event.id);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'RECORD_PARTNER_EVENT', actor: `${STATUS_TYPE}#${event.id}`, role: 'SYSTEM' }),
    ]);
    const logged = await selectRows(p.service.dataSource, `SELECT seq FROM partner_event WHERE event_id = $1`, [
      event.id,
    ]);
    expect(logged).toHaveLength(1);
  });
});
