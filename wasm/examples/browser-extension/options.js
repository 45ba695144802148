// The options page: the Trust's per-site policy context, the staff names and the
// emergency switch, saved
// with careguardSettings.save (chrome.storage.local "settings").
'use strict';

(() => {
  const Settings = globalThis.careguardSettings;
  const form = document.getElementById('settings');
  const rows = document.getElementById('sites');
  const other = document.getElementById('other-sites');
  const staff = document.getElementById('staff-names');
  const emergency = document.getElementById('emergency');
  const status = document.getElementById('status');
  const template = document.getElementById('site-row');

  const LABELS = { clinical: 'Clinical', social: 'Social', broadcast: 'Broadcast' };
  function fillSelect(select, value) {
    select.replaceChildren(...Settings.CONVERSATIONS.map((c) => new Option(LABELS[c], c, false, c === value)));
  }

  // The hosts the content script runs on (the manifest's matches): a configured site
  // outside them would never be checked, and the page says so.
  const covered = chrome.runtime.getManifest().content_scripts
    .flatMap((c) => c.matches).map((m) => new URL(m.replace('/*', '/')).hostname);
  document.getElementById('supported').textContent = [...new Set(covered)].join(', ');

  function coverage(host) {
    const h = host.trim().toLowerCase();
    if (!h) return '';
    const under = covered.filter((c) => c === h || c.endsWith(`.${h}`));
    if (!under.length) return 'not checked: not a supported chat';
    const names = new Set(under.map((c) => globalThis.careguardAdapters.forHost(c).name));
    return `checked (${[...names].join(', ')})`;
  }

  function addRow(site = { host: '', conversation: 'clinical', platformApproved: false }) {
    const row = template.content.firstElementChild.cloneNode(true);
    const hostInput = row.querySelector('[name="host"]');
    const cell = row.querySelector('.coverage');
    hostInput.value = site.host;
    cell.textContent = coverage(site.host);
    hostInput.addEventListener('input', () => { cell.textContent = coverage(hostInput.value); });
    fillSelect(row.querySelector('[name="conversation"]'), site.conversation);
    row.querySelector('[name="platformApproved"]').checked = site.platformApproved;
    row.querySelector('.remove').addEventListener('click', () => { row.remove(); status.textContent = ''; });
    rows.appendChild(row);
    return row;
  }

  function show(settings) {
    rows.replaceChildren();
    settings.sites.forEach((s) => addRow(s));
    fillSelect(other.querySelector('[name="conversation"]'), settings.otherSites.conversation);
    other.querySelector('[name="platformApproved"]').checked = settings.otherSites.platformApproved;
    staff.value = settings.staffNames.join('\n');
    emergency.checked = settings.emergency;
  }

  const read = (row) => ({
    conversation: row.querySelector('[name="conversation"]').value,
    platformApproved: row.querySelector('[name="platformApproved"]').checked,
  });

  document.getElementById('add-site').addEventListener('click', () => {
    addRow().querySelector('[name="host"]').focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const sites = [...rows.querySelectorAll('tr')].map((row) => ({
      // A pasted address is reduced to its host name.
      host: row.querySelector('[name="host"]').value.trim().replace(/^[a-z]+:\/\//i, '').replace(/[/:].*$/, ''),
      ...read(row),
    }));
    const saved = await Settings.save({ sites, otherSites: read(other), staffNames: staff.value.split('\n'), emergency: emergency.checked });
    show(saved);
    status.textContent = 'Saved. Open chats pick this up on their next send.';
  });

  // data-ready tells a test (or a screen reader user's script) the saved values are shown.
  Settings.load().then(show).then(() => { document.body.dataset.ready = ''; });
})();
