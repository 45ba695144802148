// careguard content script: checks a chat draft for patient identifiers when the
// user sends it (Enter or the send button) and, if the Trust's policy for this site
// says warn or block, stops the send and shows a warning with what was found
// (highlighted in the draft), the minimised suggestion, and "Minimise", "Send anyway"
// (asks for a reason; not offered where the policy blocks) and "Cancel".
//
// Content scripts cannot be ES modules, so the WASM package (wasm-bindgen `web`
// output, listed under web_accessible_resources) is loaded with a dynamic import.
// The scanner is built once per page and reused for every check. settings.js and
// adapters.js run before this file in the same isolated world, at document_start, so
// the capture listeners are in place before the site's own code and no send made
// while the page is still loading slips past (it is held until the scanner is ready).
//
// Nothing here writes message text anywhere but back into the draft: no storage, no
// console, no messages to the service worker.
'use strict';

(() => {
  const adapter = globalThis.careguardAdapters.forHost(location.hostname);
  const Settings = globalThis.careguardSettings;

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

  const HIGHLIGHT = 'careguard-found';
  const BLOCK_TAGS = new Set(['P', 'DIV', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR']);

  let careguard = null; // the loaded package
  let scanner = null; // one compiled scanner for this page
  let context = Settings.contextFor(Settings.normalise(undefined), location.hostname);
  let bypass = false; // true while we re-send a draft the user chose to send
  let warning = null; // the open warning, if any

  const settingsReady = Settings.load().then((s) => { context = Settings.contextFor(s, location.hostname); });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) {
      context = Settings.contextFor(Settings.normalise(changes.settings.newValue), location.hostname);
    }
  });

  const ready = (async () => {
    const pkg = (path) => chrome.runtime.getURL(`pkg/${path}`);
    careguard = await import(pkg('index.js'));
    await careguard.default({ module_or_path: pkg('careguard_wasm_bg.wasm') });
    scanner = new careguard.Scanner();
    await settingsReady.catch(() => {}); // unreadable settings: the defaults stand
    // One throw-away check so the engine compiles the hot paths before the first send.
    scanner.review('Mr Sam Example NHS 943 476 5919 bed 4', context);
  })();
  // The error names what failed to load; it never carries a draft.
  ready.catch((err) => console.error('careguard: could not load the scanner', err));

  const isField = (el) => el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;
  const draftOf = (el) => (el instanceof Element ? el.closest(adapter.draft) : null);

  // The draft and send button that belong together: the nearest common container,
  // so a thread pane's composer is not confused with the main one.
  function nearest(from, selector) {
    for (let node = from; node && node !== document; node = node.parentElement) {
      const hit = node.querySelector(selector);
      if (hit) return hit;
    }
    return document.querySelector(selector);
  }

  // The text of a contenteditable draft, with the text node each piece came from, so
  // that findings (UTF-16 offsets into this text) can be highlighted in place. Block
  // elements and <br> become line breaks, as the chat sends them.
  function editableText(root) {
    const pieces = [];
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        pieces.push({ node, start: text.length });
        text += node.data;
      } else if (node.tagName === 'BR') {
        text += '\n';
      } else if (BLOCK_TAGS.has(node.tagName) && text && !text.endsWith('\n')) {
        text += '\n';
      }
    }
    return { text, pieces };
  }

  const readDraft = (el) => (isField(el) ? el.value : editableText(el).text);

  // Replaces the draft through the editing machinery (execCommand fires the
  // beforeinput/input events that rich editors such as Lexical, Quill and CKEditor
  // keep their own model from), so the site sends the new text.
  function writeDraft(el, text) {
    el.focus();
    if (isField(el)) el.select();
    else getSelection().selectAllChildren(el);
    // Line by line, with soft line breaks between (as Shift+Enter makes them): inserting
    // "\n" as text would make paragraphs, which editors send as blank-line gaps.
    let done = true;
    text.split('\n').forEach((line, i) => {
      if (i > 0) done = document.execCommand(isField(el) ? 'insertText' : 'insertLineBreak', false, '\n') && done;
      if (line) done = document.execCommand('insertText', false, line) && done;
    });
    if (done && readDraft(el).trim() === text.trim()) return;
    if (isField(el)) el.value = text;
    else el.textContent = text;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: text }));
  }

  // Marks the findings in a contenteditable draft with the CSS Custom Highlight API:
  // no change to the site's DOM, which its editor would fight. (A textarea cannot be
  // highlighted inside: see mirror() below.)
  let highlightSheet = null;
  function highlight(draft, findings) {
    if (isField(draft) || !globalThis.CSS?.highlights || typeof Highlight !== 'function') return;
    if (!highlightSheet) {
      highlightSheet = new CSSStyleSheet();
      highlightSheet.replaceSync(`::highlight(${HIGHLIGHT}) { background-color: #ffeb3b; color: #212b32; text-decoration: underline wavy #d5281b; }`);
    }
    if (!document.adoptedStyleSheets.includes(highlightSheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, highlightSheet];
    }
    const { pieces } = editableText(draft);
    const at = (offset) => {
      for (let i = pieces.length - 1; i >= 0; i--) {
        const p = pieces[i];
        if (offset >= p.start) return [p.node, Math.min(offset - p.start, p.node.data.length)];
      }
      return null;
    };
    const ranges = [];
    for (const f of findings) {
      const start = at(f.startUtf16);
      const end = at(f.endUtf16);
      if (!start || !end) continue;
      const range = new Range();
      range.setStart(...start);
      range.setEnd(...end);
      ranges.push(range);
    }
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
  }
  const clearHighlight = () => globalThis.CSS?.highlights?.delete(HIGHLIGHT);

  // A textarea's text cannot be highlighted in place, so the findings are marked on a
  // mirror laid exactly over it: the same text with the same box and font metrics, the
  // text itself transparent, only the marks visible. It lives in the warning's shadow
  // root, takes no pointer events, and goes when the warning goes.
  const MIRRORED = ['boxSizing', 'width', 'height', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle',
    'lineHeight', 'letterSpacing', 'wordSpacing', 'textIndent', 'textTransform', 'tabSize', 'direction',
    'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
    'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth'];
  function mirror(draft, text, findings) {
    const el = document.createElement('div');
    el.className = 'mirror';
    el.setAttribute('aria-hidden', 'true');
    const css = getComputedStyle(draft);
    for (const prop of MIRRORED) el.style[prop] = css[prop];
    el.append(markedDraft(text, findings));
    return el;
  }
  function placeMirror(el, draft) {
    const r = draft.getBoundingClientRect();
    el.style.left = `${r.left}px`;
    el.style.top = `${r.top}px`;
    // The textarea's scrollbar narrows its text; the mirror has none, so it gives the
    // same width back as right padding.
    const scrollbar = draft.offsetWidth - draft.clientWidth
      - parseFloat(getComputedStyle(draft).borderLeftWidth) - parseFloat(getComputedStyle(draft).borderRightWidth);
    el.style.paddingRight = `${parseFloat(getComputedStyle(draft).paddingRight) + Math.max(scrollbar, 0)}px`;
    el.scrollTop = draft.scrollTop;
    el.scrollLeft = draft.scrollLeft;
  }

  // Sends the draft the way the user asked to, past our own listeners. The send
  // button is the surer way for rich editors (a synthetic Enter is not a trusted key
  // press), so it is used whenever the composer has one.
  function resend(draft, via) {
    bypass = true;
    try {
      const button = nearest(draft, adapter.send);
      if (button && (via === 'click' || !isField(draft))) button.click();
      else draft.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
    } finally {
      bypass = false;
    }
  }

  // The check itself: scan + policy in one call, and how long it took.
  function check(text) {
    const t0 = performance.now();
    const decision = scanner.review(text, context);
    return { text, findings: decision.findings, decision, ms: performance.now() - t0 };
  }

  const stop = (event) => { event.preventDefault(); event.stopImmediatePropagation(); };

  // When the scanner did not load or a check throws, the send stays stopped (fail
  // closed) and the warning says so, with Cancel only: an unchecked draft is not sent.
  const unchecked = (text) => ({
    text, findings: [], ms: 0, failed: true,
    decision: { verdict: 'block', reasons: [], suggestion: null },
  });

  function decideSafely(text) {
    try {
      return check(text);
    } catch {
      return unchecked(text); // the error may quote the draft: not logged
    }
  }

  async function intercept(event, draft, via) {
    if (bypass) return;
    if (warning) { stop(event); return; }
    if (!draft || !readDraft(draft).trim()) return;
    if (!scanner) {
      // Not loaded yet: hold the send (fail closed), then decide once loaded.
      stop(event);
      const loaded = await ready.then(() => true, () => false);
      const result = loaded ? decideSafely(readDraft(draft)) : unchecked(readDraft(draft));
      if (result.decision.verdict === 'allow') resend(draft, via);
      else if (!warning) showWarning(draft, via, result);
      return;
    }
    const result = decideSafely(readDraft(draft));
    if (result.decision.verdict === 'allow') return; // nothing to warn about: let the page send it
    stop(event);
    showWarning(draft, via, result);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    const draft = draftOf(event.target);
    if (draft) intercept(event, draft, 'enter');
  }, true);

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest(adapter.send) : null;
    if (button) intercept(event, nearest(button, adapter.draft), 'click');
  }, true);

  function kindSummary(findings) {
    const counts = new Map();
    for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    return [...counts].map(([kind, n]) => ({ kind, n, label: KIND_LABELS[kind] ?? kind }));
  }

  // The draft as text with each finding in a <mark>; a colleague's name (subject
  // "staff") is marked apart, since it is not a patient identifier.
  function markedDraft(text, findings) {
    const out = document.createDocumentFragment();
    let at = 0;
    for (const f of findings) {
      if (f.startUtf16 < at) continue;
      out.append(text.slice(at, f.startUtf16));
      const mark = document.createElement('mark');
      mark.dataset.kind = f.kind;
      if (f.subject === 'staff') mark.className = 'staff';
      mark.title = f.subject === 'staff' ? 'a colleague' : (KIND_LABELS[f.kind] ?? f.kind);
      mark.textContent = text.slice(f.startUtf16, f.endUtf16);
      out.append(mark);
      at = f.endUtf16;
    }
    out.append(text.slice(at));
    return out;
  }

  // Core's reason message, without its trailing list of kind codes (the warning lists
  // the kinds in words above it).
  const sentence = (message) => {
    const text = message.replace(/\s*\([a-z_, ]+\)\s*$/, '');
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };

  const STYLE = `
    :host { all: initial; }
    .box { position: fixed; left: 50%; bottom: 96px; transform: translateX(-50%); z-index: 2147483647;
      width: min(520px, calc(100vw - 16px)); box-sizing: border-box; display: flex; flex-direction: column;
      max-height: calc(100vh - 16px); background: #fff; color: #212b32; border-top: 6px solid #d5281b;
      border-radius: 6px; box-shadow: 0 8px 28px rgba(0,0,0,.3); font: 15px/1.45 system-ui, sans-serif; }
    .body { overflow-y: auto; padding: 14px 18px 4px; min-height: 0; flex: 1 1 auto; }
    h2 { font-size: 17px; margin: 0 0 6px; }
    h3 { font-size: 13px; margin: 10px 0 4px; color: #4c6272; text-transform: uppercase; letter-spacing: .03em; }
    ul { margin: 4px 0 6px; padding-left: 20px; }
    p { margin: 6px 0; }
    .text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f0f4f5; border-radius: 4px;
      padding: 6px 8px; max-height: 7.5em; overflow-y: auto; font-size: 14px; }
    mark { background: #ffeb3b; color: inherit; text-decoration: underline wavy #d5281b; border-radius: 2px; }
    mark.staff { background: #e8edee; text-decoration: none; }
    .mirror { position: fixed; z-index: 2147483646; margin: 0; overflow: hidden; pointer-events: none;
      border-style: solid; border-color: transparent; background: transparent; color: transparent;
      white-space: pre-wrap; overflow-wrap: break-word; word-break: normal; }
    .mirror mark { color: transparent; background: rgba(255, 235, 59, .55); text-decoration-color: #d5281b; border-radius: 0; }
    .mirror mark.staff { background: rgba(174, 183, 189, .35); }
    .suggestion { border-left: 4px solid #007f3b; }
    .meta, .advice { color: #4c6272; font-size: 12px; }
    .buttons { display: flex; gap: 8px; flex-wrap: wrap; padding: 10px 18px 14px; border-top: 1px solid #d8dde0; }
    .buttons button { flex: 1 1 auto; }
    button { font: inherit; font-weight: 600; border-radius: 4px; padding: 6px 14px; cursor: pointer; border: 1px solid #768692; background: #fff; color: #212b32; }
    button.primary { background: #007f3b; color: #fff; border-color: #007f3b; }
    button.danger { color: #d5281b; border-color: #d5281b; }
    .reason { display: none; margin-top: 10px; }
    .reason.open { display: block; }
    input { font: inherit; width: 100%; box-sizing: border-box; padding: 6px; margin: 4px 0; }
    @media (max-width: 480px) {
      .box { font-size: 14px; }
      .body { padding: 10px 12px 4px; }
      .buttons { padding: 8px 12px 10px; }
      h2 { font-size: 16px; }
    }`;

  // Puts the warning beside the draft, never over it: above the draft when there is
  // more room there (a chat's composer is at the bottom), below it otherwise, and no
  // taller than that room (the body scrolls, the buttons stay in view).
  const GAP = 8;
  function place(box, draft) {
    const r = draft.getBoundingClientRect();
    const vh = document.documentElement.clientHeight || innerHeight;
    const above = r.top - 2 * GAP;
    const below = vh - r.bottom - 2 * GAP;
    if (above >= below) {
      box.style.top = 'auto';
      box.style.bottom = `${Math.max(vh - r.top + GAP, GAP)}px`;
      box.style.maxHeight = `${Math.max(above, 160)}px`;
    } else {
      box.style.bottom = 'auto';
      box.style.top = `${Math.max(r.bottom + GAP, GAP)}px`;
      box.style.maxHeight = `${Math.max(below, 160)}px`;
    }
  }

  function showWarning(draft, via, { text, findings, decision, ms, failed = false }) {
    const host = document.createElement('div');
    host.id = 'careguard-warning';
    const root = host.attachShadow({ mode: 'open' });
    const box = document.createElement('div');
    box.className = 'box';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-labelledby', 'cg-title');
    box.setAttribute('aria-describedby', 'cg-found');
    const blocked = decision.verdict === 'block';
    box.dataset.verdict = decision.verdict;
    const kinds = kindSummary(findings);
    const patientKinds = kindSummary(findings.filter((f) => f.subject !== 'staff'));
    const colleagues = findings.filter((f) => f.subject === 'staff').length;
    box.innerHTML = `
      <div class="body">
        <h2 id="cg-title"></h2>
        <p id="cg-found">This draft contains:</p>
        <ul class="kinds"></ul>
        <h3>Your draft</h3>
        <div class="text draft"></div>
        <h3>Suggested (Minimise puts this in the draft)</h3>
        <div class="text suggestion"></div>
        <p class="advice"></p>
        <div class="reason">
          <label for="cg-reason">Why must this be sent as it is? (recorded, without the message)</label>
          <input id="cg-reason" autocomplete="off">
          <button class="danger" data-action="confirm">Send with reason</button>
        </div>
        <p class="meta"></p>
      </div>
      <div class="buttons">
        <button class="primary" data-action="minimise">Minimise</button>
        <button class="danger" data-action="send-anyway">Send anyway</button>
        <button data-action="cancel">Cancel</button>
      </div>`;
    box.querySelector('h2').textContent = blocked
      ? 'Patient identifiers cannot be sent here'
      : 'Check before you send: patient identifiers found';
    const list = box.querySelector('.kinds');
    for (const { kind, n, label } of patientKinds) {
      const li = document.createElement('li');
      li.dataset.kind = kind;
      li.textContent = n > 1 ? `${label} (${n})` : label;
      list.appendChild(li);
    }
    if (colleagues) {
      // A social group or unapproved platform blocks even a colleague's name.
      const li = document.createElement('li');
      li.dataset.subject = 'staff';
      li.textContent = colleagues > 1 ? `colleagues' names (${colleagues})` : "a colleague's name";
      list.appendChild(li);
    }
    box.querySelector('.draft').append(markedDraft(text, findings));
    box.querySelector('.suggestion').textContent = decision.suggestion ?? (failed ? '' : scanner.minimise(text));
    // Core's reason says what to do; its guidance says which rule asks for it.
    box.querySelector('.advice').textContent = decision.reasons.length
      ? decision.reasons.map((r) => `${sentence(r.message)} ${r.guidance}.`).join(' ')
      : 'Send only what the recipient needs.';
    box.querySelector('.meta').textContent =
      `careguard checked ${text.length} characters on this device in ${ms.toFixed(2)} ms; nothing left the browser.`;
    if (blocked) box.querySelector('[data-action="send-anyway"]').remove();
    if (failed) {
      box.dataset.verdict = 'unchecked';
      box.querySelector('h2').textContent = 'careguard could not check this draft';
      box.querySelector('#cg-found').textContent =
        'The send was stopped: an unchecked draft is not sent. Reload the page and try again; if this persists, tell IT that careguard is not working here.';
      for (const el of box.querySelectorAll('.kinds, h3, .draft, .suggestion, .advice, [data-action="minimise"]')) el.remove();
      box.querySelector('.meta').textContent = 'Nothing left the browser.';
    }
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style, box);
    document.body.appendChild(host);
    warning = host;
    highlight(draft, findings);
    const overlay = isField(draft) ? mirror(draft, text, findings) : null;
    if (overlay) root.insertBefore(overlay, box);
    const replace = () => {
      place(box, draft);
      if (overlay) placeMirror(overlay, draft);
    };
    replace();
    draft.addEventListener('scroll', replace);
    addEventListener('resize', replace);
    addEventListener('scroll', replace, true);

    const dismiss = () => {
      removeEventListener('resize', replace);
      removeEventListener('scroll', replace, true);
      draft.removeEventListener('scroll', replace);
      clearHighlight();
      host.remove();
      warning = null;
    };
    const close = () => { dismiss(); draft.focus(); };
    const reasonBox = box.querySelector('.reason');
    const reasonInput = box.querySelector('#cg-reason');
    box.addEventListener('click', async (event) => {
      const action = event.target instanceof Element ? event.target.dataset.action : undefined;
      if (action === 'cancel') close();
      else if (action === 'minimise') {
        dismiss();
        writeDraft(draft, scanner.minimise(readDraft(draft))); // the draft as it is now
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
          site: adapter.id,
          kinds: kinds.map((k) => k.kind),
          findings: findings.length,
          decision: decision.verdict,
          reason: scanner.minimise(reason),
        });
        dismiss();
        resend(draft, via);
      }
    });
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
      // Tab cycles within the warning (it is an alertdialog): the draft stays visible
      // but is not reachable by keyboard until the nurse chooses.
      if (event.key === 'Tab') {
        const focusable = [...box.querySelectorAll('button, input')].filter((el) => el.offsetParent !== null);
        const i = focusable.indexOf(root.activeElement);
        const next = focusable[(i + (event.shiftKey ? -1 : 1) + focusable.length) % focusable.length];
        event.preventDefault();
        next?.focus();
      }
      if (event.key === 'Enter' && event.target === reasonInput) {
        box.querySelector('[data-action="confirm"]').click();
      }
      event.stopPropagation();
    });
    box.querySelector('.buttons button').focus();
  }
})();
