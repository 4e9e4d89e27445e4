/** Decoding of HTML character references (named, decimal and hex), shared by the Markdown and HTML readers. */

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
  mdash: '\u2014', ndash: '\u2013', hellip: '\u2026', bull: '\u2022', middot: '\u00b7', times: '\u00d7', divide: '\u00f7',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', laquo: '\u00ab', raquo: '\u00bb', sbquo: '\u201a',
  bdquo: '\u201e', copy: '\u00a9', reg: '\u00ae', trade: '\u2122', deg: '\u00b0', plusmn: '\u00b1', para: '\u00b6',
  sect: '\u00a7', shy: '\u00ad', euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', cent: '\u00a2', larr: '\u2190',
  rarr: '\u2192', uarr: '\u2191', darr: '\u2193', harr: '\u2194', rArr: '\u21d2', lArr: '\u21d0', hArr: '\u21d4',
  le: '\u2264', ge: '\u2265', ne: '\u2260', asymp: '\u2248', infin: '\u221e', minus: '\u2212', check: '\u2713',
  zwj: '\u200d', zwnj: '\u200c', lrm: '\u200e', rlm: '\u200f', iexcl: '\u00a1', iquest: '\u00bf', szlig: '\u00df',
  aacute: '\u00e1', eacute: '\u00e9', iacute: '\u00ed', oacute: '\u00f3', uacute: '\u00fa', agrave: '\u00e0',
  egrave: '\u00e8', igrave: '\u00ec', ograve: '\u00f2', ugrave: '\u00f9', acirc: '\u00e2', ecirc: '\u00ea',
  icirc: '\u00ee', ocirc: '\u00f4', ucirc: '\u00fb', auml: '\u00e4', euml: '\u00eb', iuml: '\u00ef', ouml: '\u00f6',
  uuml: '\u00fc', yuml: '\u00ff', atilde: '\u00e3', otilde: '\u00f5', ntilde: '\u00f1', ccedil: '\u00e7',
  aring: '\u00e5', aelig: '\u00e6', oslash: '\u00f8', Aacute: '\u00c1', Eacute: '\u00c9', Auml: '\u00c4',
  Ouml: '\u00d6', Uuml: '\u00dc', Ntilde: '\u00d1', Ccedil: '\u00c7', Aring: '\u00c5', AElig: '\u00c6', Oslash: '\u00d8',
};

/** Replaces `&amp;`, `&#233;`, `&#xE9;` ... by their characters; unknown references are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? whole;
  });
}
