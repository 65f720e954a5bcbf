/**
 * A local Zalo OA API v3: consultation messages (POST /v3.0/oa/message/cs, header access_token) answering
 * {error:0,message:'Success',data:{message_id,user_id}} or the documented negative codes: -216 (access token
 * invalid/expired), -230 (the person has not interacted with the OA in the last 7 days), -213 (the person does not
 * follow the OA), -32 (rate limit); and the OAuth refresh (POST /v4/oa/access_token, header secret_key, form
 * refresh_token/app_id/grant_type) that answers a new single-use pair.
 */
import { startFake } from './server.js';

export interface ZaloSent {
  userId: string;
  text: string;
  buttons: { title: string; payload: string }[];
}

export async function startZalo(opts: { accessToken: string; refreshToken: string; appId: string; appSecret: string }) {
  const sent: ZaloSent[] = [];
  const files = new Map<string, Buffer>();
  const unfollowed = new Set<string>();
  const state = {
    accessToken: opts.accessToken,
    refreshToken: opts.refreshToken,
    refreshes: 0,
    rateLimited: 0,
    windowClosed: new Set<string>(),
  };
  const fake = await startFake((r) => {
    const cdn = r.path.match(/^\/cdn\/(.+)$/);
    if (cdn) {
      const b = files.get(cdn[1]!);
      return b ? { status: 200, bytes: b, type: 'image/jpeg' } : { status: 404, json: {} };
    }
    if (r.path === '/v4/oa/access_token' && r.method === 'POST') {
      if (r.headers.secret_key !== opts.appSecret || r.json?.app_id !== opts.appId)
        return {
          status: 200,
          json: { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key is invalid' },
        };
      if (r.json?.grant_type !== 'refresh_token' || r.json?.refresh_token !== state.refreshToken)
        return {
          status: 200,
          json: {
            error: -14014,
            error_name: 'Invalid refresh token',
            error_description: 'refresh_token is invalid or used',
          },
        };
      state.refreshes++;
      state.accessToken = `access-${state.refreshes}`;
      state.refreshToken = `refresh-${state.refreshes}`;
      return {
        status: 200,
        json: { access_token: state.accessToken, refresh_token: state.refreshToken, expires_in: '90000' },
      };
    }
    if (r.path !== '/v3.0/oa/message/cs' || r.method !== 'POST')
      return { status: 404, json: { error: 404, message: 'not found' } };
    if (r.headers.access_token !== state.accessToken)
      return { status: 200, json: { error: -216, message: 'Access token is invalid' } };
    if (state.rateLimited > 0) {
      state.rateLimited--;
      return { status: 200, json: { error: -32, message: 'Exceeded rate limit' } };
    }
    const userId = String(r.json?.recipient?.user_id ?? '');
    if (unfollowed.has(userId)) return { status: 200, json: { error: -213, message: 'User has not followed OA' } };
    if (state.windowClosed.has(userId))
      return { status: 200, json: { error: -230, message: 'User has not interacted with the OA in the past 7 days' } };
    const m = r.json?.message ?? {};
    sent.push({
      userId,
      text: String(m.text ?? ''),
      buttons: (m.attachment?.payload?.buttons ?? []).map((b: { title: string; payload: string }) => ({
        title: b.title,
        payload: b.payload,
      })),
    });
    return {
      status: 200,
      json: { error: 0, message: 'Success', data: { message_id: `msg${sent.length}`, user_id: userId } },
    };
  });
  return { ...fake, sent, files, unfollowed, state, to: (userId: string) => sent.filter((s) => s.userId === userId) };
}
