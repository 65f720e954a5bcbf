import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  text: string;
}

/** A real SMTP peer on a free local port that keeps what it receives. */
export async function startSmtp(
  opts: {
    /** Refuse these recipients for now (450, a temporary failure). */
    failFor?: (to: string) => boolean;
    /** Refuse these recipients for good (550, a permanent failure). */
    rejectFor?: (to: string) => boolean;
  } = {},
) {
  const refused: { to: string; code: number }[] = [];
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    closeTimeout: 100, // senders keep pooled connections open; do not wait for them on close
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.rejectFor?.(address.address)) {
        refused.push({ to: address.address, code: 550 });
        return cb(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      }
      if (opts.failFor?.(address.address)) {
        refused.push({ to: address.address, code: 450 });
        return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head, ...body] = raw.split(/\r?\n\r?\n/);
        const subject = decodeHeader(head.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/im)?.[1] ?? '');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
          text: decodeBody(head, body.join('\n\n')),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Every refused recipient, in order, with the answer code. */
    refused,
    async waitFor(n: number, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (mails.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** RFC 2047: adjacent encoded words join without the whitespace between them, bytes first, then UTF-8. */
function decodeHeader(v: string): string {
  const unfolded = v.replace(/\r?\n[ \t]/g, ' ');
  const word = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;
  return unfolded.replace(/=\?utf-8\?[bq]\?[^?]*\?=(?:\s+=\?utf-8\?[bq]\?[^?]*\?=)*/gi, (run) => {
    const bytes: Buffer[] = [];
    for (const [, enc, data] of run.matchAll(word)) {
      bytes.push(enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : qBytes(data.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}

function qBytes(s: string): Buffer {
  return Buffer.from(
    s.replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
}

function decodeQ(s: string): string {
  return Buffer.from(
    s.replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');
}

function decodeBody(head: string, body: string): string {
  if (/Content-Transfer-Encoding: base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) return decodeQ(body.replace(/=\r?\n/g, ''));
  return body;
}
