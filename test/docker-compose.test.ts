import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  allTopics,
  DEV_GATEWAY_SECRET,
  DEV_JWT_SECRET,
  GATEWAY_PORT,
  SERVICE_ENV_KEYS,
  SERVICE_NAMES,
  SERVICES,
} from '@xueji/config';
import { TRACING_ENV_KEYS } from '@xueji/tracing';

// No Docker engine runs here, so the compose file is checked against the code's configuration.
const root = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      environment?: Record<string, unknown>;
      ports?: string[];
      build?: { args?: Record<string, string> };
      image?: string;
    }
  >;
};

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Kafka, every subgraph and the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['gateway', 'kafka', 'kafka-topics', 'postgres', ...SERVICE_NAMES].sort(),
    );
    expect(compose.services.kafka!.image).toMatch(/^apache\/kafka:4\.1\.1$/);
  });

  it.each(SERVICE_NAMES)('%s: its port, build and environment match the service catalogue', (name) => {
    const service = compose.services[name]!;
    const port = SERVICES[name].port;
    expect(service.build?.args?.SERVICE).toBe(`services/${name}`);
    expect(Number(service.environment?.PORT)).toBe(port);
    expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    for (const key of Object.keys(service.environment ?? {})) {
      expect([...SERVICE_ENV_KEYS, ...TRACING_ENV_KEYS]).toContain(key);
    }
    // Traces follow the deployment's collector when one is given (issue 14), and are off otherwise.
    expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
    expect(String(service.environment?.XUEJI_JWT_SECRET)).toContain(DEV_JWT_SECRET);
    expect(String(service.environment?.XUEJI_GATEWAY_SECRET)).toContain(DEV_GATEWAY_SECRET);
  });

  it('points the gateway at every subgraph by its catalogue port', () => {
    const gateway = compose.services.gateway!;
    expect(Number(gateway.environment?.PORT)).toBe(GATEWAY_PORT);
    // The secret the subgraphs require, from the same variable.
    expect(gateway.environment?.XUEJI_GATEWAY_SECRET).toBe(
      compose.services.enrolment!.environment?.XUEJI_GATEWAY_SECRET,
    );
    for (const name of SERVICE_NAMES) {
      const key = `SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`;
      expect(gateway.environment?.[key]).toBe(`http://${name}:${SERVICES[name].port}/graphql`);
    }
    // The gateway's spans start the traces the subgraphs' join.
    expect(gateway.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
  });

  it('creates every service database and every topic the code expects', () => {
    const sql = readFileSync(path.join(root, 'infra/docker/init-databases.sql'), 'utf8');
    for (const name of SERVICE_NAMES) expect(sql).toContain(`CREATE DATABASE ${SERVICES[name].database};`);
    const topics = readFileSync(path.join(root, 'infra/topics.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => {
        const [name, partitions] = l.trim().split(/\s+/);
        return { name, partitions: Number(partitions) };
      });
    expect(topics).toEqual(allTopics());
  });
});
