/**
 * The customer page: Web Chat (from the botframework-webchat bundle, loaded before this file)
 * talking to our own Direct Line endpoint. The token lives in sessionStorage, never in the URL,
 * so a reload keeps the conversation and a new tab starts a fresh one.
 */

interface WebChatGlobal {
  createDirectLine(options: {
    token: string;
    domain: string;
    conversationId?: string;
    webSocket?: boolean;
    conversationStartProperties?: { locale: string };
  }): unknown;
  renderWebChat(props: Record<string, unknown>, element: HTMLElement): void;
}

interface DirectLineConnection {
  postActivity(activity: Record<string, unknown>): { subscribe(observer: object): unknown };
}

/** The page's words per locale, from /web/settings.json (the bot's catalogues). */
interface PageTexts {
  pageTitle: string;
  languageLabel: string;
  webChat: Record<string, string>;
}

interface PageSettings {
  locales: string[];
  texts: Record<string, PageTexts>;
}

interface StoredSession {
  token: string;
  conversationId: string;
  /** Epoch ms after which the token no longer works. */
  expiresAt: number;
  userId: string;
}

const sessionKey = 'askdesk.webchat.session';
const localeKey = 'askdesk.webchat.locale';
const rtlLanguages = new Set(['he', 'ar', 'fa', 'ur', 'yi']);

const webChat = (window as unknown as { WebChat?: WebChatGlobal }).WebChat;

/**
 * sessionStorage, or memory where the browser denies it (an iframe on another site when
 * third-party storage is blocked): the chat then still works, it just restarts on reload.
 */
const storage = ((): Pick<Storage, 'getItem' | 'setItem'> => {
  try {
    const probe = window.sessionStorage;
    probe.getItem(sessionKey);
    return probe;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
    };
  }
})();

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element as T;
}

function showStatus(text: string): void {
  const status = byId<HTMLParagraphElement>('status');
  status.textContent = text;
  status.hidden = false;
}

const isRtl = (locale: string): boolean => rtlLanguages.has(locale.split('-')[0] ?? locale);

function languageName(locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

function initialLocale(locales: readonly string[]): string {
  const asked = new URLSearchParams(location.search).get('locale');
  const stored = storage.getItem(localeKey);
  const browser = navigator.language.split('-')[0] ?? '';
  for (const candidate of [asked, stored, browser]) {
    if (candidate && locales.includes(candidate)) return candidate;
  }
  return locales[0] ?? 'en';
}

async function conversationSession(): Promise<StoredSession> {
  const raw = storage.getItem(sessionKey);
  if (raw) {
    const stored = JSON.parse(raw) as StoredSession;
    // A minute of margin: a token that expires mid-reconnect would strand the page.
    if (stored.expiresAt - Date.now() > 60_000) return stored;
  }
  const res = await fetch('/api/directline/token', { method: 'POST' });
  if (!res.ok) throw new Error(`token request failed with ${res.status}`);
  const grant = (await res.json()) as { token: string; conversationId: string; expires_in: number };
  const fresh: StoredSession = {
    token: grant.token,
    conversationId: grant.conversationId,
    expiresAt: Date.now() + grant.expires_in * 1000,
    userId: `web-${crypto.randomUUID()}`,
  };
  storage.setItem(sessionKey, JSON.stringify(fresh));
  return fresh;
}

async function loadSettings(): Promise<PageSettings> {
  const res = await fetch('/web/settings.json');
  const settings = (await res.json()) as Partial<PageSettings>;
  return {
    locales: settings.locales?.length ? settings.locales : ['en'],
    texts: settings.texts ?? {},
  };
}

/** Title and language label in the customer's language. */
function applyTexts(texts: PageTexts | undefined): void {
  if (!texts) return;
  document.title = texts.pageTitle;
  const label = document.querySelector('.language-label');
  if (label) label.textContent = texts.languageLabel;
  byId<HTMLSelectElement>('locale').setAttribute('aria-label', texts.languageLabel);
}

function fillPicker(select: HTMLSelectElement, locales: readonly string[], current: string): void {
  for (const locale of locales) {
    const option = document.createElement('option');
    option.value = locale;
    option.textContent = languageName(locale);
    option.selected = locale === current;
    select.append(option);
  }
}

function applyDirection(locale: string): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = isRtl(locale) ? 'rtl' : 'ltr';
}

async function main(): Promise<void> {
  if (!webChat) {
    showStatus('The chat could not load. Please reload the page.');
    return;
  }
  if (new URLSearchParams(location.search).get('embed') === '1')
    document.body.classList.add('embedded');
  const { locales, texts } = await loadSettings();
  let locale = initialLocale(locales);
  const session = await conversationSession();
  const directLine = webChat.createDirectLine({
    token: session.token,
    domain: `${location.origin}/v3/directline`,
    conversationStartProperties: { locale },
  });
  const element = byId<HTMLElement>('webchat');
  const render = (): void => {
    applyDirection(locale);
    applyTexts(texts[locale]);
    webChat.renderWebChat(
      {
        directLine,
        locale,
        dir: isRtl(locale) ? 'rtl' : 'ltr',
        userID: session.userId,
        overrideLocalizedStrings: texts[locale]?.webChat ?? {},
        styleOptions: {
          hideUploadButton: true,
          botAvatarInitials: 'AD',
          bubbleMaxWidth: 560,
          suggestedActionLayout: 'flow',
        },
      },
      element,
    );
  };
  const picker = byId<HTMLSelectElement>('locale');
  fillPicker(picker, locales, locale);
  picker.addEventListener('change', () => {
    locale = picker.value;
    storage.setItem(localeKey, locale);
    render();
    // The bot greets again in the new language.
    (directLine as DirectLineConnection)
      .postActivity({
        type: 'event',
        name: 'askdesk.locale',
        value: locale,
        locale,
        from: { id: session.userId, role: 'user' },
      })
      .subscribe({ error: (err: unknown) => console.error(err) });
  });
  render();
}

main().catch((err: unknown) => {
  console.error(err);
  showStatus('The chat is not available right now. Please try again in a moment.');
});
