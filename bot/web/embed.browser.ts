/**
 * The embeddable widget: a floating button that opens the Askdesk customer page in an iframe.
 * Add `<script src="https://YOUR-ASKDESK/web/embed.js" defer></script>` to any page; optional
 * attributes: data-locale="he", data-title="Help".
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script) return;
  const origin = new URL(script.src).origin;
  const locale = script.dataset.locale;
  const title = script.dataset.title ?? 'Chat with us';

  const frame = document.createElement('iframe');
  frame.src = `${origin}/?embed=1${locale ? `&locale=${encodeURIComponent(locale)}` : ''}`;
  frame.title = title;
  frame.hidden = true;
  Object.assign(frame.style, {
    position: 'fixed',
    bottom: '80px',
    right: '16px',
    width: 'min(400px, calc(100vw - 32px))',
    height: 'min(600px, calc(100vh - 112px))',
    border: '1px solid #ccd',
    borderRadius: '12px',
    boxShadow: '0 8px 24px rgba(0,0,0,.2)',
    zIndex: '2147483000',
    background: '#fff',
  });

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = title;
  button.setAttribute('aria-expanded', 'false');
  Object.assign(button.style, {
    position: 'fixed',
    bottom: '16px',
    right: '16px',
    padding: '12px 18px',
    border: '0',
    borderRadius: '24px',
    background: '#1f3a5f',
    color: '#fff',
    font: '600 15px system-ui, sans-serif',
    cursor: 'pointer',
    zIndex: '2147483000',
  });
  button.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
  });
  document.body.append(frame, button);
})();
