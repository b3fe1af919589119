#!/usr/bin/env node
// Browser test of the SMART authorize pages (login, patient picker, consent) in Debian's headless
// Chromium, driven by playwright-core (tests/browser/package.json; scripts/npm-deps.sh installs it,
// scripts/deps.sh --browser installs chromium). Plain Node, no test runner: CTest runs
//
//   node smart_launch.spec.js --fhir-serve BIN --fhirctl BIN [--chromium /usr/bin/chromium]
//                             [--artifacts DIR] [--screenshots DIR]
//
// It starts a real `fhir-serve --dev --demo` on a free loopback port with a temporary data dir,
// reads DATA_DIR/demo-credentials.json, reads the SMART discovery document, registers apps through
// POST /oauth2/register, and then, in a real browser:
//   1. patient standalone launch with PKCE: login, consent lists every requested scope as a ticked
//      checkbox, one is unticked, allow; the redirect reaches the app (a Node HTTP server on a
//      loopback redirect_uri); code -> token with the verifier; the unticked scope is not granted;
//      the token reads its own Patient, not another patient's, and no Observation (unticked);
//   2. an app asking for user/ scopes starts disabled: an error page, never a redirect; once enabled
//      (`fhirctl client enable`), the clinician flow: login, patient picker (list, search by name,
//      pick), consent, code -> token (client_secret_basic) whose `patient` is the picked one;
//   3. wrong password: the login page again with an error, no redirect; then
//   4. deny at consent: redirect with error=access_denied and the state, no code.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure (and when Chromium,
// playwright-core or the server cannot start: never a silent skip). On failure a screenshot and the
// page's HTML go to --artifacts, and the server log tail to stderr. --screenshots DIR saves every page
// it meets (login, error, picker, consent), to look at.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const started = Date.now();
const WATCHDOG_MS = 170_000;  // CTest's TIMEOUT is 200 s; a hung browser must not reach it silently

function die(message) {
  console.error(`FATAL: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { chromium: process.env.CHROMIUM || '/usr/bin/chromium', artifacts: '', screenshots: '' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) die(`${flag} needs a value`);
    if (flag === '--fhir-serve') opts.fhirServe = value;
    else if (flag === '--fhirctl') opts.fhirctl = value;
    else if (flag === '--chromium') opts.chromium = value;
    else if (flag === '--artifacts') opts.artifacts = value;
    else if (flag === '--screenshots') opts.screenshots = value;
    else die(`unknown option ${flag}`);
    i++;
  }
  if (!opts.fhirServe || !opts.fhirctl) {
    die('usage: smart_launch.spec.js --fhir-serve BIN --fhirctl BIN [--chromium BIN] [--artifacts DIR] ' +
        '[--screenshots DIR]');
  }
  for (const [what, file] of [['fhir-serve', opts.fhirServe], ['fhirctl', opts.fhirctl], ['chromium', opts.chromium]]) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      die(`${what} not found or not executable at ${file}` +
          (what === 'chromium' ? ' (install it with scripts/deps.sh --browser)' : ''));
    }
  }
  return opts;
}

let playwright;
try {
  playwright = require('playwright-core');
} catch (e) {
  die(`playwright-core is not installed in tests/browser (run scripts/npm-deps.sh): ${e.message}`);
}

// --- small helpers ---

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const randomToken = () => b64url(crypto.randomBytes(32));
const s256 = (verifier) => b64url(crypto.createHash('sha256').update(verifier).digest());

function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function assertEq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
const sorted = (xs) => [...xs].sort();

// Child processes still running when the process exits (the watchdog's die(), a crash) are killed.
const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

// --- the server under test ---

async function startServer(bin) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fhir-browser-'));
  const child = spawn(bin, ['--data-dir', dataDir, '--listen', '127.0.0.1:0', '--dev', '--demo'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const port = await new Promise((resolve, reject) => {
    const fail = reject;
    reject = (e) => {  // a failed start leaves no data dir behind
      fs.rmSync(dataDir, { recursive: true, force: true });
      fail(e);
    };
    // Loading the demo data takes a few seconds on an idle machine, much longer on a loaded one.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fhir-serve did not report "listening on" in 120 s; its log:\n${log}`));
    }, 120_000);
    const check = () => {
      const m = /listening on https:\/\/[^ ]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fhir-serve exited early with ${code}; its log:\n${log}`));
    });
  });
  return {
    dataDir,
    port,
    root: `https://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The app's side of the redirect: an HTTP server on a loopback redirect_uri (allowed for native
// apps) that records every callback it receives.
async function startAppServer() {
  const hits = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') {  // e.g. the browser's /favicon.ico
      res.writeHead(404);
      res.end();
      return;
    }
    hits.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><title>Test app</title><p id="app-callback">The app received the callback.</p>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    redirectUri: `http://127.0.0.1:${server.address().port}/callback`,
    hits,
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();  // the browser's keep-alive connections would hold close() up
    }),
  };
}

