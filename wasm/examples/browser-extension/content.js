// careguard content script: checks a chat draft for patient identifiers when the
// user sends it (Enter or the Send button) and, if there are any, stops the send and
// shows a warning with "Minimise", "Send anyway" (asks for a reason) and "Cancel".
//
// Content scripts cannot be ES modules, so the WASM package (wasm-bindgen `web`
// output, listed under web_accessible_resources) is loaded with a dynamic import.
// The scanner is built once per page and reused for every check.
'use strict';

(() => {
  // Where the draft and the send button are. These fit the demo chat and many simple
  // chats; a real deployment would carry one entry per supported site.
  const SELECTORS = {
    draft: 'textarea, [contenteditable="true"], [contenteditable=""]',
    send: 'button[aria-label="Send" i], button[type="submit"], #send',
  };

  const KIND_LABELS = {
    nhs_number: 'NHS number',
    chi_number: 'CHI number',
    hc_number: 'H&C number',
    date_of_birth: 'date of birth',
    date: 'date',
    person_name: 'name',
    postcode: 'postcode',
    phone_number: 'phone number',
    email: 'email address',
    ni_number: 'National Insurance number',
    hospital_number: 'hospital number',
  };

  // Where messages on this site go. The demo is a clinical team chat on an approved
  // platform; a deployment would set this per site (a social group or an unapproved
  // platform makes the policy block instead of warn).
  const CONTEXT = { conversation: 'clinical', platformApproved: true };

  let careguard = null; // the loaded package
  let scanner = null; // one compiled scanner for this page
  let bypass = false; // true while we re-send a draft the user chose to send
  let warning = null; // the open warning, if any

  const ready = (async () => {
    const pkg = (path) => chrome.runtime.getURL(`pkg/${path}`);
    careguard = await import(pkg('index.js'));
    await careguard.default({ module_or_path: pkg('careguard_wasm_bg.wasm') });
    scanner = new careguard.Scanner();
    // One throw-away check so the engine compiles the hot paths before the first send.
    scanner.review('Mr Sam Example NHS 943 476 5919 bed 4', CONTEXT);
  })();
  ready.catch((err) => console.error('careguard: could not load the scanner', err));

  const isDraft = (el) => el instanceof Element && el.matches(SELECTORS.draft);
  const findDraft = () => document.querySelector(SELECTORS.draft);
  const findSend = () => document.querySelector(SELECTORS.send);
  const readDraft = (el) => (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement
    ? el.value : el.innerText);

  function writeDraft(el, text) {
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) el.value = text;
    else el.innerText = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }

  // Sends the draft the way the user asked to, past our own listeners.
  function resend(draft, via) {
    bypass = true;
    try {
      const button = via === 'click' ? findSend() : null;
      if (button) button.click();
      else draft.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
    } finally {
      bypass = false;
    }
  }

  // The check itself: scan + policy in one call, and how long it took.
  function check(text) {
    const t0 = performance.now();
    const decision = scanner.review(text, CONTEXT);
    return { findings: decision.findings, decision, ms: performance.now() - t0 };
  }

  async function intercept(event, draft, via) {
    if (bypass || warning) {
      if (warning && !bypass) { event.preventDefault(); event.stopImmediatePropagation(); }
      return;
    }
    if (!draft || !readDraft(draft).trim()) return;
    if (!scanner) {
      // Not loaded yet: hold the send (fail closed), then decide once loaded.
      event.preventDefault();
      event.stopImmediatePropagation();
      await ready;
      const result = check(readDraft(draft));
      if (result.decision.verdict === 'allow') resend(draft, via);
      else showWarning(draft, via, result);
      return;
    }
    const result = check(readDraft(draft));
    if (result.decision.verdict === 'allow') return; // nothing to warn about: let the page send it
    event.preventDefault();
    event.stopImmediatePropagation();
    showWarning(draft, via, result);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || !isDraft(event.target)) return;
    intercept(event, event.target, 'enter');
  }, true);

  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest(SELECTORS.send)) return;
    intercept(event, findDraft(), 'click');
  }, true);

  function kindSummary(findings) {
    const counts = new Map();
    for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    return [...counts].map(([kind, n]) => ({ kind, n, label: KIND_LABELS[kind] ?? kind }));
  }

  const STYLE = `
    :host { all: initial; }
    .box { position: fixed; left: 50%; bottom: 96px; transform: translateX(-50%); z-index: 2147483647;
      width: min(520px, 92vw); background: #fff; color: #212b32; border-top: 6px solid #d5281b;
      border-radius: 6px; box-shadow: 0 8px 28px rgba(0,0,0,.3); padding: 16px 20px;
      font: 15px/1.45 system-ui, sans-serif; }
    h2 { font-size: 17px; margin: 0 0 6px; }
    ul { margin: 6px 0 10px; padding-left: 20px; }
    p { margin: 6px 0; }
    .meta, .advice { color: #4c6272; font-size: 12px; }
    .buttons { display: flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
    button { font: inherit; font-weight: 600; border-radius: 4px; padding: 6px 14px; cursor: pointer; border: 1px solid #768692; background: #fff; }
    button.primary { background: #007f3b; color: #fff; border-color: #007f3b; }
    button.danger { color: #d5281b; border-color: #d5281b; }
    .reason { display: none; margin-top: 10px; }
    .reason.open { display: block; }
    input { font: inherit; width: 100%; box-sizing: border-box; padding: 6px; margin: 4px 0; }`;

  function showWarning(draft, via, { findings, decision, ms }) {
    const host = document.createElement('div');
    host.id = 'careguard-warning';
    const root = host.attachShadow({ mode: 'open' });
    const box = document.createElement('div');
    box.className = 'box';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-labelledby', 'cg-title');
    const blocked = decision.verdict === 'block';
    const kinds = kindSummary(findings);
    box.innerHTML = `
      <h2 id="cg-title"></h2>
      <p>This draft contains:</p>
      <ul class="kinds"></ul>
      <p>Minimise replaces them with placeholders such as [NHS number].</p>
      <p class="advice"></p>
      <div class="buttons">
        <button class="primary" data-action="minimise">Minimise</button>
        <button class="danger" data-action="send-anyway">Send anyway</button>
        <button data-action="cancel">Cancel</button>
      </div>
      <div class="reason">
        <label for="cg-reason">Why must this be sent as it is? (recorded, without the message)</label>
        <input id="cg-reason" autocomplete="off">
        <button class="danger" data-action="confirm">Send with reason</button>
      </div>
      <p class="meta"></p>`;
    box.querySelector('h2').textContent = blocked
      ? 'Patient identifiers: this message cannot be sent here'
      : 'Check before you send: patient identifiers found';
    const list = box.querySelector('.kinds');
    for (const { kind, n, label } of kinds) {
      const li = document.createElement('li');
      li.dataset.kind = kind;
      li.textContent = n > 1 ? `${label} (${n})` : label;
      list.appendChild(li);
    }
    // Core's reason says what to do; its guidance says which rule asks for it.
    box.querySelector('.advice').textContent = decision.reasons.length
      ? decision.reasons.map((r) => `${r.guidance}.`).join(' ')
      : 'Send only what the recipient needs.';
    box.querySelector('.meta').textContent =
      `careguard checked ${readDraft(draft).length} characters on this device in ${ms.toFixed(2)} ms; nothing left the browser.`;
    if (blocked) box.querySelector('[data-action="send-anyway"]').remove();
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style, box);
    document.body.appendChild(host);
    warning = host;

    const close = () => { host.remove(); warning = null; draft.focus(); };
    const reasonBox = box.querySelector('.reason');
    const reasonInput = box.querySelector('#cg-reason');
    box.addEventListener('click', async (event) => {
      const action = event.target instanceof Element ? event.target.dataset.action : undefined;
      if (action === 'cancel') close();
      else if (action === 'minimise') {
        writeDraft(draft, scanner.minimise(readDraft(draft))); // the draft as it is now
        close();
      } else if (action === 'send-anyway') {
        reasonBox.classList.add('open');
        reasonInput.focus();
      } else if (action === 'confirm') {
        const reason = reasonInput.value.trim();
        if (!reason) { reasonInput.focus(); return; }
        // The event carries kinds and counts only; the reason is minimised too, in
        // case it repeats an identifier.
        await chrome.runtime.sendMessage({
          type: 'careguard-override',
          kinds: kinds.map((k) => k.kind),
          findings: findings.length,
          decision: decision.verdict,
          reason: scanner.minimise(reason),
        });
        host.remove();
        warning = null;
        resend(draft, via);
      }
    });
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
      if (event.key === 'Enter' && event.target === reasonInput) {
        box.querySelector('[data-action="confirm"]').click();
      }
      event.stopPropagation();
    });
    box.querySelector('[data-action="minimise"]').focus();
  }
})();
