import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findImportViolations, findShapeViolations } from '../../scripts/check-imports.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'caunoi-imports-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('module boundaries (scripts/check-imports.ts, also run by npm run lint)', () => {
  it('the project follows them', () => {
    const { files, violations } = findImportViolations(process.cwd());
    expect(files).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  });

  it("refuses a module reaching into another module's files, the platform reaching up, and a module importing the module list", () => {
    const root = tree({
      'src/modules/a/service.ts': [
        "import { x } from '../b/public.js';",
        "import { y } from '../b/repo.js';",
        "export { z } from '../b/service/inner.js';",
        'import {',
        '  spread,',
        '  over,',
        "} from '../c/views/lines.js';",
        "import { own } from './repo.js';",
      ].join('\n'),
      'src/modules/b/public.ts': "import { helper } from '../../platform/util.js';",
      'src/modules/b/index.ts': "import { modules } from '../index.js';",
      'src/modules/index.ts': "import { aModule } from './a/index.js';",
      'src/platform/util.ts':
        "import type { Ctx } from '../http/context.js';\nconst m = await import('../modules/a/public.js');",
    });
    const { violations } = findImportViolations(root);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.target}`)).toEqual([
      'src/modules/a/service.ts:2 src/modules/b/repo.js',
      'src/modules/a/service.ts:3 src/modules/b/service/inner.js',
      'src/modules/a/service.ts:7 src/modules/c/views/lines.js',
      'src/modules/b/index.ts:1 src/modules/index.js',
      'src/platform/util.ts:1 src/http/context.js',
      'src/platform/util.ts:2 src/modules/a/public.js',
    ]);
  });
});

describe('module shape (scripts/check-imports.ts, also run by npm run lint)', () => {
  it('every module of the project has it', () => {
    const { modules, violations } = findShapeViolations(process.cwd());
    expect(modules).toBeGreaterThanOrEqual(7);
    expect(violations).toEqual([]);
  });

  it('names a missing part and a file outside the shape, and accepts the optional parts', () => {
    const whole = ['README.md', 'index.ts', 'public.ts', 'repo.ts', 'i18n.ts', 'permissions.ts'];
    const dirs = ['service/x.ts', 'routes/x.ts', 'views/x.tsx', 'migrations/001.sql'];
    const files: Record<string, string> = {};
    for (const f of [...whole, ...dirs, 'cli.ts', 'jobs.ts', 'demo/index.ts', 'assets/a.css', 'i18n-setup.ts'])
      files[`src/modules/good/${f}`] = '';
    for (const f of [...whole.filter((f) => f !== 'public.ts'), ...dirs, 'lunar.ts', 'match/index.ts'])
      files[`src/modules/bad/${f}`] = '';
    const { violations } = findShapeViolations(tree(files));
    expect(violations.map((v) => `${v.module}/${v.entry}: ${v.rule.split(' ')[0]}`).sort()).toEqual([
      'bad/lunar.ts: not',
      'bad/match/: not',
      'bad/public.ts: missing',
    ]);
  });
});
