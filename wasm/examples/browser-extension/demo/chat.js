// The demo chat's own code: Enter (without Shift) or the Send button posts the draft
// to the server and shows it. Nothing here knows about careguard.
'use strict';
const draft = document.getElementById('draft');
const send = document.getElementById('send');
const messages = document.getElementById('messages');

async function sendDraft() {
  const text = draft.value.trim();
  if (!text) return;
  draft.value = '';
  const li = document.createElement('li');
  li.textContent = text;
  messages.appendChild(li);
  await fetch('/send', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
}

send.addEventListener('click', sendDraft);
draft.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendDraft();
  }
});
