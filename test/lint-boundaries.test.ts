/**
 * The boundaries the linter enforces (issue 9): the domain may not import I/O or the layers above
 * it, and a promise may not be left floating. Probe files are written beside real ones, linted with
 * the project's own configuration in one ESLint run, and removed.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const DOMAIN = 'services/status-change/src/domain';
const APPLICATION = 'services/status-change/src/application';

const probes: Record<string, string> = {
  [`${DOMAIN}/lint-probe-typeorm.ts`]: "import 'typeorm';\n",
  [`${DOMAIN}/lint-probe-db.ts`]: "import '@xueji/db';\n",
  [`${DOMAIN}/lint-probe-entity.ts`]: "import '../entities/change-request';\n",
  [`${DOMAIN}/lint-probe-application.ts`]: "import '../application';\n",
  [`${DOMAIN}/lint-probe-reads.ts`]: "import '../reads';\n",
  [`${DOMAIN}/lint-probe-pure.ts`]: "import { violation } from './rules';\n\nexport const v = violation;\n",
  [`${APPLICATION}/lint-probe-typeorm.ts`]: "import 'typeorm';\n",
  [`${APPLICATION}/lint-probe-floating.ts`]: 'export function f(): void {\n  Promise.resolve(1);\n}\n',
};

let broken: Record<string, string[]> = {};

beforeAll(() => {
  for (const [file, text] of Object.entries(probes)) writeFileSync(join(root, file), text);
  try {
    let output: string;
    try {
      output = execFileSync('npx', ['eslint', '-f', 'json', ...Object.keys(probes)], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit 1: problems found
    }
    const results = JSON.parse(output) as { filePath: string; messages: { ruleId: string | null }[] }[];
    broken = Object.fromEntries(
      results.map((r) => [r.filePath.slice(root.length + 1), r.messages.map((m) => m.ruleId ?? 'parse')]),
    );
  } finally {
    for (const file of Object.keys(probes)) rmSync(join(root, file), { force: true });
  }
}, 120_000);

it.each(['typeorm', 'db', 'entity', 'application', 'reads'])('the domain may not import %s', (probe) => {
  expect(broken[`${DOMAIN}/lint-probe-${probe}.ts`]).toContain('no-restricted-imports');
});

it('the domain may import its own pure rules; the application may import typeorm', () => {
  expect(broken[`${DOMAIN}/lint-probe-pure.ts`]).toEqual([]);
  expect(broken[`${APPLICATION}/lint-probe-typeorm.ts`]).toEqual([]);
});

it('a floating promise is refused', () => {
  expect(broken[`${APPLICATION}/lint-probe-floating.ts`]).toContain('@typescript-eslint/no-floating-promises');
});
