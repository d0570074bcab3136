// Stand-in for Nigel Poulton's getting-started-k8s web app (book 002): a web page on port 8080.
// The page shows the version (1.0 / 2.0) and the pod name, so a rolling update and a rollback
// are visible in the browser. Plain `http`, no dependencies.
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 8080);
const HOST = process.env.HOST || '0.0.0.0';
const VERSION = process.env.VERSION || '1.0';

const html = () => `<!doctype html>
<html><head><meta charset="utf-8"><title>getting-started-k8s ${VERSION}</title></head>
<body style="font-family: sans-serif; margin: 2em">
<h1>Hello from Kubernetes (minik)</h1>
<p>App version <strong>${VERSION}</strong>, served by pod <code>${os.hostname()}</code>.</p>
</body></html>
`;

const server = http.createServer((req, res) => {
  const started = Date.now();
  res.on('finish', () => {
    console.log(`${new Date().toISOString()} ${req.socket.remoteAddress} "${req.method} ${req.url}" ${res.statusCode} ${Date.now() - started}ms`);
  });
  const path = req.url.split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok\n');
  }
  if (path !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end(`Cannot ${req.method} ${path}\n`);
  }
  const body = html();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-app-version': VERSION });
  res.end(body);
});

server.listen(PORT, HOST, () => console.log(`getting-started-k8s ${VERSION} listening on http://${HOST}:${server.address().port}`));

// PID 1 in a container has no default SIGTERM handler: exit promptly when the pod is deleted.
function shutdown(signal) {
  console.log(`${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
