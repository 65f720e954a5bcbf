/**
 * The two import rules the architecture depends on (docs/ARCHITECTURE.md):
 * 1. a module imports another module only through that module's `public.ts`;
 * 2. `src/platform` imports neither `src/http` nor any module;
 * 3. no module imports the module list (`src/modules/index.ts`): the list imports the modules, never the reverse
 *    (reports takes the list as an argument instead);
 * 4. every module has the same inner shape (`findShapeViolations`): the entries below at its top level and no others.
 * Prints each offending import or entry and exits 1, or says how many files it read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ImportViolation {
  file: string;
  line: number;
  target: string;
  rule: string;
}

const SOURCE = /\.(ts|tsx)$/;
const IMPORT = /(?:^|\s)(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : SOURCE.test(name) ? [full] : [];
  });
}

/** The module a path belongs to (`src/modules/<name>/…`), or null. */
function moduleOf(rel: string): string | null {
  const m = /^src\/modules\/([^/]+)\//.exec(rel);
  return m ? m[1] : null;
}

export function findImportViolations(root: string): { files: number; violations: ImportViolation[] } {
  const files = walk(path.join(root, 'src'));
  const violations: ImportViolation[] = [];
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    // whole-text matching: a formatter may spread one import over several lines
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) continue;
      const line = text.slice(0, (m.index ?? 0) + m[0].indexOf(spec)).split('\n').length;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      const from = moduleOf(rel);
      const to = moduleOf(target);
      if (rel.startsWith('src/platform/') && (target.startsWith('src/http/') || target.startsWith('src/modules/'))) {
        violations.push({ file: rel, line, target, rule: 'src/platform must not import src/http or a module' });
      } else if (from && /^src\/modules\/index\.(js|ts)$/.test(target)) {
        violations.push({ file: rel, line, target, rule: 'a module must not import the module list' });
      } else if (rel === 'src/modules/index.ts' && /^src\/modules\/[^/]+\/index\.(js|ts)$/.test(target)) {
        // the list of modules is the one place that reaches each module's AppModule
      } else if (to && to !== from && !/^src\/modules\/[^/]+\/public\.(js|ts)$/.test(target)) {
        violations.push({ file: rel, line, target, rule: `import module "${to}" only through its public.ts` });
      }
    }
  }
  return { files: files.length, violations };
}

/** What every module has at its top level (one of each group). */
const REQUIRED: readonly (readonly string[])[] = [
  ['README.md'],
  ['index.ts'],
  ['public.ts'],
  ['service.ts', 'service/'],
  ['repo.ts', 'repo/'],
  ['routes/'],
  ['views/'],
  ['i18n.ts'],
  ['permissions.ts'],
  ['migrations/'],
];
/** Every entry a module may have at its top level: the required ones and the optional ones. */
const KNOWN = new Set([...REQUIRED.flat(), 'cli.ts', 'jobs.ts', 'demo.ts', 'demo/', 'assets/']);
/** Extra message catalogs beside i18n.ts. */
const EXTRA_CATALOG = /^i18n-[a-z-]+\.ts$/;

export interface ShapeViolation {
  module: string;
  entry: string;
  rule: string;
}

/** Entries missing from, or not allowed at, the top of each `src/modules/<name>/`. */
export function findShapeViolations(root: string): { modules: number; violations: ShapeViolation[] } {
  const dir = path.join(root, 'src', 'modules');
  const names = readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory());
  const violations: ShapeViolation[] = [];
  for (const name of names) {
    const entries = readdirSync(path.join(dir, name)).map((e) =>
      statSync(path.join(dir, name, e)).isDirectory() ? `${e}/` : e,
    );
    for (const options of REQUIRED) {
      if (!options.some((o) => entries.includes(o)))
        violations.push({ module: name, entry: options.join(' or '), rule: 'missing' });
    }
    for (const e of entries) {
      if (!KNOWN.has(e) && !EXTRA_CATALOG.test(e))
        violations.push({ module: name, entry: e, rule: 'not part of the module shape (docs/ARCHITECTURE.md)' });
    }
  }
  return { modules: names.length, violations };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, violations } = findImportViolations(process.cwd());
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.target} — ${v.rule}`);
  const shape = findShapeViolations(process.cwd());
  for (const v of shape.violations) console.error(`src/modules/${v.module}/${v.entry} — ${v.rule}`);
  if (violations.length) console.error(`${violations.length} import(s) break the module boundaries.`);
  if (shape.violations.length) console.error(`${shape.violations.length} entries break the module shape.`);
  if (violations.length || shape.violations.length) process.exit(1);
  console.log(`imports: ${files} files follow the module boundaries; ${shape.modules} modules have the module shape.`);
}
