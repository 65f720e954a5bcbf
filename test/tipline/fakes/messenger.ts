/**
 * A local Graph API for Messenger's Send API (POST /v19.0/me/messages?access_token=…) with Meta's documented errors:
 * 190 (access token expired), 10/2018278 (outside the allowed window), 551/1545041 (person not available),
 * 613 (rate limit). Images are served from /cdn/… as attachment URLs. The User Profile API
 * (GET /v19.0/<PSID>?fields=locale&access_token=…) answers `{ "locale": "en_US", "id": "<PSID>" }` for a person in
 * `profiles`, and error 100 (no such object / missing permission) for anyone else.
 */
import { startFake } from './server.js';

export interface MessengerSent {
  psid: string;
  text: string;
  messagingType: string;
  tag?: string;
  quickReplies: { title: string; payload: string }[];
}

const err = (status: number, code: number, message: string, subcode?: number) => ({
  status,
  json: { error: { message, type: 'OAuthException', code, error_subcode: subcode, fbtrace_id: 'AbCdEf' } },
});

export async function startMessenger(pageToken: string) {
  const sent: MessengerSent[] = [];
  const files = new Map<string, Buffer>();
  const unavailable = new Set<string>();
  const profiles = new Map<string, string>();
  const state = { expired: false, rateLimited: 0, windowClosed: new Set<string>() };
  const fake = await startFake((r) => {
    const cdn = r.path.match(/^\/cdn\/(.+)$/);
    if (cdn) {
      const b = files.get(cdn[1]!);
      return b ? { status: 200, bytes: b, type: 'image/jpeg' } : { status: 404, json: {} };
    }
    const profile = r.path.match(/^\/v\d+\.\d+\/([\w-]+)$/);
    if (r.method === 'GET' && profile && profile[1] !== 'me') {
      if (r.query.get('access_token') !== pageToken)
        return err(400, 190, 'Error validating access token: Session has expired', 463);
      const locale = profiles.get(profile[1]!);
      if (!locale)
        return err(
          400,
          100,
          `Unsupported get request. Object with ID '${profile[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          33,
        );
      const fields = (r.query.get('fields') ?? '').split(',');
      return { status: 200, json: { ...(fields.includes('locale') ? { locale } : {}), id: profile[1] } };
    }
    if (r.method !== 'POST' || !/^\/v\d+\.\d+\/me\/messages$/.test(r.path))
      return err(400, 100, 'Unsupported post request');
    if (r.query.get('access_token') !== pageToken || state.expired)
      return err(400, 190, 'Error validating access token: Session has expired', 463);
    if (state.rateLimited > 0) {
      state.rateLimited--;
      return err(400, 613, 'Calls to this api have exceeded the rate limit.');
    }
    const psid = String(r.json?.recipient?.id ?? '');
    if (unavailable.has(psid)) return err(400, 551, "This person isn't available right now.", 1545041);
    const type = r.json?.messaging_type;
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(type))
      return err(400, 100, '(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    if (state.windowClosed.has(psid) && !(type === 'MESSAGE_TAG' && r.json.tag === 'HUMAN_AGENT'))
      return err(400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
    sent.push({
      psid,
      text: String(r.json?.message?.text ?? ''),
      messagingType: type,
      tag: r.json.tag,
      quickReplies: (r.json?.message?.quick_replies ?? []).map((q: { title: string; payload: string }) => ({
        title: q.title,
        payload: q.payload,
      })),
    });
    return { status: 200, json: { recipient_id: psid, message_id: `m_${sent.length}` } };
  });
  return {
    ...fake,
    sent,
    files,
    unavailable,
    profiles,
    state,
    to: (psid: string) => sent.filter((s) => s.psid === psid),
  };
}
