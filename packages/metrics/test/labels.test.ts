import { BoundedLabel, createMetricsRegistry, RequestMetrics, stripQueryPlanSuffix } from '@xueji/metrics';

describe('bounded labels', () => {
  it('keeps client-chosen operation names to a safe pattern and at most `max` distinct values', () => {
    const label = new BoundedLabel({ max: 3 });
    expect(label.value('Withdraw')).toBe('Withdraw');
    expect(label.value('student_list2')).toBe('student_list2');
    expect(label.value(undefined)).toBe('anonymous');
    expect(label.value('')).toBe('anonymous');
    // Not a GraphQL name (quotes, braces, spaces, a leading digit, too long): never a label value.
    expect(label.value('x"} evil{')).toBe('other');
    expect(label.value('3d')).toBe('other');
    expect(label.value('A'.repeat(101))).toBe('other');
    expect(label.size).toBe(3);
    // Full: new names are `other`, names already seen keep their own label.
    expect(label.value('Another')).toBe('other');
    expect(label.value('Withdraw')).toBe('Withdraw');
  });

  it('a client sending thousands of names makes at most ~200 series', async () => {
    const registry = createMetricsRegistry('test');
    const metrics = new RequestMetrics(registry);
    for (let i = 0; i < 5000; i++) metrics.record(`Op${i}`, i % 2 ? 'OK' : 'FORBIDDEN', 0.001);
    const text = await registry.metrics();
    const operations = new Set(
      [...text.matchAll(/^xueji_graphql_request_duration_seconds_count\{[^}]*operation="([^"]+)"/gm)].map((m) => m[1]),
    );
    expect(operations.size).toBe(201); // 200 names and `other`
    expect(text).toMatch(/xueji_graphql_requests_total\{operation="other",code="OK",service="test"\} 2400/);
  });

  it('codes are bounded too, and a request without error counts as OK', async () => {
    const registry = createMetricsRegistry('test');
    const metrics = new RequestMetrics(registry);
    metrics.record('Withdraw', undefined, 0.02);
    metrics.record('Withdraw', 'POLICY_VIOLATION', 0.2);
    metrics.record('Withdraw', 'not a code', 0.2);
    const text = await registry.metrics();
    expect(text).toContain('xueji_graphql_requests_total{operation="Withdraw",code="OK",service="test"} 1');
    expect(text).toContain(
      'xueji_graphql_requests_total{operation="Withdraw",code="POLICY_VIOLATION",service="test"} 1',
    );
    expect(text).toContain('xueji_graphql_requests_total{operation="Withdraw",code="OTHER",service="test"} 1');
    expect(text).toContain(
      'xueji_graphql_request_duration_seconds_bucket{operation="Withdraw",le="0.025",service="test"} 1',
    );
    expect(text).toContain(
      'xueji_graphql_request_duration_seconds_bucket{operation="Withdraw",le="+Inf",service="test"} 3',
    );
    expect(text).toContain('xueji_graphql_request_duration_seconds_count{operation="Withdraw",service="test"} 3');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="test"\} /m); // default process metrics
  });

  it("a subgraph labels the gateway's query-plan operations by the client's name", () => {
    const strip = stripQueryPlanSuffix('status-change');
    expect(strip('Withdraw__status_change__0')).toBe('Withdraw');
    expect(strip('My__Op__status_change__12')).toBe('My__Op');
    expect(strip('Withdraw')).toBe('Withdraw');
    expect(strip('Withdraw__subsidy__0')).toBe('Withdraw__subsidy__0');
  });
});
