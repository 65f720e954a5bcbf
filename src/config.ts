import path from 'node:path';
import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'must be 1 or 0 (or true/false, yes/no, on/off)',
    })
    .optional()
    .transform((v) => (v === undefined ? def : ['1', 'true', 'yes', 'on'].includes(v)));

/** A whole number in [min, max], with a message a person can act on. */
const int = (min: number, max: number, def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return def;
      const n = Number(v.trim());
      if (!/^\s*-?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}`,
        });
        return z.NEVER;
      }
      return n;
    });

/** A number in [0, 1] (a share or a confidence). */
const fraction = (def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return def;
      const n = Number(v.trim());
      if (!/^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$/.test(v) || !Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: 'must be a number from 0 to 1, e.g. 0.5' });
        return z.NEVER;
      }
      return n;
    });

/** A number in [0, 1], or unset (undefined: the code's own, measured default applies). */
const optionalFraction = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const n = Number(v.trim());
      if (!/^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$/.test(v) || !Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: 'must be a number from 0 to 1, e.g. 0.5' });
        return z.NEVER;
      }
      return n;
    });

const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
    .default('development'),
  PORT: int(0, 65535, 3000),
  HOST: z.string().default('0.0.0.0'),
  BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address, e.g. https://gopy.example.gov.vn')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Unset: on for a plain `npm start`, off when NODE_ENV=production or BASE_URL is https (see demoDefault). */
  DEMO: z
    .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'must be 1 or 0 (or true/false, yes/no, on/off)',
    })
    .optional()
    .transform((v) => (v === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(v))),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('demo1234'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  WORKER: bool(true),
  WORKER_CONCURRENCY: int(1, 64, 4),
  SESSION_IDLE_MINUTES: int(5, 60 * 24 * 30, 120),
  SESSION_MAX_DAYS: int(1, 365, 14),
  LOGIN_MAX_FAILURES: int(1, 100, 5),
  LOGIN_LOCK_MINUTES: int(1, 24 * 60, 15),
  RATE_LIMIT_DISABLED: bool(false),
  /** Anonymous public pages are kept rendered (and compressed) this long at most, or until content changes; 0: off. */
  PAGE_CACHE_TTL_SECONDS: int(0, 3600, 10),
  RATE_LIMIT_PER_MINUTE: int(1, Number.MAX_SAFE_INTEGER, 120),
  RATE_LIMIT_WRITES_PER_MINUTE: int(1, Number.MAX_SAFE_INTEGER, 20),
  BODY_LIMIT_BYTES: int(1024, Number.MAX_SAFE_INTEGER, 30 * 1024 * 1024),
  UPLOAD_MAX_BYTES: int(1024, Number.MAX_SAFE_INTEGER, 10 * 1024 * 1024),
  UPLOAD_MAX_FILES: int(1, 50, 5),
  UPLOAD_MAX_PIXELS: int(1000, Number.MAX_SAFE_INTEGER, 40_000_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().default('Cầu Nối <no-reply@cau-noi.local>'),
  /** A folder that receives every e-mail as an .eml file instead of sending it, or "off". Default: DATA_DIR/outbox for a demo without SMTP_URL, else off. */
  MAIL_OUTBOX: z.string().min(1).optional(),
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  VAPID_SUBJECT: z.string().default('mailto:admin@demo.local'),
  /** Map tiles ({z}/{x}/{y}, optional {s}); unset: no map anywhere (ward and address only), nothing third-party loaded. */
  MAP_TILE_URL: z
    .string()
    .regex(
      /^(https?:\/\/[^\s/]+|\/)\S*\{z\}\S*\{x\}\S*\{y\}/,
      'must be a tile address with {z}, {x} and {y}, e.g. https://tiles.example.gov.vn/{z}/{x}/{y}.png',
    )
    .optional(),
  /** The tiles' credit shown on every map (required by OpenStreetMap's licence). */
  MAP_TILE_ATTRIBUTION: z.string().default('© OpenStreetMap'),
  /** Address search: a self-hosted Nominatim (…/search) or Photon (…/api) address; unset: no address search. */
  MAP_GEOCODER_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address, e.g. https://nominatim.example.gov.vn')
    .optional(),
  ORG_NAME: z.string().default('Cổng thông tin Cầu Nối'),
  /** The organisation's name on English pages (unset: the Vietnamese name, marked as Vietnamese). */
  ORG_NAME_EN: z.string().optional(),
  TRUST_PROXY: bool(false),
  CLI_SOCKET: z.string().optional(),
  /** How long SIGTERM waits for in-flight requests and jobs before exiting anyway (exit code 1). */
  SHUTDOWN_GRACE_MS: int(0, 600_000, 25_000),
  /** host:port entries that outbound requests (webhooks, web push) may reach even on a private address or over http (src/platform/net/outbound.ts). */
  OUTBOUND_ALLOW_HOSTS: z
    .string()
    .regex(
      /^\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):\d{1,5}\s*(,\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):\d{1,5}\s*)*,?\s*$/,
      'must be host:port entries separated by commas, e.g. sms-gateway.local:8080,10.0.0.5:443',
    )
    .optional(),
  /** Set: /metrics needs `Authorization: Bearer <token>` (401 otherwise). Unset: /metrics answers loopback only (403 otherwise). */
  /** Set: the daily audit anchor (the chain's head hash) is also e-mailed here, so an outside party holds a copy. */
  AUDIT_ANCHOR_EMAIL: z
    .string()
    .regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, 'must be one e-mail address, e.g. kiemtoan@stp.hue.gov.vn')
    .optional(),
  /**
   * Claim matching: confidence from which the best fact-check answers a claim ("already checked"; API `answered`).
   * Unset: the per-language thresholds measured on development data (src/modules/desk/service/match/calibrate.ts).
   */
  MATCH_ANSWER_THRESHOLD: optionalFraction(),
  /** Claim matching: similarity from which a new claim joins an existing cluster of claims (stricter). */
  MATCH_CLUSTER_THRESHOLD: fraction(0.72),
  /** Residents asking "is this true?" are told to expect a reply within this many days (the desk's commitment). */
  CLAIM_REPLY_DAYS: int(1, 60, 3),
  /** Tiplines (docs/tipline.md): a channel is on when its token is set (or an admin turns it on in /staff/tipline/settings). */
  ZALO_APP_ID: z.string().optional(),
  ZALO_OA_SECRET: z.string().optional(),
  ZALO_ACCESS_TOKEN: z.string().optional(),
  ZALO_REFRESH_TOKEN: z.string().optional(),
  ZALO_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address')
    .optional(),
  MESSENGER_PAGE_TOKEN: z.string().optional(),
  MESSENGER_APP_SECRET: z.string().optional(),
  MESSENGER_VERIFY_TOKEN: z.string().optional(),
  MESSENGER_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address')
    .optional(),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,256}$/,
      "must be 1-256 characters A-Z, a-z, 0-9, _ or - (Telegram's rule for secret_token)",
    )
    .optional(),
  TELEGRAM_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address')
    .optional(),
  /** Headless Chromium for the report PDFs (/staff/reports/export.pdf). */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  METRICS_TOKEN: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces (e.g. openssl rand -hex 24)')
    .optional(),
});

export type Config = Omit<z.infer<typeof schema>, 'DEMO'> & {
  DEMO: boolean;
  /** Set when the demo (its known admin password) is on for what looks like a real installation: said loudly at start. */
  demoWarning: string | null;
  dataDir: string;
  baseUrl: string;
  cliSocket: string;
  mailOutbox: string | null;
};

/**
 * The two-command demo (`npm install && npm start`) loads the demo data; a production start
 * (NODE_ENV=production or an https BASE_URL) does not, unless DEMO=1 is set explicitly.
 */
function demoSetting(c: { DEMO?: boolean; NODE_ENV: string; BASE_URL?: string }): {
  demo: boolean;
  warning: string | null;
} {
  const real = c.NODE_ENV === 'production' || Boolean(c.BASE_URL?.startsWith('https://'));
  const demo = c.DEMO ?? !real;
  const why = c.NODE_ENV === 'production' ? 'NODE_ENV=production' : `BASE_URL is ${c.BASE_URL}`;
  return {
    demo,
    warning:
      demo && real
        ? `WARNING: DEMO=1 on a production installation (${why}): an empty database gets the demo accounts (admin@demo.local) with a password anyone can read in the README. Unset DEMO (or DEMO=0) unless this is a demonstration server.`
        : null,
  };
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variables: string[] = [],
  ) {
    super(message);
  }
}

/** Reads every setting once; a bad value stops the start with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset (`PORT= npm start` means the default, not port 0).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema
    .superRefine((c, ctx) => {
      if (Boolean(c.VAPID_PUBLIC_KEY) !== Boolean(c.VAPID_PRIVATE_KEY))
        ctx.addIssue({
          code: 'custom',
          path: [c.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'],
          message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither',
        });
    })
    .safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      const got = present[name];
      return `  ${name}: ${i.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))];
    throw new ConfigError(
      `Invalid configuration (${names.join(', ')}); fix the environment and start again:\n${lines.join('\n')}`,
      names,
    );
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  const { demo, warning } = demoSetting(c);
  return {
    ...c,
    DEMO: demo,
    demoWarning: warning,
    dataDir,
    baseUrl: (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    cliSocket: c.CLI_SOCKET ?? path.join(dataDir, 'cli.sock'),
    mailOutbox: mailOutbox(c.MAIL_OUTBOX, !!c.SMTP_URL, demo, dataDir),
  };
}

/** Where e-mail is written instead of sent: a demo without an SMTP server keeps its mail (password resets, statements) in a folder. */
function mailOutbox(setting: string | undefined, smtp: boolean, demo: boolean, dataDir: string): string | null {
  if (setting === 'off') return null;
  if (setting) return path.resolve(setting);
  return !smtp && demo ? path.join(dataDir, 'outbox') : null;
}

/** The configuration for a process that starts (server or command line); a bad setting is printed and gives null (exit 78). */
export function loadConfigOrReport(env: NodeJS.ProcessEnv = process.env): Config | null {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return null;
  }
}
