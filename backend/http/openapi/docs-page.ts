import crypto from 'node:crypto';
import type { HttpMethod, OpenApiDocument, OpenApiOperation } from './types.js';

// ---------------------------------------------------------------------------------------------
// The page at /api/docs: server-rendered from the document, no scripts, one hashed stylesheet.

const escapeHtml = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans for backticked words; everything escaped first. */
const prose = (s: string | undefined): string => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const DOCS_STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem 4rem;color:#1b1f24;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem}
code{font:13px ui-monospace,monospace;background:#f3f4f6;padding:0 .25rem;border-radius:3px}
nav ul{columns:2;padding-left:1.2rem}
section.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
section.op h3{margin:0;font-size:1rem;display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
.m{font:bold 12px ui-monospace,monospace;color:#fff;border-radius:3px;padding:.1rem .4rem;text-transform:uppercase}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
.path{font:15px ui-monospace,monospace}.sum{font-weight:normal;color:#57606a}
table{border-collapse:collapse;margin:.4rem 0;font-size:14px}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
.auth{color:#57606a}p{margin:.4rem 0}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}code{background:#161b22}section.op,td,th,h2{border-color:#30363d}.sum,.auth{color:#8b949e}}
`;

/** The page's Content-Security-Policy: nothing but its own (hashed) stylesheet. */
export const DOCS_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${crypto.createHash('sha256').update(DOCS_STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderDocsHtml(doc: OpenApiDocument, jsonHref = '/api/docs/openapi.json'): string {
  const byTag = new Map<string, Array<{ method: string; path: string; op: OpenApiOperation }>>();
  for (const t of doc.tags) byTag.set(t.name, []);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OpenApiOperation]>) {
      const tag = op.tags[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const auth = (op: OpenApiOperation) =>
    op.security.length === 0 ? 'none' : op.security.map((req) => Object.keys(req).map((k) => `<code>${escapeHtml(k)}</code>`).join(' + ')).join(' or ');
  const anchor = (s: string) => escapeHtml(s.toLowerCase().replace(/[^a-z0-9]+/g, '-'));

  const sections = [...byTag].filter(([, ops]) => ops.length).map(([tag, ops]) => {
    const about = doc.tags.find((t) => t.name === tag)?.description;
    const items = ops.map(({ method, path, op }) => {
      const params = op.parameters?.length
        ? `<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>About</th></tr>${op.parameters
            .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.in)}</td><td>${escapeHtml(p.schema.type ?? '')}</td><td>${prose(p.description)}</td></tr>`)
            .join('')}</table>`
        : '';
      const body = op.requestBody
        ? `<p>Body: ${Object.entries(op.requestBody.content)
            .map(([type, c]) => {
              const name = typeof c.schema?.$ref === 'string' ? c.schema.$ref.split('/').pop() : undefined;
              return `<code>${escapeHtml(type)}</code>${name ? ` (schema <code>${escapeHtml(name)}</code>)` : ''}`;
            })
            .join(', ')}</p>`
        : '';
      const responses = `<table><tr><th>Status</th><th>Answer</th></tr>${Object.entries(op.responses)
        .map(([status, r]) => {
          const schemas = Object.entries(r.content ?? {}).map(([type, c]) => {
            const name = typeof c.schema?.$ref === 'string' ? c.schema.$ref.split('/').pop() : undefined;
            return `<code>${escapeHtml(type)}</code>${name ? ` <code>${escapeHtml(name)}</code>` : ''}`;
          });
          return `<tr><td>${escapeHtml(status)}</td><td>${prose(r.description)}${schemas.length && !status.startsWith('4') && !status.startsWith('5') ? ` — ${schemas.join(', ')}` : ''}</td></tr>`;
        })
        .join('')}</table>`;
      const description = (op.description ?? '')
        .split('\n\n')
        .filter((p) => !p.startsWith('Auth: '))
        .map((p) => `<p>${prose(p)}</p>`)
        .join('');
      return `<section class="op" id="${anchor(op.operationId)}"><h3><span class="m ${escapeHtml(method)}">${escapeHtml(method)}</span><span class="path">${escapeHtml(path)}</span><span class="sum">${escapeHtml(op.summary)}</span></h3>${description}<p class="auth">Auth: ${auth(op)}</p>${params}${body}${responses}</section>`;
    });
    return `<h2 id="${anchor(tag)}">${escapeHtml(tag)}</h2>${about ? `<p>${prose(about)}</p>` : ''}${items.join('\n')}`;
  });

  const schemes = Object.entries(doc.components.securitySchemes)
    .map(([name, s]) => `<li><code>${escapeHtml(name)}</code>: ${prose(String(s.description ?? ''))}</li>`)
    .join('');
  const intro = doc.info.description
    .split('\n\n')
    .map((p) => `<p>${prose(p).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')}</p>`)
    .join('');
  const toc = [...byTag].filter(([, ops]) => ops.length).map(([tag]) => `<li><a href="#${anchor(tag)}">${escapeHtml(tag)}</a></li>`).join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title><style>${DOCS_STYLE}</style></head>
<body><h1>${escapeHtml(doc.info.title)}</h1>
<p>OpenAPI ${escapeHtml(doc.openapi)} · version ${escapeHtml(doc.info.version)} · <a href="${escapeHtml(jsonHref)}">openapi.json</a></p>
${intro}
<h2>Credentials</h2><ul>${schemes}</ul>
<nav><ul>${toc}</ul></nav>
${sections.join('\n')}
</body></html>
`;
}

