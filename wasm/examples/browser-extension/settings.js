// The Trust's settings: where messages on each site go (the policy context), the
// staff names the minimiser treats as colleagues, and the emergency (major network
// outage) switch. Shared by the content script and the
// options page (a classic script: content scripts cannot be ES modules).
//
// Stored in chrome.storage.local under "settings". Nothing here is message content.
'use strict';

globalThis.careguardSettings = (() => {
  const CONVERSATIONS = ['clinical', 'social', 'broadcast'];

  // Out of the box only the local demo chat counts as an approved clinical platform:
  // every real web chat is unapproved until the Trust says otherwise on the options
  // page, so patient identifiers are blocked there (Trust IM policy 6.4) rather than
  // merely warned about.
  const DEFAULTS = Object.freeze({
    sites: [
      { host: '127.0.0.1', conversation: 'clinical', platformApproved: true },
      { host: 'localhost', conversation: 'clinical', platformApproved: true },
    ],
    otherSites: { conversation: 'clinical', platformApproved: false },
    staffNames: [],
    emergency: false,
  });

  const clean = (value) => String(value ?? '').trim();

  function context(entry, fallback) {
    return {
      conversation: CONVERSATIONS.includes(entry?.conversation) ? entry.conversation : fallback.conversation,
      platformApproved: typeof entry?.platformApproved === 'boolean' ? entry.platformApproved : fallback.platformApproved,
    };
  }

  /** Settings as stored, checked field by field; anything malformed falls back to the defaults. */
  function normalise(raw) {
    const otherSites = context(raw?.otherSites, DEFAULTS.otherSites);
    const sites = Array.isArray(raw?.sites)
      ? raw.sites
        .map((s) => ({ host: clean(s?.host).toLowerCase(), ...context(s, otherSites) }))
        .filter((s) => s.host)
      : DEFAULTS.sites.map((s) => ({ ...s }));
    const staffNames = Array.isArray(raw?.staffNames)
      ? [...new Set(raw.staffNames.map(clean).filter(Boolean))]
      : [];
    return { sites, otherSites, staffNames, emergency: raw?.emergency === true };
  }

  async function load() {
    const { settings } = await chrome.storage.local.get('settings');
    return normalise(settings);
  }

  async function save(settings) {
    const normalised = normalise(settings);
    await chrome.storage.local.set({ settings: normalised });
    return normalised;
  }

  /** The configured entry for `hostname`: an exact host or a parent domain ("slack.com" covers "app.slack.com"). */
  function siteFor(settings, hostname) {
    const host = hostname.toLowerCase();
    let best = null;
    for (const site of settings.sites) {
      const hit = host === site.host || host.endsWith(`.${site.host}`);
      if (hit && (!best || site.host.length > best.host.length)) best = site;
    }
    return best;
  }

  /** The policy context (as Scanner.review takes it) for a page on `hostname`. */
  function contextFor(settings, hostname) {
    const site = siteFor(settings, hostname) ?? settings.otherSites;
    return {
      conversation: site.conversation,
      platformApproved: site.platformApproved,
      staffNames: settings.staffNames,
      emergency: settings.emergency,
    };
  }

  return { CONVERSATIONS, DEFAULTS, normalise, load, save, siteFor, contextFor };
})();
