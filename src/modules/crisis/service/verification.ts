/** Is this statement genuine? Its signature against the key it names, by verification code or by pasted text. */
import type { Deps } from '../../../http/context.js';
import * as repo from '../repo.js';
import { changedWords, wordDiff, type DiffPart } from './text-diff.js';
import { canonicalForm, hashText, normalizeCode, normalizeText, verifyCanonical } from './signing.js';
import { keyForCheck } from './key-cache.js';
import { publicKeyInfo, type PublicKeyInfo } from './signing-keys.js';

export type SignatureStatus = 'valid' | 'bad' | 'unknown-key' | 'key-retired' | 'key-not-yet-valid' | 'compromised';

/** What the signature of a released statement says, and about which key. */
export interface SignatureCheck {
  status: SignatureStatus;
  key: PublicKeyInfo | null;
}

export type VerifyOutcome =
  | {
      kind: 'genuine';
      via: 'code' | 'text';
      statement: repo.StatementRow;
      signatureValid: boolean;
      signature: SignatureCheck;
      later: repo.StatementRow[];
    }
  | { kind: 'not-issued'; via: 'code'; code: string }
  | { kind: 'no-match'; via: 'text'; closest: repo.StatementRow | null; diff?: DiffPart[] };

/**
 * Checks a statement against the key it names: the key must exist, have been valid at the statement's release
 * time (from valid_from up to, not including, its retirement), and the signature must match. A key leaked since
 * some time makes what it signed from then on `compromised`: the signature matches, but it proves nothing.
 */
/** What verification reads: the app's database and its copy of the keys. */
type VerifyDeps = Pick<Deps, 'db' | 'state'>;

export async function checkSignature(deps: VerifyDeps, s: repo.StatementRow): Promise<SignatureCheck> {
  if (!s.signature || !s.number || !s.released_at || !s.key_id) return { status: 'bad', key: null };
  const row = await keyForCheck(deps, s.key_id);
  if (!row) return { status: 'unknown-key', key: null };
  const key = publicKeyInfo(row);
  const at = new Date(s.released_at).getTime();
  if (at < new Date(row.valid_from).getTime()) return { status: 'key-not-yet-valid', key };
  if (row.retired_at && at >= new Date(row.retired_at).getTime()) return { status: 'key-retired', key };
  const canonical = canonicalForm({
    number: s.number,
    releasedAt: new Date(s.released_at).toISOString(),
    title: s.title,
    titleEn: s.title_en,
    body: s.body,
    bodyEn: s.body_en,
    incidentId: s.incident_id,
  });
  if (!verifyCanonical(row.public_key_pem, canonical, s.signature)) return { status: 'bad', key };
  if (row.compromised_since && at >= new Date(row.compromised_since).getTime()) return { status: 'compromised', key };
  return { status: 'valid', key };
}

export async function signatureValid(deps: VerifyDeps, s: repo.StatementRow): Promise<boolean> {
  return (await checkSignature(deps, s)).status === 'valid';
}

async function genuineOutcome(
  deps: VerifyDeps,
  via: 'code' | 'text',
  s: repo.StatementRow,
  signature: SignatureCheck,
): Promise<VerifyOutcome> {
  return {
    kind: 'genuine',
    via,
    statement: s,
    signatureValid: signature.status === 'valid',
    signature,
    later: await repo.laterStatements(deps.db, s.id),
  };
}

export async function verifyByCode(deps: VerifyDeps, input: string): Promise<VerifyOutcome | null> {
  const code = normalizeCode(input);
  if (!code) return null;
  const s = await repo.statementByCode(deps.db, code);
  if (!s) return { kind: 'not-issued', via: 'code', code };
  return genuineOutcome(deps, 'code', s, await checkSignature(deps, s));
}

export const MIN_TEXT = 20;

/** What differs between the pasted text and the form of the genuine statement it is nearest to (body, or title and body). */
function closestDiff(s: repo.StatementRow, pasted: string): DiffPart[] {
  const forms = [
    s.body,
    `${s.title}\n\n${s.body}`,
    ...(s.body_en ? [s.body_en, `${s.title_en ?? s.title}\n\n${s.body_en}`] : []),
  ];
  let best: DiffPart[] = [];
  let bestChanged = Infinity;
  for (const f of forms) {
    const d = wordDiff(f, pasted.trim());
    const n = changedWords(d);
    if (n < bestChanged) [best, bestChanged] = [d, n];
  }
  return best;
}

export async function verifyByText(deps: VerifyDeps, text: string): Promise<VerifyOutcome> {
  const { db } = deps;
  const norm = normalizeText(text);
  const s = await repo.statementByTextHash(db, hashText(norm));
  if (s) {
    const check = await checkSignature(deps, s);
    // the stored text itself must still carry a matching signature: a row edited behind our back never verifies;
    // a matching text signed with a key retired or leaked at the time says so instead of "genuine"
    if (check.status !== 'bad') return genuineOutcome(deps, 'text', s, check);
  }
  const codeInText = /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/i.exec(norm)?.[1];
  let closest = codeInText ? ((await repo.statementByCode(db, codeInText.toUpperCase())) ?? null) : null;
  if (!closest) {
    const c = await repo.closestStatement(db, norm);
    closest = c && c.sim >= 0.3 ? c : null;
  }
  return { kind: 'no-match', via: 'text', closest, diff: closest ? closestDiff(closest, text) : undefined };
}
