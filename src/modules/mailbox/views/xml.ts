/** Escapes text for XML element content and attribute values; drops characters XML 1.0 forbids. */
export function xmlEscape(s: unknown): string {
  return String(s ?? '')
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlValue[];
export interface XmlNode {
  [tag: string]: XmlValue;
}

/** Serialises plain objects: keys are element names, arrays repeat the element. */
export function toXml(tag: string, v: XmlValue): string {
  if (Array.isArray(v)) return v.map((x) => toXml(tag, x)).join('');
  if (v === null || v === undefined) return `<${tag}/>`;
  if (typeof v === 'object')
    return `<${tag}>${Object.entries(v)
      .map(([k, x]) => toXml(k, x))
      .join('')}</${tag}>`;
  return `<${tag}>${xmlEscape(v)}</${tag}>`;
}

export const xmlDoc = (root: string, body: XmlValue) => `<?xml version="1.0" encoding="utf-8"?>${toXml(root, body)}`;
