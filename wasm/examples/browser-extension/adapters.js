// Where the compose box and the send button are on the web chats staff use. One
// adapter per site, chosen by host name; the fallback covers any plain textarea or
// contenteditable chat (and the demo). Selectors follow each site's own markup (role,
// aria and data attributes rather than generated class names, which change with every
// release); demo/sites/ holds a local page per site reproducing that markup.
'use strict';

globalThis.careguardAdapters = (() => {
  const FALLBACK = {
    id: 'fallback',
    name: 'Any web chat (textarea or contenteditable)',
    hosts: [],
    draft: 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]',
    send: 'button[aria-label^="Send" i], button[type="submit"], #send, [role="button"][aria-label^="Send" i]',
  };

  const ADAPTERS = [
    {
      // Lexical editor in the conversation footer; Enter sends, and the send button
      // (an icon in a button labelled "Send") appears once the draft is not empty.
      id: 'whatsapp',
      name: 'WhatsApp Web',
      hosts: ['web.whatsapp.com'],
      draft: 'footer [contenteditable="true"][role="textbox"]',
      send: 'footer button[aria-label="Send"], footer [role="button"][aria-label="Send"], footer [data-icon="send"]',
    },
    {
      // CKEditor box tagged data-tid="ckeditor"; Enter sends, and the send button is
      // data-tid="newMessageCommands-send".
      id: 'teams',
      name: 'Microsoft Teams',
      hosts: ['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'],
      draft: '[data-tid="ckeditor"][contenteditable="true"], [role="textbox"][contenteditable="true"][aria-label^="Type a message" i]',
      send: 'button[data-tid="newMessageCommands-send"], button[name="send"]',
    },
    {
      // Quill editor (.ql-editor) inside the data-qa="message_input" wrapper; Enter
      // sends, and the send button is data-qa="texty_send_button".
      id: 'slack',
      name: 'Slack',
      hosts: ['app.slack.com'],
      draft: '[data-qa="message_input"] [contenteditable="true"][role="textbox"], .ql-editor[contenteditable="true"][role="textbox"]',
      send: 'button[data-qa="texty_send_button"]',
    },
    {
      // A contenteditable div with role="textbox"; the send control is a div with
      // role="button" labelled "Send message", not a <button>.
      id: 'google-chat',
      name: 'Google Chat',
      hosts: ['chat.google.com'],
      draft: 'div[contenteditable="true"][role="textbox"]',
      send: '[role="button"][aria-label="Send message"], button[aria-label="Send message"]',
    },
  ];

  /** The adapter for a page on `hostname` (the fallback when no site matches). */
  function forHost(hostname) {
    const host = hostname.toLowerCase();
    return ADAPTERS.find((a) => a.hosts.some((h) => host === h || host.endsWith(`.${h}`))) ?? FALLBACK;
  }

  return { ADAPTERS, FALLBACK, forHost };
})();
