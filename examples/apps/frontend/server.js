// The three-laptops frontend: an HTML page on port 3000. On every request it asks the backend
// (BACKEND_ENDPOINT, e.g. http://backend = the `backend` Service's port 80) for its message
// server-side, so each reload shows which backend pod the Service picked.
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 3000);
const HOST = process.env.HOST || '0.0.0.0';
const BACKEND = (process.env.BACKEND_ENDPOINT || 'http://backend').replace(/\/+$/, '');
const TIMEOUT_MS = Number(process.env.BACKEND_TIMEOUT_MS || 3000);

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status, title, body) {
  return [
    status,
    `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family: sans-serif; margin: 2em">
<h1>${escape(title)}</h1>
${body}
<p><small>served by frontend pod <code>${escape(os.hostname())}</code></small></p>
</body></html>
`,
  ];
}

/**
 * GET url as JSON on a new connection each time. A Service balances connections, not requests:
 * with keep-alive (fetch's default) each frontend pod would stick to one backend pod.
 */
function getJSON(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(body));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

async function home() {
  const url = `${BACKEND}/api/message`;
  try {
    const data = await getJSON(url);
    return page(200, 'minik three-laptops demo', `<p>The backend says: <strong>${escape(data.message)}</strong></p>
<p>Answered by backend pod <code>${escape(data.pod)}</code> (version ${escape(data.version)})</p>`);
  } catch (err) {
    // Keep serving when the backend is down or not yet deployed: say so instead of crashing.
    const reason = err.message; // e.g. "getaddrinfo ENOTFOUND backend"
    return page(502, 'Backend unreachable', `<p>Could not reach the backend at <code>${escape(url)}</code>: ${escape(reason)}</p>`);
  }
}

const server = http.createServer(async (req, res) => {
  const started = Date.now();
  res.on('finish', () => {
    console.log(`${new Date().toISOString()} ${req.socket.remoteAddress} "${req.method} ${req.url}" ${res.statusCode} ${Date.now() - started}ms`);
  });
  const path = req.url.split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok\n');
  }
  const [status, html] = path === '/' ? await home() : page(404, 'Not found', `<p>No page at <code>${escape(path)}</code>.</p>`);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
});

server.listen(PORT, HOST, () => console.log(`frontend listening on http://${HOST}:${server.address().port}, backend ${BACKEND}`));

// PID 1 in a container has no default SIGTERM handler: exit promptly when the pod is deleted.
function shutdown(signal) {
  console.log(`${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
