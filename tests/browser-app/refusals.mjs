// What the server refuses: a request without the session token, from a foreign origin or
// host (cross-site requests, DNS rebinding), for a file outside the workspace, or too big;
// and the security headers of every answer. Plain HTTP: a browser cannot even build some
// of these requests, an attacker's program can.
//
// node refusals.mjs URL
// The workspace holds `link-out.yaml`, a link to a file outside it that says SECRET-OUTSIDE.
import { request } from "node:http";
import { base, check, checks } from "./lib.mjs";

const url = new URL(base);
const token = url.pathname.split("/")[1];
const host = url.host;

function send(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { Host: host, ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const json = (value) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });
const refused = (status) => status === 400 || status === 403;

await checks("refusals", async () => {
  const page = await send("GET", url.pathname);
  check(page.status === 200, "the app page is served under the token");
  check(
    page.headers["content-security-policy"] ===
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    `the app page carries the agreed content security policy (${page.headers["content-security-policy"]})`,
  );
  check(page.headers["x-content-type-options"] === "nosniff", "nosniff");
  check(page.headers["referrer-policy"] === "no-referrer", "no referrer");
  check(page.headers["cache-control"] === "no-store", "no caching");
  check(!/<script>|<style>|\sstyle=|\son[a-z]+=/i.test(page.body), "the app page has no inline script or style");

  const workspace = await send("GET", `${url.pathname}api/workspace`);
  check(workspace.status === 200, "the workspace is served under the token");
  const portfolio = await send("GET", `${url.pathname}portfolio`);
  check(portfolio.status === 200 && portfolio.headers["content-type"].startsWith("text/html"), "the portfolio report is served as a web page");
  check(!/script-src/.test(portfolio.headers["content-security-policy"]) && !/<script/i.test(portfolio.body), "the portfolio report may run no script");

  for (const path of ["/api/workspace", "/", "/assets/app.js", `/${"0".repeat(32)}/api/workspace`, `/${token.slice(0, 31)}/api/workspace`]) {
    const answer = await send("GET", path);
    check(answer.status === 404, `without the token, ${path} is not found (${answer.status})`);
    check(!answer.body.includes("yaml") && !answer.body.includes(token), `without the token, ${path} says nothing`);
  }

  const origin = await send("GET", `${url.pathname}api/workspace`, { headers: { Origin: "http://attacker.example" } });
  check(origin.status === 403, `a foreign origin is refused (${origin.status})`);
  const before = await send("GET", `${url.pathname}api/system?file=well-governed.yaml`);
  const version = JSON.parse(before.body).version;
  const post = await send("POST", `${url.pathname}api/answer`, {
    ...json({ file: "well-governed.yaml", version, path: "oversight.can_override", answer: { state: "value", value: false } }),
    headers: { "Content-Type": "application/json", Origin: "http://127.0.0.1.attacker.example" },
  });
  check(post.status === 403, `an answer from a foreign origin is refused (${post.status})`);
  const after = await send("GET", `${url.pathname}api/system?file=well-governed.yaml`);
  check(JSON.parse(after.body).version === version, "and the file is unchanged");
  const sameOrigin = await send("GET", `${url.pathname}api/workspace`, { headers: { Origin: `http://${host}` } });
  check(sameOrigin.status === 200, "the page's own origin is accepted");

  for (const bad of ["attacker.example", `attacker.example:${url.port}`, `127.0.0.1:${Number(url.port) + 1}`]) {
    const answer = await send("GET", `${url.pathname}api/workspace`, { headers: { Host: bad } });
    check(answer.status === 421 || answer.status === 403, `the host ${bad} is refused (${answer.status})`);
  }

  for (const file of ["../outside.yaml", "../../etc/passwd", "/etc/passwd", "link-out.yaml", "notes.txt", "sub/../../outside.yaml"]) {
    const answer = await send("GET", `${url.pathname}api/system?file=${encodeURIComponent(file)}`);
    check(refused(answer.status), `reading ${file} is refused (${answer.status})`);
    check(!answer.body.includes("SECRET-OUTSIDE") && !answer.body.includes("root:"), `reading ${file} shows nothing of it`);
    const report = await send("GET", `${url.pathname}api/report?file=${encodeURIComponent(file)}&format=json`);
    check(refused(report.status), `a report of ${file} is refused (${report.status})`);
    const write = await send("POST", `${url.pathname}api/answer`, json({ file, version: "0", path: "system.name", answer: { state: "value", value: "x" } }));
    check(refused(write.status), `writing ${file} is refused (${write.status})`);
  }
  const created = await send("POST", `${url.pathname}api/new`, json({ file: "../created-outside.yaml", name: "Outside" }));
  check(refused(created.status), `creating a file outside the workspace is refused (${created.status})`);

  const text = await send("POST", `${url.pathname}api/new`, { headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ file: "plain.yaml", name: "x" }) });
  check(text.status >= 400 && text.status < 500, `a body that is not JSON is refused (${text.status})`);
  const big = await send("POST", `${url.pathname}api/new`, json({ file: "big.yaml", name: "x".repeat(1024 * 1024 + 10) }));
  check(big.status === 413, `a body over 1 MiB is refused (${big.status})`);
});
