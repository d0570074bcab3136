// The three-laptops backend: a JSON API on port 8080 (a Go server in the book, Node.js here).
// The response names the pod that answered, so load balancing across replicas is visible.
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 8080);
const HOST = process.env.HOST || '0.0.0.0';
const VERSION = process.env.VERSION || 'v0.0.1';

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const started = Date.now();
  res.on('finish', () => {
    console.log(`${new Date().toISOString()} ${req.socket.remoteAddress} "${req.method} ${req.url}" ${res.statusCode} ${Date.now() - started}ms`);
  });
  const path = req.url.split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
  if (path === '/' || path === '/api/message') {
    return json(res, 200, { message: 'hello from the backend', pod: os.hostname(), version: VERSION });
  }
  if (path === '/healthz') return json(res, 200, { status: 'ok' });
  json(res, 404, { error: 'not found', path });
});

server.listen(PORT, HOST, () => console.log(`backend ${VERSION} listening on http://${HOST}:${server.address().port}`));

// PID 1 in a container has no default SIGTERM handler: exit promptly when the pod is deleted.
function shutdown(signal) {
  console.log(`${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
