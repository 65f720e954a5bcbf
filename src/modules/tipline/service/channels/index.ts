import { messenger } from './messenger.js';
import { telegram } from './telegram.js';
import type { ChannelAdapter, ChannelName } from './types.js';
import { zalo } from './zalo.js';

export const adapters: Record<ChannelName, ChannelAdapter> = { telegram, messenger, zalo };
