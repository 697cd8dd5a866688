import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, KbApi } from './kbApi.browser';
import { LoginForm } from './loginForm';
import { Workspace } from './workspace';

const tokenKey = 'askdesk.editor.token';

/** Logs in with an editor or admin token, then shows the workspace. Preact escapes all text. */
function App() {
  const [api, setApi] = useState<KbApi | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const login = useCallback(async (token: string) => {
    setBusy(true);
    setError(null);
    try {
      const candidate = new KbApi(token);
      await candidate.checkEditor();
      sessionStorage.setItem(tokenKey, token);
      setApi(candidate);
    } catch (err) {
      sessionStorage.removeItem(tokenKey);
      setError(loginProblem(err));
    } finally {
      setBusy(false);
    }
  }, []);
  const logout = useCallback(() => {
    sessionStorage.removeItem(tokenKey);
    setApi(null);
  }, []);

  useEffect(() => {
    const saved = sessionStorage.getItem(tokenKey);
    if (saved) void login(saved);
  }, [login]);

  if (!api) return <LoginForm error={error} busy={busy} onLogin={(t) => void login(t)} />;
  return <Workspace api={api} onLogout={logout} />;
}

function loginProblem(err: unknown): string {
  if (err instanceof ApiError && err.status === 403) {
    return 'That token belongs to someone who may not edit: use an editor or admin token.';
  }
  if (err instanceof ApiError && err.status < 500) return 'That token is not valid.';
  return 'Cannot reach Askdesk; try again.';
}

const root = document.getElementById('app');
if (root) render(<App />, root);
