// A stand-in for the rich editors web chats use (Lexical on WhatsApp, CKEditor on
// Teams, Quill on Slack, Google's own on Chat): the page keeps its own model of the
// draft, updated only from trusted input events (typing, paste, execCommand), and
// sends the model, not whatever the DOM holds. So a draft rewritten behind the
// editor's back (innerText = ...) would still send the old text, as on the real sites.
// Enter (without Shift) or the page's send control sends; the page then clears the box.
'use strict';

window.fakeChat = ({ editor, send, messages, empty }) => {
  let model = '';
  const text = () => editor.innerText.replace(/\n+$/, '');
  editor.addEventListener('input', (event) => {
    if (event.isTrusted) model = text();
  });

  async function sendDraft() {
    const body = model.trim();
    if (!body) return;
    model = '';
    editor.innerHTML = empty;
    const item = document.createElement('div');
    item.setAttribute('role', 'row');
    item.className = 'message';
    item.textContent = body;
    messages.appendChild(item);
    await fetch('/send', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  }

  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendDraft();
    }
  });
  send.addEventListener('click', sendDraft);
  // Role="button" controls also answer the keyboard, as Google Chat's does.
  send.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sendDraft(); }
  });
  editor.innerHTML = empty;
};
