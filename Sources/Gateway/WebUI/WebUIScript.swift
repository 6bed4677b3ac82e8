/// The web UI's script, hand-written and served as is (`<root>/ui/app.js`): no framework, no build
/// step. It renders four pages from the gateway's own API (hash routes `#/jobs`, `#/job/<id>`,
/// `#/clusters`, `#/submit`), follows a job through the status stream, and tails its driver log.
enum WebUIScript {
    static let source = #"""
'use strict';
(function () {
  const doc = document.documentElement;
  const root = doc.dataset.root || '';
  const terminal = new Set((doc.dataset.terminal || '').split(' ').filter(Boolean));
  const main = document.getElementById('main');
  const live = document.getElementById('live');
  let closers = [];

  // ---- helpers -----------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function announce(text) { live.textContent = text; }
  function when(millis) {
    if (!millis) return '';
    const date = new Date(Number(millis));
    return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }
  async function call(path, options) {
    const response = await fetch(root + path, Object.assign({ credentials: 'same-origin' }, options || {}));
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!response.ok) {
      const message = body && body.message ? body.message : (text || response.statusText);
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body === null ? text : body;
  }
  function stateBadge(state) {
    // The state is always written out: colour (where shown) only repeats it.
    const kind = state === 'COMPLETED' ? 'ok' : terminal.has(state) ? 'bad' : 'busy';
    return el('span', { class: 'state state-' + kind, text: state || 'UNKNOWN' });
  }
  function failure(error) {
    return el('p', { class: 'error', role: 'alert', text: 'Error: ' + error.message });
  }
  function page(title, ...children) {
    main.replaceChildren(el('h1', { tabindex: '-1', id: 'page-title', text: title }), ...children);
    document.title = title + ' · Batch Processing Gateway';
    document.getElementById('page-title').focus();
  }
  function onClose(closer) { closers.push(closer); }

  // ---- router ------------------------------------------------------------------------------
  function route() {
    // In-page anchors (the skip link's #main) are not pages: move focus, keep the page.
    if (location.hash && !location.hash.startsWith('#/')) {
      const target = document.getElementById(location.hash.slice(1));
      if (target) { target.focus(); return; }
    }
    for (const close of closers) { try { close(); } catch (e) { /* already closed */ } }
    closers = [];
    const hash = location.hash || '#/jobs';
    const [, name, rest] = hash.match(/^#\/([^/?]*)\/?([^?]*)/) || [null, 'jobs', ''];
    const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
    for (const link of document.querySelectorAll('nav a')) {
      if (link.getAttribute('href') === '#/' + name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (name === 'job' && rest) return jobPage(decodeURIComponent(rest));
    if (name === 'clusters') return clustersPage();
    if (name === 'submit') return submitPage();
    return jobsPage(query);
  }
  window.addEventListener('hashchange', route);

  // ---- my jobs -----------------------------------------------------------------------------
  const states = ['', 'ACCEPTED', 'CREATED', 'SUBMITTED', 'RUNNING', 'SUCCEEDING', 'COMPLETED', 'FAILING', 'FAILED',
    'SUBMISSION_FAILED', 'PENDING_RERUN', 'OUTCOME_UNKNOWN', 'FENCED', 'DELETED'];

  async function jobsPage(query) {
    const state = query.get('state') || '';
    const all = query.get('all') === '1';
    const cursor = query.get('cursor') || '';
    const form = el('form', { class: 'filters', 'aria-label': 'Filter jobs' },
      el('label', {}, 'State ', el('select', { name: 'state', id: 'state-filter' },
        states.map((s) => el('option', { value: s, selected: s === state, text: s || 'any' })))),
      el('span', { id: 'all-users' }),
      el('button', { type: 'submit', text: 'Show' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      if (form.state.value) params.set('state', form.state.value);
      if (form.all && form.all.checked) params.set('all', '1');
      location.hash = '#/jobs' + (params.toString() ? '?' + params : '');
    });
    const holder = el('div', { id: 'jobs', 'aria-busy': 'true' }, el('p', { text: 'Loading…' }));
    page(all ? 'All jobs' : 'My jobs', form, holder);
    const params = new URLSearchParams({ limit: '25' });
    if (state) params.set('state', state);
    if (all) params.set('all', '1');
    if (cursor) params.set('cursor', cursor);
    try {
      const listing = await call('/ui/api/jobs?' + params);
      if (listing.canListAll) {
        form.querySelector('#all-users').replaceChildren(
          el('label', {}, el('input', { type: 'checkbox', name: 'all', checked: all }), ' All users'));
      }
      const rows = listing.jobs.map((job) => el('tr', {},
        el('td', {}, el('a', { href: '#/job/' + encodeURIComponent(job.submissionId), text: job.submissionId })),
        el('td', { text: job.applicationName || '' }),
        el('td', {}, stateBadge(job.state)),
        el('td', { text: job.user || '' }),
        el('td', { text: job.queue || '' }),
        el('td', { text: job.cluster || '' }),
        el('td', { text: when(job.createdAt) })));
      const table = rows.length === 0 ? el('p', { text: 'No jobs.' }) : el('div', { class: 'scroll' },
        el('table', {}, el('caption', { class: 'visually-hidden', text: 'Jobs, newest first' }),
          el('thead', {}, el('tr', {}, ['Submission', 'Name', 'State', 'User', 'Queue', 'Cluster', 'Created']
            .map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, rows)));
      const paging = el('nav', { class: 'paging', 'aria-label': 'Pages' });
      const base = new URLSearchParams();
      if (state) base.set('state', state);
      if (all) base.set('all', '1');
      if (cursor) paging.append(el('a', { href: '#/jobs' + (base.toString() ? '?' + base : ''), text: 'First page' }));
      if (listing.nextCursor) {
        const next = new URLSearchParams(base);
        next.set('cursor', listing.nextCursor);
        paging.append(el('a', { href: '#/jobs?' + next, rel: 'next', text: 'Next page' }));
      }
      holder.replaceChildren(table, paging);
    } catch (error) {
      holder.replaceChildren(failure(error));
    }
    holder.removeAttribute('aria-busy');
  }

  // ---- one job -----------------------------------------------------------------------------
  async function jobPage(id) {
    const path = '/spark/' + encodeURIComponent(id);
    const summary = el('dl', { id: 'summary', class: 'facts' });
    const timeline = el('ol', { id: 'timeline', class: 'timeline', 'aria-live': 'polite' });
    const logView = el('pre', { id: 'log', class: 'log', tabindex: '0', 'aria-label': 'Driver log' });
    const spec = el('pre', { id: 'spec', tabindex: '0', 'aria-label': 'Spec as YAML' });
    const events = el('pre', { id: 'events', tabindex: '0', 'aria-label': 'Kubernetes events' });
    page('Job ' + id,
      summary,
      el('section', { 'aria-labelledby': 'h-timeline' }, el('h2', { id: 'h-timeline', text: 'State timeline' }), timeline),
      el('section', { 'aria-labelledby': 'h-log' }, el('h2', { id: 'h-log', text: 'Driver log (live tail)' }), logView),
      el('section', { 'aria-labelledby': 'h-spec' }, el('h2', { id: 'h-spec', text: 'Spec' }), spec),
      el('section', { 'aria-labelledby': 'h-events' }, el('h2', { id: 'h-events', text: 'Events' }), events));

    let finished = false;
    let logDone = false;
    let logRunning = false;
    let retriedAfterEnd = false;

    async function refreshSummary() {
      try {
        const [status, driver] = await Promise.all([
          call(path + '/status'), call(path + '/driver').catch(() => ({}))]);
        const facts = [
          ['State', stateBadge(status.applicationState)],
          ['Reason', status.applicationErrorMessage || null],
          ['Spark application id', status.sparkApplicationId || null],
          ['Created', when(status.creationTime)],
          ['Finished', status.terminationTime ? when(status.terminationTime) : null],
          ['Duration', status.duration ? Math.round(status.duration / 1000) + ' s' : null],
          ['Driver', driver && driver.podName ? driver.podName + (driver.startTime ? ' (started ' + when(driver.startTime) + ')' : '') : null],
          ['Spark UI', status.sparkUIUrl ? el('a', { href: status.sparkUIUrl, text: status.sparkUIUrl }) : null],
        ].filter(([, value]) => value !== null && value !== '');
        summary.replaceChildren(...facts.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { class: 'fact-' + term.toLowerCase().replace(/[^a-z]+/g, '-') }, value)]));
        if (terminal.has(status.applicationState)) finished = true;
      } catch (error) {
        summary.replaceChildren(el('dt', { text: 'Status' }), el('dd', {}, failure(error)));
        if (error.status === 404 || error.status === 403) finished = true;
      }
    }

    function addTransition(event) {
      const item = el('li', { 'data-state': event.state },
        stateBadge(event.state), ' ', el('time', { datetime: new Date(event.observedAt).toISOString(), text: when(event.observedAt) }),
        event.message ? el('span', { class: 'message', text: ' — ' + event.message }) : null);
      timeline.append(item);
      announce('Job ' + id + ' is ' + event.state);
    }

    async function loadDescribe() {
      try {
        const text = await call(path + '/describe');
        const eventsAt = text.indexOf('--- Spark Application Events ---');
        spec.textContent = (eventsAt >= 0 ? text.slice(0, eventsAt) : text).replace('--- Spark Spec ---\n', '');
        events.textContent = eventsAt >= 0 ? text.slice(eventsAt) : '';
      } catch (error) {
        spec.textContent = 'Not available: ' + error.message;
      }
    }

    // The driver log, followed while the driver runs; the last 64 KiB are kept on screen.
    async function tailLog() {
      if (logRunning || logDone) return;
      logRunning = true;
      const controller = new AbortController();
      onClose(() => controller.abort());
      try {
        const response = await fetch(root + '/log?subId=' + encodeURIComponent(id), { credentials: 'same-origin', signal: controller.signal });
        if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text = (text + decoder.decode(value, { stream: true })).slice(-65536);
          logView.textContent = text;
          logView.scrollTop = logView.scrollHeight;
        }
        // No log yet (the driver has not started): try again while the job is alive, once more after.
        if (text.startsWith('Cannot find matched log files')) {
          logRunning = false;
          if (!finished) setTimeout(tailLog, 2000);
          else if (!retriedAfterEnd) { retriedAfterEnd = true; setTimeout(tailLog, 1000); }
          return;
        }
        logDone = true;
      } catch (error) {
        if (error.name !== 'AbortError') logView.textContent = 'Log not available: ' + error.message;
      }
      logRunning = false;
    }

    // The state timeline from the status stream; servers without it get polled status instead.
    function follow() {
      if (!window.EventSource) return poll('');
      const source = new EventSource(root + path + '/events');
      let lastState = '';
      onClose(() => source.close());
      source.addEventListener('state', (message) => {
        const event = JSON.parse(message.data);
        lastState = event.state;
        addTransition(event);
        refreshSummary();
        if (event.state === 'RUNNING' || terminal.has(event.state)) tailLog();
        if (terminal.has(event.state)) {
          finished = true;
          source.close();
          loadDescribe();
        }
      });
      // EventSource retries network errors itself (with Last-Event-ID); an answer that is not a
      // stream (404 or 405 from a server without it, 503 when too many are open) closes it for
      // good: then status is polled instead.
      source.addEventListener('error', () => {
        if (finished || source.readyState !== EventSource.CLOSED) return;
        poll(lastState);
      });
    }

    function poll(known) {
      let last = known || '';
      const timer = setInterval(async () => {
        try {
          const status = await call(path + '/status');
          if (status.applicationState !== last) {
            last = status.applicationState;
            addTransition({ state: last, observedAt: Date.now(), message: status.applicationErrorMessage });
            refreshSummary();
            tailLog();
          }
          if (terminal.has(last)) clearInterval(timer);
        } catch (error) { clearInterval(timer); }
      }, 2000);
      onClose(() => clearInterval(timer));
    }

    await refreshSummary();
    loadDescribe();
    follow();
    tailLog();
  }

  // ---- clusters ----------------------------------------------------------------------------
  async function clustersPage() {
    const holder = el('div', { id: 'clusters', 'aria-busy': 'true' }, el('p', { text: 'Loading…' }));
    page('Clusters', holder, el('p', {}, el('button', { type: 'button', onclick: () => route(), text: 'Refresh' })));
    try {
      const report = await call('/admin/clusters');
      const rows = report.clusters.map((cluster) => el('tr', { 'data-cluster': cluster.id },
        el('th', { scope: 'row', text: cluster.id }),
        el('td', {}, el('span', { class: 'health health-' + cluster.health, text: cluster.health.toUpperCase() })),
        el('td', { text: cluster.state }),
        el('td', { text: String(cluster.weight) }),
        el('td', { text: cluster.backlog ? cluster.backlog.pending + ' pending, ' + cluster.backlog.running + ' running' : 'not monitored here' }),
        el('td', { text: cluster.latencyMs === undefined || cluster.latencyMs === null ? '' : cluster.latencyMs + ' ms' }),
        el('td', { class: 'last-error', text: cluster.lastError || '' })));
      holder.replaceChildren(
        el('p', { text: (report.healthChecking ? 'Routing skips clusters that are down.' : 'Health checking is off.') + ' Failovers: ' + report.failovers + '.' }),
        el('div', { class: 'scroll' }, el('table', {},
          el('thead', {}, el('tr', {}, ['Cluster', 'Health', 'Breaker', 'Weight', 'Backlog', 'Latency', 'Last error']
            .map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, rows))));
    } catch (error) {
      holder.replaceChildren(failure(error));
    }
    holder.removeAttribute('aria-busy');
  }

  // ---- submit ------------------------------------------------------------------------------
  function submitPage() {
    const text = el('textarea', { id: 'request', name: 'request', rows: '16', spellcheck: 'false', required: true,
      'aria-describedby': 'request-help' });
    const file = el('input', { type: 'file', id: 'request-file', accept: '.json,.yaml,.yml,application/json,application/yaml' });
    const result = el('div', { id: 'submit-result', 'aria-live': 'assertive' });
    const form = el('form', { id: 'submit-form' },
      el('p', { id: 'request-help', text: 'A submit request as JSON or YAML (the same body as POST ' + root + '/spark). It is checked by the gateway with the API\'s own messages.' }),
      el('label', { for: 'request', text: 'Request' }), text,
      el('label', { for: 'request-file', text: 'Or load a file' }), file,
      el('p', {}, el('button', { type: 'submit', id: 'submit-button', text: 'Submit' })),
      result);
    file.addEventListener('change', async () => {
      if (file.files.length) text.value = await file.files[0].text();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = text.value;
      const isJSON = /^\s*[\[{]/.test(body);
      result.replaceChildren(el('p', { text: 'Submitting…' }));
      try {
        const reply = await call('/spark', {
          method: 'POST', body, headers: { 'Content-Type': isJSON ? 'application/json' : 'application/yaml' } });
        announce('Submitted ' + reply.submissionId);
        location.hash = '#/job/' + encodeURIComponent(reply.submissionId);
      } catch (error) {
        result.replaceChildren(failure(error));
        text.focus();
      }
    });
    page('Submit a job', form);
  }

  route();
})();
"""#
}
