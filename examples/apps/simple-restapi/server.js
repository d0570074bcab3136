// Stand-in for the book's REST server (rutush10/simple-restapi-server-py, FastAPI on port 8000).
// Only what the walkthroughs call is implemented: the health check, plus a version endpoint so
// a rolling update from v0.0.1 to v0.0.2 is visible from outside. Plain `http`, no dependencies.
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 8000); // PORT=0: any free port (the tests use it)
const HOST = process.env.HOST || '0.0.0.0';
const VERSION = process.env.VERSION || 'v0.0.1';

// Exactly `application/json` (no charset), as the book's `curl -i` output shows.
function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-app-version': VERSION,
  });
  res.end(text);
}

// Paths are matched with or without the trailing slash (FastAPI redirects one to the other).
const routes = {
  '/': () => ({
    name: 'simple-restapi-server',
    description: 'minik stand-in for rutush10/simple-restapi-server-py',
    version: VERSION,
    pod: os.hostname(),
    endpoints: ['GET /rest/v1/health/', 'GET /rest/v1/version/'],
  }),
  '/rest/v1/health': () => ({ status: 'ok' }),
  '/rest/v1/version': () => ({ version: VERSION }),
};

const server = http.createServer((req, res) => {
  const started = Date.now();
  // One line per request on stdout, so `minik logs` shows the traffic.
  res.on('finish', () => {
    const from = req.socket.remoteAddress;
    console.log(`${new Date().toISOString()} ${from} "${req.method} ${req.url}" ${res.statusCode} ${Date.now() - started}ms`);
  });
  const path = req.url.split('?')[0].replace(/(.)\/+$/, '$1');
  const route = routes[path];
  if (!route) return json(res, 404, { detail: 'Not Found' });
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { detail: 'Method Not Allowed' });
  json(res, 200, route());
});

server.listen(PORT, HOST, () => {
  console.log(`simple-restapi-server ${VERSION} listening on http://${HOST}:${server.address().port}`);
});

// As PID 1 in a container, node gets no default SIGTERM handling: without this, `docker stop`
// and pod deletion would wait out the whole grace period and then SIGKILL us.
function shutdown(signal) {
  console.log(`${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref(); // don't let a keep-alive client hold us
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
