/** CAP 1.2 (OASIS Common Alerting Protocol) messages and the Atom index of active alerts. Pure functions. */

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';

export interface CapInfo {
  language: string;
  category: string;
  event: string;
  urgency: 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
  severity: 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
  certainty: 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';
  /** ISO time after which the information is no longer in effect (stored as JSON, so a string). */
  expires?: string;
  senderName: string;
  headline: string;
  description: string;
  instruction?: string;
  web: string;
  contact: string;
}

export interface CapArea {
  areaDesc: string;
  polygon?: string | null;
  circle?: string | null;
  geocodes: { valueName: string; value: string }[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: Date;
  msgType: 'Alert' | 'Update' | 'Cancel';
  references: string;
  note?: string;
  incidents?: string;
  info: CapInfo[];
  area: CapArea;
}

export const xmlEscape = (s: string) =>
  s
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
    // characters XML 1.0 does not allow
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

/** CAP dateTime: local time in Vietnam with an explicit +07:00 offset, whole seconds, never "Z". */
export function capDateTime(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3600_000);
  return local.toISOString().slice(0, 19) + '+07:00';
}

/** "sender,identifier,sent" for the references element. */
export const capReference = (a: { sender: string; identifier: string; sent: Date }) =>
  `${a.sender},${a.identifier},${capDateTime(a.sent)}`;

const el = (name: string, value: string | null | undefined, indent: string) =>
  value == null || value === '' ? '' : `${indent}<${name}>${xmlEscape(value)}</${name}>\n`;

export function renderCap(a: CapAlert): string {
  let x = `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${CAP_NS}">\n`;
  x += el('identifier', a.identifier, '  ');
  x += el('sender', a.sender, '  ');
  x += el('sent', capDateTime(a.sent), '  ');
  x += el('status', 'Actual', '  ');
  x += el('msgType', a.msgType, '  ');
  x += el('scope', 'Public', '  ');
  x += el('note', a.note, '  ');
  x += el('references', a.references, '  ');
  x += el('incidents', a.incidents, '  ');
  for (const i of a.info) {
    x += '  <info>\n';
    x += el('language', i.language, '    ');
    x += el('category', i.category, '    ');
    x += el('event', i.event, '    ');
    x += el('urgency', i.urgency, '    ');
    x += el('severity', i.severity, '    ');
    x += el('certainty', i.certainty, '    ');
    x += el('expires', i.expires ? capDateTime(new Date(i.expires)) : null, '    ');
    x += el('senderName', i.senderName, '    ');
    x += el('headline', i.headline.slice(0, 160), '    ');
    x += el('description', i.description, '    ');
    x += el('instruction', i.instruction, '    ');
    x += el('web', i.web, '    ');
    x += el('contact', i.contact, '    ');
    x += '    <area>\n';
    x += el('areaDesc', a.area.areaDesc, '      ');
    if (a.area.polygon) x += el('polygon', a.area.polygon, '      ');
    if (a.area.circle) x += el('circle', a.area.circle, '      ');
    for (const g of a.area.geocodes)
      x += `      <geocode>\n${el('valueName', g.valueName, '        ')}${el('value', g.value, '        ')}      </geocode>\n`;
    x += '    </area>\n';
    x += '  </info>\n';
  }
  return x + '</alert>\n';
}

const pair = /^(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)$/;

function okPair(s: string): [number, number] | null {
  const m = pair.exec(s);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  return [lat, lon];
}

/** CAP polygon: at least four "lat,lon" pairs separated by spaces, the first equal to the last. Returns the normalised text or null. */
export function parsePolygon(input: string): string | null {
  const parts = input.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 4) return null;
  const pts = parts.map(okPair);
  if (pts.some((p) => !p)) return null;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return null;
  return parts.join(' ');
}

/** CAP circle: "lat,lon radius" with the radius in kilometres. */
export function parseCircle(input: string): string | null {
  const m = /^(\S+)\s+(\d+(?:\.\d+)?)$/.exec(input.trim());
  if (!m || !okPair(m[1]) || Number(m[2]) <= 0) return null;
  return `${m[1]} ${m[2]}`;
}

export interface AtomEntry {
  id: string;
  title: string;
  updated: Date;
  link: string;
  summary: string;
}

export function renderAtom(feed: {
  id: string;
  title: string;
  self: string;
  alternate: string;
  updated: Date;
  author: string;
  entries: AtomEntry[];
}): string {
  let x = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n`;
  x += `  <id>${xmlEscape(feed.id)}</id>\n  <title>${xmlEscape(feed.title)}</title>\n  <updated>${feed.updated.toISOString()}</updated>\n`;
  x += `  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.self)}"/>\n  <link rel="alternate" type="text/html" href="${xmlEscape(feed.alternate)}"/>\n`;
  x += `  <author><name>${xmlEscape(feed.author)}</name></author>\n`;
  for (const e of feed.entries) {
    x += `  <entry>\n    <id>${xmlEscape(e.id)}</id>\n    <title>${xmlEscape(e.title)}</title>\n    <updated>${e.updated.toISOString()}</updated>\n`;
    x += `    <link rel="alternate" type="application/cap+xml" href="${xmlEscape(e.link)}"/>\n`;
    x += `    <summary>${xmlEscape(e.summary)}</summary>\n  </entry>\n`;
  }
  return x + '</feed>\n';
}
