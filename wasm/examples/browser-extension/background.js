// Keeps the override log: one event per "Send anyway", in chrome.storage.local.
// An event holds when, where (origin and site adapter), which kinds of identifier were found, how many, and the
// (minimised) reason; never the message text.
'use strict';

const MAX_EVENTS = 500;

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (msg?.type !== 'careguard-override' || sender.id !== chrome.runtime.id) return false;
  const event = {
    at: new Date().toISOString(),
    origin: sender.origin ?? '',
    site: String(msg.site ?? ''),
    kinds: Array.isArray(msg.kinds) ? msg.kinds.map(String) : [],
    findings: Number(msg.findings) || 0,
    decision: String(msg.decision ?? ''),
    reason: String(msg.reason ?? ''),
  };
  chrome.storage.local.get({ overrides: [] }).then(({ overrides }) => {
    overrides.push(event);
    return chrome.storage.local.set({ overrides: overrides.slice(-MAX_EVENTS) });
  }).then(() => sendResponse({ ok: true }), (err) => sendResponse({ ok: false, error: String(err) }));
  return true; // answer asynchronously
});