function basicAuth(id, secret) {
  return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

// --- the checks ---

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const watchdog = setTimeout(() => die(`the test did not finish in ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS);
  watchdog.unref();

  const results = [];
  let server;
  let app;
  let browser;
  let api;
  let launching;
  try {
    // The server (demo data: the slow part), the app's callback server and Chromium start together.
    launching = playwright.chromium.launch({
      executablePath: opts.chromium,
      headless: true,
      // Root needs --no-sandbox (playwright adds it: chromiumSandbox defaults to false). The closed
      // network refuses Chromium's background connections: turn them off.
      args: ['--ignore-certificate-errors', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    launching.catch(() => {});  // awaited below; a failure there is reported as the setup failure
    app = await startAppServer();
    server = await startServer(opts.fhirServe);
    browser = await launching;
    const demoLoad = /demo data: .* loaded in (\d+) ms/.exec(server.log());
    console.log(`fhir-serve --dev --demo listening and Chromium ${browser.version()} started after ` +
                `${((Date.now() - started) / 1000).toFixed(1)} s` +
                (demoLoad ? ` (of which the demo data load: ${(demoLoad[1] / 1000).toFixed(1)} s)` : ''));
    const base = `${server.root}/r4`;
    const creds = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'demo-credentials.json'), 'utf8'));
    assert(creds.clinician && creds.patients && creds.patients.length >= 3,
           'demo-credentials.json lacks a clinician or three patients');

    api = await playwright.request.newContext({ ignoreHTTPSErrors: true });

    const smart = await (await api.get(`${base}/.well-known/smart-configuration`)).json();
    assertEq(smart.issuer, base, 'smart-configuration issuer');
    assertEq((await api.get(`${base}/Patient?_count=1`)).status(), 401, 'FHIR search without a token');

    async function register(metadata) {
      const r = await api.post(smart.registration_endpoint, { data: metadata });
      const body = await r.json().catch(() => ({}));
      assertEq(r.status(), 201, `registration of "${metadata.client_name}" (${JSON.stringify(body)})`);
      return body;
    }
    function authorizeUrl(client, scope, state, verifier) {
      const q = new URLSearchParams({
        response_type: 'code', client_id: client.client_id, redirect_uri: app.redirectUri, scope, state,
        aud: base, nonce: randomToken(), code_challenge: s256(verifier), code_challenge_method: 'S256',
      });
      return `${smart.authorization_endpoint}?${q}`;
    }
    async function exchange(client, code, verifier) {
      const form = { grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, code_verifier: verifier };
      const headers = {};
      if (client.client_secret) headers.authorization = basicAuth(client.client_id, client.client_secret);
      else form.client_id = client.client_id;
      const r = await api.post(smart.token_endpoint, { form, headers });
      const body = await r.json().catch(() => ({}));
      assertEq(r.status(), 200, `token exchange (${JSON.stringify(body.error ? body : {})})`);
      return body;
    }
    const fhirGet = (p, token) => api.get(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } });

    // Runs one named check in a fresh browser context; a failure records a screenshot and the HTML.
    async function check(name, fn) {
      const t0 = Date.now();
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      try {
        await fn(page);
        results.push({ name, ok: true });
        console.log(`ok - ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        results.push({ name, ok: false });
        console.log(`not ok - ${name} (${Date.now() - t0} ms)\n  ${e.message.split('\n').join('\n  ')}`);
        console.log(`  page: ${page.url()}`);
        if (opts.artifacts) {
          fs.mkdirSync(opts.artifacts, { recursive: true });
          const stem = path.join(opts.artifacts, name.replace(/[^a-z0-9]+/gi, '_'));
          await page.screenshot({ path: `${stem}.png`, fullPage: true }).catch(() => {});
          fs.writeFileSync(`${stem}.html`, await page.content().catch(() => ''));
          console.log(`  screenshot and HTML: ${stem}.png, ${stem}.html`);
        }
      } finally {
        await context.close();
      }
    }

    let shots = 0;
    async function shot(page, name) {
      if (!opts.screenshots) return;
      fs.mkdirSync(opts.screenshots, { recursive: true });
      await page.screenshot({ path: path.join(opts.screenshots, `${String(++shots).padStart(2, '0')}-${name}.png`),
                              fullPage: true });
    }

    // Fills and submits the login form.
    async function signIn(page, username, password) {
      await shot(page, 'login');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState('load');
    }
    // Clicks a button and waits until the browser lands on the app's redirect_uri; returns its query.
    async function clickToApp(page, button) {
      const before = app.hits.length;
      await Promise.all([page.waitForURL((u) => u.href.startsWith(app.redirectUri)), button.click()]);
      await page.locator('#app-callback').waitFor();
      assertEq(app.hits.length, before + 1, 'callbacks the app received');
      return app.hits[app.hits.length - 1].searchParams;
    }
    async function consentScopes(page) {
      return page.locator('#consent input[type=checkbox][name=scope]').evaluateAll(
          (els) => els.map((e) => ({ value: e.value, checked: e.checked })));
    }

    // 1. Patient standalone launch with PKCE; one scope unticked.
    const patientScopes = ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/Patient.read',
                           'patient/Observation.read'];
    const patientApp = await register({
      client_name: 'Browser test patient app', redirect_uris: [app.redirectUri], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'], scope: patientScopes.join(' '),
    });
    const me = creds.patients[0];
    const other = creds.patients[1];
    await check('patient standalone launch with PKCE, one scope unticked at consent', async (page) => {
      const verifier = randomToken();
      const state = `s1-${randomToken()}`;
      await page.goto(authorizeUrl(patientApp, patientScopes.join(' '), state, verifier));
      assertEq(await page.locator('h1').innerText(), 'Sign in', 'first page heading');
      assert((await page.locator('main').innerText()).includes('Browser test patient app'),
             'the login page names the app');
      await signIn(page, me.username, me.password);
      assertEq(await page.locator('h1').innerText(), 'Allow access?', 'page after login');
      const boxes = await consentScopes(page);
      assertEq(sorted(boxes.map((b) => b.value)), sorted(patientScopes), 'consent checkboxes');
      assert(boxes.every((b) => b.checked), 'every scope starts ticked');
      assert(await page.locator('#offline-notice').isVisible(), 'offline_access notice shown');
      assert((await page.locator('main').innerText()).includes(`Patient/${me.patient}`),
             'consent names the patient');
      await shot(page, 'consent-patient');
      await page.locator('input[name=scope][value="patient/Observation.read"]').uncheck();
      const q = await clickToApp(page, page.getByRole('button', { name: 'Allow' }));
      assertEq(q.get('state'), state, 'state echoed');
      assertEq(q.get('iss'), base, 'iss in the redirect');
      assert(q.get('code'), 'a code in the redirect');
      const token = await exchange(patientApp, q.get('code'), verifier);
      const granted = token.scope.split(' ');
      assert(!granted.includes('patient/Observation.read'), `unticked scope granted: "${token.scope}"`);
      assert(granted.includes('patient/Patient.read'), `patient/Patient.read missing: "${token.scope}"`);
      assertEq(token.patient, me.patient, 'token response patient');
      assertEq(token.token_type, 'Bearer', 'token_type');
      assert(token.refresh_token, 'a refresh token (offline_access ticked)');
      assert(token.id_token, 'an id_token (openid)');
      const own = await fhirGet(`/Patient/${me.patient}`, token.access_token);
      assertEq(own.status(), 200, 'reading the own Patient');
      assertEq((await own.json()).id, me.patient, 'own Patient id');
      const theirs = await fhirGet(`/Patient/${other.patient}`, token.access_token);
      assert([403, 404].includes(theirs.status()), `another patient's Patient gave ${theirs.status()}`);
      const obs = await fhirGet(`/Observation?patient=${me.patient}`, token.access_token);
      assertEq(obs.status(), 403, 'Observation search with the unticked scope');
    });

    // 2. Clinician app (user/ scopes): disabled until an administrator enables it; then the picker.
    const clinicianScopes = ['openid', 'fhirUser', 'launch/patient', 'user/Patient.read', 'patient/Observation.read'];
    const clinicianApp = await register({
      client_name: 'Browser test clinician app', redirect_uris: [app.redirectUri],
      token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'],
      scope: clinicianScopes.join(' '),
    });
    await check('an app with user/ scopes is refused on an error page until enabled (no redirect)', async (page) => {
      const before = app.hits.length;
      const response = await page.goto(authorizeUrl(clinicianApp, clinicianScopes.join(' '), 's2', randomToken()));
      assert(page.url().startsWith(smart.authorization_endpoint), `left the server: ${page.url()}`);
      assert(response.status() >= 400, `error page status ${response.status()}`);
      assertEq(await page.locator('h1').innerText(), 'This sign-in request cannot continue', 'error heading');
      assertEq(await page.locator('main code').innerText(), 'unauthorized_client', 'error code on the page');
      assertEq(app.hits.length, before, 'callbacks the app received');
      await shot(page, 'error-disabled-app');
    });
    const pickerScopes = clinicianScopes;
    {
      const r = spawnSync(opts.fhirctl, ['--data-dir', server.dataDir, 'client', 'enable', clinicianApp.client_id],
                          { encoding: 'utf8' });
      assertEq(r.status, 0, `fhirctl client enable (stderr: ${r.stderr})`);
    }
    await check('clinician launch: patient picker (list, search by name, pick), consent, token patient', async (page) => {
      const verifier = randomToken();
      const state = `s2-${randomToken()}`;
      await page.goto(authorizeUrl(clinicianApp, pickerScopes.join(' '), state, verifier));
      await signIn(page, creds.clinician.username, creds.clinician.password);
      assertEq(await page.locator('h1').innerText(), 'Choose a patient', 'page after a clinician login');
      const radios = page.locator('#picker input[type=radio][name=patient]');
      const listed = await radios.count();
      assert(listed >= 2, `the picker lists ${listed} patients`);
      await shot(page, 'picker');
      // The last listed patient (not the first, so the choice is seen to matter); search by family name.
      const row = page.locator('#picker label.choice').last();
      const id = await row.locator('input').getAttribute('value');
      const name = (await row.innerText()).split('born')[0].trim();
      const family = name.split(' ').pop();
      assert(family && family !== '(no name)', `a patient name in the row "${await row.innerText()}"`);
      await page.getByLabel('Find a patient by name').fill(family);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForLoadState('load');
      const found = await radios.evaluateAll((els) => els.map((e) => e.value));
      assert(found.includes(id), `searching "${family}" lists Patient/${id} (got ${found.join(', ')})`);
      await page.getByLabel('Find a patient by name').fill('Zzyzx-nobody');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForLoadState('load');
      assertEq(await radios.count(), 0, 'rows for a name no patient has');
      assert((await page.locator('#picker').innerText()).includes('No patient matches'), 'the empty-result line');
      await shot(page, 'picker-no-match');
      await page.getByLabel('Find a patient by name').fill(family);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForLoadState('load');
      await page.locator(`#picker input[name=patient][value="${id}"]`).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState('load');
      assertEq(await page.locator('h1').innerText(), 'Allow access?', 'page after picking');
      assert((await page.locator('main').innerText()).includes(`Patient/${id}`), 'consent names the picked patient');
      const boxes = await consentScopes(page);
      assertEq(sorted(boxes.map((b) => b.value)), sorted(pickerScopes), 'consent checkboxes');
      await shot(page, 'consent-clinician');
      const q = await clickToApp(page, page.getByRole('button', { name: 'Allow' }));
      assertEq(q.get('state'), state, 'state echoed');
      const token = await exchange(clinicianApp, q.get('code'), verifier);
      assertEq(token.patient, id, 'token response patient (the picked one)');
      const picked = await fhirGet(`/Patient/${id}`, token.access_token);
      assertEq(picked.status(), 200, 'reading the picked Patient');
    });

    // 3 + 4. Wrong password, then deny at consent (another patient user: no lockout interplay).
    const third = creds.patients[2];
    await check('wrong password shows the login page again with an error, no redirect; then deny', async (page) => {
      const verifier = randomToken();
      const state = `s3-${randomToken()}`;
      await page.goto(authorizeUrl(patientApp, 'openid patient/Patient.read', state, verifier));
      const before = app.hits.length;
      await signIn(page, third.username, `${third.password}-wrong`);
      assert(page.url().startsWith(smart.authorization_endpoint), `left the server: ${page.url()}`);
      assertEq(await page.locator('h1').innerText(), 'Sign in', 'page after a wrong password');
      const error = (await page.locator('p.error[role=alert]').innerText()).trim();
      assert(error.length > 0, 'an error message on the login page');
      assertEq(await page.getByLabel('Password').inputValue(), '', 'password field cleared');
      assertEq(app.hits.length, before, 'callbacks the app received');
      await shot(page, 'login-wrong-password');
      console.log(`  (login error shown: "${error}")`);
      // The same request goes on with the right password; deny at consent.
      await signIn(page, third.username, third.password);
      assertEq(await page.locator('h1').innerText(), 'Allow access?', 'page after the right password');
      assertEq(sorted((await consentScopes(page)).map((b) => b.value)), sorted(['openid', 'patient/Patient.read']),
               'consent checkboxes');
      assertEq(await page.locator('#offline-notice').count(), 0, 'no offline notice without offline_access');
      const q = await clickToApp(page, page.getByRole('button', { name: 'Deny' }));
      assertEq(q.get('error'), 'access_denied', 'error in the redirect');
      assertEq(q.get('state'), state, 'state echoed');
      assertEq(q.get('code'), null, 'no code on deny');
    });
  } catch (e) {
    results.push({ name: 'setup', ok: false });
    console.log(`not ok - setup: ${e.stack || e.message}`);
  } finally {
    if (!browser && launching) browser = await launching.catch(() => null);
    if (browser) await browser.close().catch(() => {});
    if (api) await api.dispose().catch(() => {});
    if (app) await app.close();
    const failed = results.filter((r) => !r.ok).length;
    if (failed && server) {
      console.log('--- fhir-serve log (last 40 lines) ---');
      console.log(server.log().split('\n').slice(-40).join('\n'));
    }
    if (server) await server.stop();
    clearTimeout(watchdog);
    console.log(`browser test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`${results.length - failed} passed, ${failed} failed`);
    // Exit now: nothing left may keep the process (and CTest) waiting.
    process.exit(failed || results.length === 0 ? 1 : 0);
  }
}

main().catch((e) => die(e.stack || e.message));
