/**
 * Each channel's settings: the environment first (a channel is on when its token is set), then what an admin stored
 * in the database (/staff/tipline/settings), which wins where it is filled in. Read at most every few seconds.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import type { Config } from '../../../config.js';
import type { Deps } from '../../../http/context.js';
import { slot } from '../../../platform/app-state.js';
import { outboundOptions } from '../../../platform/net/outbound.js';
import type { ChannelName, ChannelSettings } from './channels/types.js';
import * as repo from '../repo.js';

export const DEFAULT_API_BASE: Record<ChannelName, string> = {
  telegram: 'https://api.telegram.org',
  messenger: 'https://graph.facebook.com',
  zalo: 'https://openapi.zalo.me',
};

export interface StoredChannelSettings {
  enabled?: boolean;
  token?: string;
  secret?: string;
  verifyToken?: string;
  appId?: string;
  apiBase?: string;
}

/** The Zalo OA token pair after a refresh (the refresh token is single use). */
export interface ZaloTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

/** This app's settings per channel, read at most every TTL_MS. */
const SETTINGS = slot('tipline.settings', () => new Map<string, { at: number; value: ChannelSettings }>());
/** This app's per-installation secret for user hashes, read once. */
const SECRET = slot('tipline.secret', () => ({ value: null as string | null }));
const TTL_MS = 5_000;

type SettingsDeps = Pick<Deps, 'db' | 'config' | 'state'>;

export function forgetSettings(deps: Pick<Deps, 'state'>): void {
  deps.state.get(SETTINGS).clear();
}

function fromEnv(config: Config, name: ChannelName): ChannelSettings {
  const blank = {
    name,
    enabled: false,
    apiBase: DEFAULT_API_BASE[name],
    token: '',
    secret: '',
    verifyToken: '',
    appId: '',
    refreshToken: '',
    outbound: outboundOptions(config),
  };
  if (name === 'telegram')
    return {
      ...blank,
      apiBase: config.TELEGRAM_API_BASE ?? blank.apiBase,
      token: config.TELEGRAM_BOT_TOKEN ?? '',
      secret: config.TELEGRAM_WEBHOOK_SECRET ?? '',
    };
  if (name === 'messenger')
    return {
      ...blank,
      apiBase: config.MESSENGER_API_BASE ?? blank.apiBase,
      token: config.MESSENGER_PAGE_TOKEN ?? '',
      secret: config.MESSENGER_APP_SECRET ?? '',
      verifyToken: config.MESSENGER_VERIFY_TOKEN ?? '',
    };
  return {
    ...blank,
    apiBase: config.ZALO_API_BASE ?? blank.apiBase,
    token: config.ZALO_ACCESS_TOKEN ?? '',
    secret: config.ZALO_OA_SECRET ?? '',
    appId: config.ZALO_APP_ID ?? '',
    refreshToken: config.ZALO_REFRESH_TOKEN ?? '',
  };
}

export async function channelSettings(deps: SettingsDeps, name: ChannelName): Promise<ChannelSettings> {
  const cache = deps.state.get(SETTINGS);
  const hit = cache.get(name);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const env = fromEnv(deps.config, name);
  const stored = (await repo.getSetting<StoredChannelSettings>(deps.db, `tipline.channel.${name}`)) ?? {};
  const v: ChannelSettings = {
    ...env,
    token: stored.token || env.token,
    secret: stored.secret || env.secret,
    verifyToken: stored.verifyToken || env.verifyToken,
    appId: stored.appId || env.appId,
    apiBase: (stored.apiBase || env.apiBase).replace(/\/+$/, ''),
  };
  if (name === 'zalo') {
    const t = await repo.getSetting<ZaloTokens>(deps.db, 'tipline.zalo.tokens');
    if (t) Object.assign(v, { token: t.accessToken, refreshToken: t.refreshToken });
  }
  v.enabled = stored.enabled === false ? false : Boolean(v.token) || stored.enabled === true;
  cache.set(name, { at: Date.now(), value: v });
  return v;
}

/** Stores a channel's settings (inside the caller's transaction); the caller forgets the cached ones after commit. */
export async function saveChannelSettings(db: Db, name: ChannelName, s: StoredChannelSettings): Promise<void> {
  await repo.setSetting(db, `tipline.channel.${name}`, s);
}

export const storedSettings = async (db: Db, name: ChannelName) =>
  (await repo.getSetting<StoredChannelSettings>(db, `tipline.channel.${name}`)) ?? {};

/** Platform user ids are looked up by their HMAC with a per-installation secret, never stored bare as a key. */
export async function userHash(
  deps: Pick<Deps, 'db' | 'state'>,
  channel: ChannelName,
  userId: string,
): Promise<string> {
  const db = deps.db;
  const secret = deps.state.get(SECRET);
  let s = secret.value;
  if (!s) {
    await db.query(`INSERT INTO settings (key, value) VALUES ('tipline.secret', $1) ON CONFLICT (key) DO NOTHING`, [
      JSON.stringify(randomBytes(32).toString('hex')),
    ]);
    s = (await repo.getSetting<string>(db, 'tipline.secret'))!;
    secret.value = s;
  }
  return createHmac('sha256', s).update(`${channel}:${userId}`).digest('hex');
}
