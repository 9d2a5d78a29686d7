// Serves upstream Pioreactor's built web app (its `vite build` output) and sends its API calls to our
// leader, as upstream's lighttpd does (packaging/runtime-files/lighttpd/50-pioreactorui.conf):
//   /static/<path>            -> <built-dir>/<path> (the build uses base "/static/")
//   /api/*, /unit_api/*       -> the leader, proxied: method, headers and body in; status, headers and
//                                body out, streamed (server-sent events and large downloads pass through)
//   anything else             -> a file at <built-dir>/<path> if there is one, else index.html (the app's
//                                router takes the path from there)
// Writes (anything but GET and HEAD) carry the browser's Origin, this server's; the leader refuses writes from
// another origin, so a write from this server's own origin is passed on with the leader's origin, and one from
// anywhere else is refused here (403) as the leader would.
// With UPSTREAM_UI_SIGN_IN=1 (scripts/upstream-ui --sign-in) a proxied call that carries no credentials of its own
// gets HTTP Basic from PIO_API_USERNAME / PIO_API_PASSWORD: upstream's app has no sign-in form. Then only requests
// naming this server by a loopback name (Host header) are served, so another site's page cannot use it by DNS
// rebinding.
// Node's built-in modules only. Run through scripts/upstream-ui.
"use strict";

const http = require("http");
const https = require("https");
const fs = require("fs");
const path = require("path");

function usage(message) {
  if (message) process.stderr.write(`upstream-ui: ${message}\n`);
  process.stderr.write("usage: upstream-ui-server.js <built-dir> <leader-url> <port> <host>\n");
  process.exit(2);
}

const [builtArg, leaderArg, portArg, hostArg] = process.argv.slice(2);
if (!builtArg || !leaderArg || !portArg || !hostArg) usage();
const root = fs.realpathSync(path.resolve(builtArg));
if (!fs.existsSync(path.join(root, "index.html"))) usage(`no index.html in ${root}: give vite's build directory`);
let leader;
try {
  leader = new URL(leaderArg);
} catch (e) {
  usage(`not a URL: ${leaderArg}`);
}
if (leader.protocol !== "http:" && leader.protocol !== "https:") usage("the leader URL must be http:// or https://");
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`not a port: ${portArg}`);
const leaderModule = leader.protocol === "https:" ? https : http;
const leaderBase = leader.pathname.replace(/\/+$/, "");
const signIn = process.env.UPSTREAM_UI_SIGN_IN === "1";
const basic = signIn
  ? "Basic " + Buffer.from(`${process.env.PIO_API_USERNAME || ""}:${process.env.PIO_API_PASSWORD || ""}`, "utf8").toString("base64")
  : null;
delete process.env.PIO_API_PASSWORD;

const PROXIED = /^\/(api|unit_api)(\/|$)/;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".yaml": "text/yaml; charset=utf-8",
  ".yml": "text/yaml; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
};

// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded either way.
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"]);

function forwardHeaders(raw) {
  const out = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

function log(req, status) {
  process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url} ${status}\n`);
}

function sendError(req, res, status, message, cause) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(cause ? { error: message, status, cause } : { error: message, status });
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
  log(req, status);
}

// Whether a Host or Origin authority names this server on a loopback name.
function loopbackAuthority(authority) {
  let u;
  try {
    u = new URL(`http://${authority}`);
  } catch (e) {
    return false;
  }
  const name = u.hostname.replace(/^\[|\]$/g, "");
  return Number(u.port || 80) === server.address().port && (name === "localhost" || name === "::1" || /^127\./.test(name));
}

function proxy(req, res) {
  if (signIn && !loopbackAuthority(req.headers.host || "")) {
    sendError(req, res, 403, "this server signs API calls in: only for requests to it by a loopback name");
    return;
  }
  const headers = forwardHeaders(req.headers);
  if (req.method !== "GET" && req.method !== "HEAD" && headers.origin !== undefined) {
    let own = false;
    try {
      own = new URL(headers.origin).host === (req.headers.host || "").toLowerCase();
    } catch (e) {
      own = false;
    }
    if (!own) {
      sendError(req, res, 403, "cross-origin writes are refused");
      return;
    }
    headers.origin = leader.origin;
  }
  if (basic && !headers.authorization && !/(^|;\s*)pio_session=/.test(headers.cookie || "")) headers.authorization = basic;
  headers.host = leader.host;
  const client = req.socket.remoteAddress || "";
  headers["x-forwarded-for"] = req.headers["x-forwarded-for"] ? `${req.headers["x-forwarded-for"]}, ${client}` : client;
  headers["x-forwarded-host"] = req.headers.host || "";
  headers["x-forwarded-proto"] = "http";
  const upstream = leaderModule.request(
    {
      protocol: leader.protocol,
      hostname: leader.hostname,
      port: leader.port || undefined,
      method: req.method,
      path: leaderBase + req.url,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode, answer.statusMessage, forwardHeaders(answer.headers));
      // Server-sent events: send each chunk as it comes.
      if (typeof res.flushHeaders === "function") res.flushHeaders();
      answer.pipe(res);
      answer.on("error", () => res.destroy());
      log(req, answer.statusCode);
    }
  );
  upstream.on("error", (e) => sendError(req, res, 502, `the leader at ${leader.origin} did not answer`, e.message));
  // The browser went away (closed an event stream, navigated): stop asking the leader.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function sendFile(req, res, file, status) {
  fs.stat(file, (err, stat) => {
    if (err || !stat.isFile()) {
      sendError(req, res, 404, "Not Found");
      return;
    }
    const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
    // Vite's hashed bundles never change; index.html and the rest are looked at again.
    const hashed = /-[A-Za-z0-9_-]{8}\.(js|css)$/.test(file);
    res.writeHead(status, {
      "Content-Type": type,
      "Content-Length": stat.size,
      "Cache-Control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (req.method === "HEAD") {
      res.end();
    } else {
      fs.createReadStream(file).on("error", () => res.destroy()).pipe(res);
    }
    log(req, status);
  });
}

// The file under root that a URL path names, or null (outside root, or not decodable).
function fileUnder(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch (e) {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch (e) {
    return false;
  }
}

const server = http.createServer((req, res) => {
  const urlPath = req.url.split("?")[0];
  if (PROXIED.test(urlPath)) {
    proxy(req, res);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(req, res, 405, "Method Not Allowed");
    return;
  }
  if (urlPath === "/static" || urlPath.startsWith("/static/")) {
    const file = fileUnder(urlPath.slice("/static".length));
    if (file === null) sendError(req, res, 404, "Not Found");
    else sendFile(req, res, file, 200);
    return;
  }
  const file = fileUnder(urlPath);
  if (file !== null && isFile(file)) sendFile(req, res, file, 200);
  else sendFile(req, res, path.join(root, "index.html"), 200);
});
server.requestTimeout = 0; // event streams stay open
server.on("error", (e) => {
  process.stderr.write(`upstream-ui: ${e.message}\n`);
  process.exit(1);
});
server.listen(port, hostArg, () => {
  const where = server.address();
  process.stdout.write(`Upstream web app from ${root}\n  http://${hostArg.includes(":") ? `[${hostArg}]` : hostArg}:${where.port}/  (API calls go to ${leader.origin}${leaderBase}${signIn ? `, signed in as ${process.env.PIO_API_USERNAME}` : ""})\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
