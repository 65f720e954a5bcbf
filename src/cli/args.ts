/** Flags that never take a value, so `--dry-run FILE` keeps FILE as an argument. */
export const BOOLEAN_FLAGS = new Set(['dry-run', 'force', 'yes', 'json', 'help', 'init']);

/** Flags that may be given more than once (`--email a --email b`): their values are joined with commas. */
export const REPEATABLE_FLAGS = new Set(['email']);

/** `--email a@b --force x y` → { flags: { email: 'a@b', force: true }, args: ['x', 'y'] } */
export function parseArgs(argv: string[]): { args: string[]; flags: Record<string, string | boolean> } {
  const args: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      const prev = flags[k];
      if (inline !== undefined) flags[k] = inline;
      else if (!BOOLEAN_FLAGS.has(k) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
      else flags[k] = true;
      if (REPEATABLE_FLAGS.has(k) && typeof prev === 'string' && typeof flags[k] === 'string')
        flags[k] = `${prev},${flags[k]}`;
    } else args.push(a);
  }
  return { args, flags };
}

/** Flags whose value is a file name. */
export const FILE_FLAGS = new Set(['mapping', 'file', 'out', 'passphrase-file', 'identity', 'anchors']);

/**
 * Makes file arguments absolute (a running server that executes the command may have another
 * working directory): positional arguments after the command name and the values of FILE_FLAGS.
 */
export function absolutiseFiles(argv: string[], resolve: (p: string) => string): string[] {
  const out = [...argv];
  for (let i = 1; i < out.length; i++) {
    const a = out[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) {
        if (FILE_FLAGS.has(k) && inline) out[i] = `--${k}=${resolve(inline)}`;
      } else if (!BOOLEAN_FLAGS.has(k) && i + 1 < out.length && !out[i + 1].startsWith('--')) {
        if (FILE_FLAGS.has(k)) out[i + 1] = resolve(out[i + 1]);
        i++;
      }
    } else out[i] = resolve(a);
  }
  return out;
}
