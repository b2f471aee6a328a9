// A local mail catcher: takes the HTTP mail API edgepix speaks (POST /send with {from,to,subject,text,html} as
// JSON) and keeps the messages in memory, for the developer (`/`, plain HTML) and the tests (`GET /messages`).
// `node scripts/mail-outbox.mjs` runs it on 127.0.0.1:$MAIL_OUTBOX_PORT (default 8025); `npm start` does that.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const MAX_BODY = 1024 * 1024;
const MAX_MESSAGES = 1000;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Starts the catcher; port 0 picks a free one. Resolves to { url, port, messages, close }. */
export function startMailOutbox({ port = 8025, host = '127.0.0.1' } = {}) {
  const messages = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    try {
      if (req.method === 'POST' && (path === '/send' || path === '/')) {
        const body = JSON.parse(await readBody(req));
        if (typeof body.to !== 'string' || typeof body.subject !== 'string') return send(res, 400, { message: 'to and subject are required' });
        messages.push({ from: body.from ?? '', to: body.to, subject: body.subject, text: body.text ?? '', html: body.html ?? '', at: new Date().toISOString() });
        if (messages.length > MAX_MESSAGES) messages.shift();
        return send(res, 202, { id: String(messages.length) });
      }
      if (req.method === 'GET' && path === '/messages') return send(res, 200, messages);
      if (req.method === 'DELETE' && path === '/messages') {
        messages.length = 0;
        return send(res, 204);
      }
      if (req.method === 'GET' && path === '/') return page(res, messages);
      return send(res, 404, { message: 'not found' });
    } catch (error) {
      return send(res, 400, { message: String(error?.message ?? error) });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ url: `http://${host}:${actual}`, port: actual, messages, server, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

// Messages are shown as text only: a mail's HTML never runs in this page.
function page(res, messages) {
  const rows = [...messages]
    .reverse()
    .map((m) => `<article><h2>${escape(m.subject)}</h2><p><b>To</b> ${escape(m.to)} · ${escape(m.at)}</p><pre>${escape(m.text)}</pre></article>`)
    .join('\n');
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(`<!doctype html><meta charset="utf-8"><title>edgepix mail outbox</title>
<style>body{font:14px system-ui;margin:2em;max-width:60em}article{border-bottom:1px solid #ddd}pre{white-space:pre-wrap}</style>
<h1>Mail outbox (${messages.length})</h1><p>Newest first. JSON at <a href="/messages">/messages</a>.</p>${rows || '<p>No mail yet.</p>'}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outbox = await startMailOutbox({ port: Number(process.env.MAIL_OUTBOX_PORT ?? 8025) });
  console.log(`mail outbox at ${outbox.url}/ (messages as JSON at ${outbox.url}/messages)`);
}
